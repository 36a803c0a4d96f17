// The verification-heavy calls are usable from worker threads: each worker loads its own
// WebAssembly instance, and a CryptoError thrown in a worker arrives as plain data.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";

function runInWorker(msg: { commitments: Uint8Array[]; proof: Uint8Array }): Promise<{ ok: boolean; error?: { code: string } }> {
  const w = new Worker(new URL("./fixtures/verify-worker.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    w.once("message", (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once("error", reject);
    w.postMessage(msg);
  });
}

describe("worker threads", () => {
  it("verify a range proof in two workers at once, and report a typed failure", async () => {
    const mask = c.randomScalar();
    const proof = c.rangeProve([7n], [mask]);
    const good = { commitments: [c.commit(7n, mask)], proof };
    const bad = { commitments: [c.commit(8n, mask)], proof };
    const [a, b] = await Promise.all([runInWorker(good), runInWorker(bad)]);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(false);
    expect(b.error?.code).toBe("INVALID_RANGE_PROOF");
  });
});
