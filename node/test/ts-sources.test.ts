// Issue 11, node RSS: validation workers booted from the main thread's type-stripped sources
// (node/src/workers/ts-sources.ts, docs/node.md §Memory) instead of loading Node's TypeScript
// stripper themselves. In a separate process (the hooks are per process and must be registered
// before the node loads): the sources cover the worker's entry and its packages, and a real pool
// verifies real MLSAGs and range proofs and rejects a tampered MLSAG as before.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CHILD = fileURLToPath(new URL("./helpers/ts-sources-child.ts", import.meta.url));

describe("workers from stripped sources", () => {
  it("boots the pool's workers from them and verifies as before", () => {
    const out = execFileSync(process.execPath, [CHILD], { encoding: "utf8", timeout: 120_000 });
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { sources: number; hasWorkerEntry: boolean; typesLeft: boolean; badCode: string };
    expect(r.hasWorkerEntry).toBe(true);
    expect(r.sources).toBeGreaterThan(20);
    expect(r.typesLeft).toBe(false);
    expect(r.badCode).toBe("TX_SIGNATURE_INVALID");
  }, 150_000);
});
