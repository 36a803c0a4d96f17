// `baios node` stopped by SIGTERM the moment it prints its `rpc <url>` line (what a supervisor or a
// test does) stops cleanly: node.stop(), exit code 0, no exit signal. The listeners used to be added
// only after that line was printed, so the signal often found the default disposition and the
// process died by SIGTERM (wallet/src/cli/shutdown-signals.ts). Real processes, both with the
// --v8-flags re-exec (the default flags) and without it (`--v8-flags=`).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_"))), BAIOS_CONFIG: "" };

/** Spawns `baios node` with `extra` flags, sends SIGTERM as soon as stdout holds the `rpc` line; resolves with how it exited. */
async function sigtermAtRpcLine(extra: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "baios-early-sigterm-"));
  try {
    const child = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--p2p-listen=", "--workers", "1", "--log-level", "warn", ...extra], { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!sent && /^rpc \S+$/m.test(out)) {
        sent = true;
        child.kill("SIGTERM"); // in the same tick the line arrives
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (c, s) => resolve([c, s])));
    expect(sent, `no rpc line before exit: ${stderr}`).toBe(true);
    return { code, signal, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RUNS = 8;

describe("baios node: SIGTERM right after the rpc line", () => {
  it.each([
    ["with the --v8-flags re-exec", []],
    ["without it (--v8-flags=)", ["--v8-flags="]],
  ])(`stops cleanly (exit 0, no signal) in each of ${RUNS} runs, %s`, async (_name, extra: string[]) => {
    const exits: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await sigtermAtRpcLine(extra);
      exits.push(`code ${r.code} signal ${r.signal}${r.code !== 0 ? ` stderr ${r.stderr.slice(-500)}` : ""}`);
    }
    expect(exits).toEqual(Array.from({ length: RUNS }, () => "code 0 signal null"));
  }, 180_000);
});
