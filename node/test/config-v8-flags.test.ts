// Issue 11, node RSS: the `v8Flags` option (docs/node.md §Memory) — default, flag, env and file
// sources, empty = none, and only heap-sizing V8 flags accepted (anything else is a ConfigError:
// the option must not become a way to pass --require/--import or arbitrary V8 flags).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_V8_FLAGS, V8_FLAG_NAMES, loadConfig } from "../src/config.ts";

const dir = (): string => mkdtempSync(join(tmpdir(), "baios-v8cfg-"));

describe("config v8Flags", () => {
  it("defaults to the heap flags; flag, env and file set it; empty = none", () => {
    const d = dir();
    expect(loadConfig({ argv: ["--data-dir", d] }).v8Flags).toEqual([...DEFAULT_V8_FLAGS]);
    expect(DEFAULT_V8_FLAGS).toEqual(["--max-semi-space-size=2", "--heap-growing-percent=50"]);
    expect(loadConfig({ argv: ["--data-dir", d, "--v8-flags=--max-semi-space-size=4,--optimize-for-size"] }).v8Flags).toEqual(["--max-semi-space-size=4", "--optimize-for-size"]);
    expect(loadConfig({ argv: ["--data-dir", d, "--v8-flags="] }).v8Flags).toEqual([]);
    expect(loadConfig({ argv: ["--data-dir", d], env: { BAIOS_V8_FLAGS: "--max-old-space-size=512" } }).v8Flags).toEqual(["--max-old-space-size=512"]);
    const file = join(d, "c.json");
    writeFileSync(file, JSON.stringify({ v8Flags: ["--heap-growing-percent=30"] }));
    expect(loadConfig({ argv: ["--data-dir", d, "--config", file] }).v8Flags).toEqual(["--heap-growing-percent=30"]);
  });

  it("accepts every listed heap flag with an integer or bare (property)", () => {
    const d = dir();
    fc.assert(
      fc.property(fc.subarray([...V8_FLAG_NAMES], { minLength: 1 }), fc.array(fc.option(fc.nat({ max: 100_000 }))), (names, values) => {
        const flags = names.map((n, i) => (values[i] == null ? n : `${n}=${values[i]}`));
        expect(loadConfig({ argv: ["--data-dir", d, `--v8-flags=${flags.join(",")}`] }).v8Flags).toEqual(flags);
      }),
      { numRuns: 30 },
    );
  });

  it("refuses anything else", () => {
    const d = dir();
    for (const bad of ["--require=x.js", "--import=y", "--expose-gc", "--max-semi-space-size=2;rm", "--max-semi-space-size=-1", "max-semi-space-size=2", "--allow-natives-syntax", "--max-old-space-size=1e3"]) {
      expect(() => loadConfig({ argv: ["--data-dir", d, `--v8-flags=${bad}`] }), bad).toThrow(ConfigError);
    }
  });
});
