// The fuzz harness (consensus/fuzz/harness.ts) fails a run on each thing the issue names: a failing
// oracle, a hang, an unhandled rejection, an uncaught exception; and passes a clean target.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SELFTEST = fileURLToPath(new URL("../fuzz/harness-selftest.ts", import.meta.url));
const run = (mode: string) => spawnSync(process.execPath, [SELFTEST, mode, "--seconds", "1"], { encoding: "utf8", timeout: 60_000 });

describe("fuzz harness", () => {
  it.each(["throw", "hang", "unhandled", "uncaught"])("fails the run on %s", (mode) => {
    const r = run(mode);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^fuzz selftest-${mode}: \\d+ cases .* [1-9]\\d* failures`, "m"));
    expect(r.stdout).toContain(`FAIL selftest-${mode}`);
  });

  it("passes a clean target and reports its case count", () => {
    const r = run("ok");
    expect(r.status).toBe(0);
    const m = /^fuzz selftest-ok: (\d+) cases .* 0 failures/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(1000);
  });
});
