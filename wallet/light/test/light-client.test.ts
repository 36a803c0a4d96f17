// The light client's shared cases (./cases.ts) under vitest in Node; browser.test.ts runs the same
// cases in headless Chromium.
import { describe, it } from "vitest";
import { cases } from "./cases.ts";

describe("light client (Node)", () => {
  for (const [name, run] of Object.entries(cases)) it(name, run, 120_000);
});
