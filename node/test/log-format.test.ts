/**
 * Issue 12, logs: JSON lines when stdout is not a terminal (a pipe, a file), human-readable
 * (pino-pretty) for a terminal — forced here with BAIOS_LOG_FORMAT=pretty, since a pipe is not
 * a terminal. The real node process, its first log line.
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../wallet/bin/baios.ts", import.meta.url));

function firstLogLine(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), "baios-logfmt-"));
    const c = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--workers", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BAIOS_CONFIG: "", ...env } });
    let out = "";
    const t = setTimeout(() => reject(new Error(`no log line: ${out}`)), 60_000);
    c.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) {
        clearTimeout(t);
        c.kill("SIGTERM");
        resolve(out.split("\n")[0]!);
      }
    });
  });
}

describe("log format", () => {
  it("JSON lines on a pipe; pretty when asked (a terminal's default)", async () => {
    const json = await firstLogLine({ BAIOS_LOG_FORMAT: "" });
    expect(JSON.parse(json)).toMatchObject({ msg: "starting node" });
    const pretty = await firstLogLine({ BAIOS_LOG_FORMAT: "pretty" });
    expect(pretty).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: starting node/);
  }, 120_000);
});
