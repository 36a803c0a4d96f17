/**
 * A deliberately broken fuzz target for the harness's own test (consensus/test/fuzz-harness.test.ts):
 * `node consensus/fuzz/harness-selftest.ts <mode> --seconds N` where mode is `ok`, `throw` (the
 * oracle fails), `hang` (a case never settles), `unhandled` (a stray promise rejection) or
 * `uncaught` (an exception thrown from a timer). Every mode but `ok` must exit 1.
 * Not a `*.fuzz.ts` file: `scripts/fuzz` does not run it.
 * @module
 */
import fc from "fast-check";
import { runFuzzTarget } from "./harness.ts";

const mode = process.argv[2] ?? "ok";
await runFuzzTarget({
  name: `selftest-${mode}`,
  arbitrary: () => fc.integer({ min: 0, max: 10_000 }),
  check: async (n) => {
    if (n < 5000) return;
    if (mode === "throw") throw new TypeError("boom");
    if (mode === "hang") await new Promise(() => undefined);
    if (mode === "unhandled") void Promise.reject(new Error("stray rejection"));
    if (mode === "uncaught") setTimeout(() => {
      throw new Error("thrown from a timer");
    }, 0);
  },
  caseTimeoutMs: 300,
});
