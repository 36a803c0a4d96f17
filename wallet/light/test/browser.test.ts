// The light client's shared cases (./cases.ts) in headless Chromium: the same cases as
// light-client.test.ts, bundled for the browser by @baios/crypto/testing/browser (Vite, `browser`
// condition: the crypto core's web bindings) and run in the page. Every case must pass there too.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openInBrowser, type BrowserSession } from "@baios/crypto/testing/browser";
import { cases } from "./cases.ts";

interface PageResult {
  outcomes: Record<string, string>;
  localStorage: string | undefined;
  hasProcess: boolean;
  hasBuffer: boolean;
}

describe("light client (headless Chromium)", () => {
  let session: BrowserSession;
  let result: PageResult;
  beforeAll(async () => {
    session = await openInBrowser({ entry: fileURLToPath(new URL("./browser/entry.ts", import.meta.url)) });
    result = await session.result<PageResult>(180_000);
  }, 300_000);
  afterAll(() => session?.close());

  it("runs every shared case, and each passes in the page", () => {
    expect(Object.keys(result.outcomes).sort()).toEqual(Object.keys(cases).sort());
    for (const [name, outcome] of Object.entries(result.outcomes)) expect([name, outcome]).toEqual([name, "ok"]);
  });

  it("needs no Node global, keeps its checkpoint in localStorage, and logs no error", () => {
    expect(result.hasProcess).toBe(false);
    expect(result.hasBuffer).toBe(false);
    expect(result.localStorage).toBe('{"x":1}');
    expect(session.errors).toEqual([]);
  });
});
