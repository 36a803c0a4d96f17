/**
 * Issue 12, "a node that is not a validator and sees no peers says so": the real node process
 * (subprocess) logs a warning at start when p2p is off, and its `status` carries
 * `network.warning` while it has no peer.
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NodeRpcClient } from "@baios/api/node";
import { ISOLATED_WARNING } from "../src/rpc/methods.ts";

const BIN = fileURLToPath(new URL("../../wallet/bin/baios.ts", import.meta.url));

/** Starts `baios node` with `args`; resolves with its stdout so far once it printed `wanted`, and the child. */
function startNode(args: string[], wanted: RegExp): Promise<{ out: string; stop: () => void; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "baios-iso-"));
  const c = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--workers", "0", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BAIOS_CONFIG: "", BAIOS_LOG_FORMAT: "json" } });
  return new Promise((resolve, reject) => {
    let out = "";
    // never leave a node behind: killed if it does not print what we wait for within 45 s
    const t = setTimeout(() => {
      c.kill("SIGTERM");
      reject(new Error(`timed out waiting for ${wanted}: ${out}`));
    }, 45_000);
    c.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (wanted.test(out)) {
        clearTimeout(t);
        resolve({ out, dir, stop: () => c.kill("SIGTERM") });
      }
    });
    c.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

describe("an isolated full node says so", () => {
  it("p2p off: a warning in the log at start", async () => {
    const n = await startNode([], /^(?=[\s\S]*no peers)(?=[\s\S]*^rpc )/m); // log lines are written asynchronously
    n.stop();
    const line = n.out.split("\n").find((l) => l.includes("no peers"))!;
    expect(JSON.parse(line)).toMatchObject({ level: 40, msg: expect.stringContaining(ISOLATED_WARNING) });
  }, 60_000);

  it("p2p on, no peer: status network.warning", async () => {
    const n = await startNode(["--p2p-listen", "/ip4/127.0.0.1/tcp/0"], /^p2p /m);
    try {
      const url = /^rpc (\S+)$/m.exec(n.out)![1]!;
      const st = await new NodeRpcClient(url, { tokenFile: join(n.dir, "rpc.cookie") }).status();
      expect(st.network?.peerCount).toBe(0);
      expect(st.network?.warning).toBe(ISOLATED_WARNING);
    } finally {
      n.stop();
    }
  }, 60_000);
});
