/**
 * Issue 12, "Data directory in use by process N instead of Database failed to open": a second
 * node process on the same data directory (real processes, real LevelDB) is refused with the
 * first one's pid; a stopped node removes its pid file, and the next one starts.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { OWNER_PID_FILE } from "../src/store/store.ts";

const BIN = fileURLToPath(new URL("../../wallet/bin/baios.ts", import.meta.url));

describe("one node per data directory", () => {
  it("names the process holding the data directory, and frees it on shutdown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-lock-node-"));
    const args = [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--workers", "0", "--log-level", "warn"];
    const env = { ...process.env, BAIOS_CONFIG: "" };
    const first = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      let out = "";
      first.stdout.on("data", (d: Buffer) => (out += d.toString()));
      for (const t0 = Date.now(); !/^rpc /m.test(out); await sleep(100)) if (Date.now() - t0 > 60_000) throw new Error(`node did not start: ${out}`);
      const pidFile = join(dir, "chain", OWNER_PID_FILE);
      expect(readFileSync(pidFile, "utf8").trim()).toBe(String(first.pid));
      const second = spawnSync(process.execPath, args, { encoding: "utf8", env, timeout: 60_000 });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`is in use by process ${first.pid}`);
      expect(second.stderr).not.toMatch(/Database failed to open/);
    } finally {
      first.kill("SIGTERM");
      await new Promise((r) => (first.exitCode !== null ? r(null) : first.once("exit", r)));
    }
    expect(existsSync(join(dir, "chain", OWNER_PID_FILE))).toBe(false);
  }, 120_000);
});
