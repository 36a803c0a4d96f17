/** The main job end to end: `baios devnet` as a user runs it (node in a child process, real HTTP RPC). */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));

describe("baios devnet", () => {
  it("runs private transfers among devnet wallets and every wallet sees the expected balance", () => {
    const r = spawnSync(process.execPath, [BIN, "devnet", "-q"], { encoding: "utf8", timeout: 180_000 });
    const text = r.stdout + r.stderr;
    expect(text, text).not.toMatch(/FAILED/);
    expect(r.status, text).toBe(0);
    expect(text).toMatch(/JSON-RPC http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/4 transactions/);
    expect(text.match(/✓ as expected/g)).toHaveLength(3);
    expect(text).toMatch(/received\s+250 BAI/);
    expect(text).toMatch(/shows 250 BAI to carol ✓/);
  }, 200_000);
});
