// Issue 11, node RSS: `baios node` re-executes itself once with its V8 heap flags
// (wallet/src/cli/v8-flags.ts, docs/node.md §Memory). The pure decision (v8Reexec), and a real
// `baios node` process: same pid, its /proc cmdline carries the flags, it runs and stops cleanly.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NodeRpcClient } from "@baios/api/node";
import { V8_REEXEC_ENV, v8Reexec } from "../src/cli/v8-flags.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const proc = { execPath: "/n", execArgv: [] as string[], argv: ["/n", "/bin/baios.ts", "node", "--rpc-port", "0"], env: {} as NodeJS.ProcessEnv };

describe("v8Reexec", () => {
  it("puts the missing flags after the node options and before the script", () => {
    expect(v8Reexec(["--max-semi-space-size=2", "--heap-growing-percent=50"], proc)).toEqual(["/n", "--max-semi-space-size=2", "--heap-growing-percent=50", "/bin/baios.ts", "node", "--rpc-port", "0"]);
    expect(v8Reexec(["--max-semi-space-size=2", "--heap-growing-percent=50"], { ...proc, execArgv: ["--inspect", "--max-semi-space-size=8"] })).toEqual(["/n", "--inspect", "--max-semi-space-size=8", "--heap-growing-percent=50", "/bin/baios.ts", "node", "--rpc-port", "0"]);
  });

  it("does nothing without flags, when all are present, or in the re-executed process", () => {
    expect(v8Reexec([], proc)).toBeUndefined();
    expect(v8Reexec(["--max-semi-space-size=2"], { ...proc, execArgv: ["--max-semi-space-size=4"] })).toBeUndefined();
    expect(v8Reexec(["--max-semi-space-size=2"], { ...proc, env: { [V8_REEXEC_ENV]: "1" } })).toBeUndefined();
  });
});

describe("baios node with --v8-flags", () => {
  it("runs as the same process with the flags on its command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-v8-"));
    try {
      const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_"))), BAIOS_V8_FLAGS: "--max-semi-space-size=1,--heap-growing-percent=40" };
      const child = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--p2p-listen=", "--workers", "1", "--log-level", "warn"], { stdio: ["ignore", "pipe", "pipe"], env });
      let out = "";
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no rpc line in 30 s: ${err}`)), 30_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (/^rpc /m.test(out)) {
            clearTimeout(t);
            resolve();
          }
        });
        child.once("exit", (c) => reject(new Error(`exited ${c}: ${err}`)));
      });
      // it serves RPC with the flags (a SIGTERM right at the `rpc` line: cli-node-early-sigterm.test.ts)
      const url = /^rpc (\S+)$/m.exec(out)![1]!;
      await new Promise<void>((resolve) => {
        const cookie = (): void => void (/^rpc-cookie (\S+)$/m.test(out) ? resolve() : setTimeout(cookie, 20));
        cookie();
      });
      const status = await new NodeRpcClient(url, { tokenFile: /^rpc-cookie (\S+)$/m.exec(out)![1]! }).status();
      expect(status.height).toBe(0);
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
      expect(cmdline.slice(0, 4)).toEqual([process.execPath, "--max-semi-space-size=1", "--heap-growing-percent=40", BIN]);
      expect(readFileSync(`/proc/${child.pid}/environ`, "utf8").split("\0")).toContain(`${V8_REEXEC_ENV}=1`);
      const code = new Promise((r) => child.once("exit", (c) => r(c)));
      child.kill("SIGTERM");
      expect(await code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
