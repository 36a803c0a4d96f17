// @baios/crypto in a real browser: bundles ./browser/entry.ts with Vite (browser condition → the
// web bindings in crypto-wasm/pkg-web), runs it in headless Chromium via the package's harness
// (@baios/crypto/testing/browser), and compares what the page computed with the same checks on the
// Node bindings and with the shared vectors. Also asserts the module was fetched as
// application/wasm and compiled with WebAssembly.instantiateStreaming, and that randomness works.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as consensus from "@baios/consensus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";
import { openInBrowser, type BrowserSession } from "../testing/browser.ts";
import { runChecks, type Checks, type VectorFile, type Vectors } from "./browser/checks.ts";

const vector = (name: string): VectorFile => JSON.parse(readFileSync(new URL(`../../test-vectors/${name}.json`, import.meta.url), "utf8")) as VectorFile;
const vectors: Vectors = { mlsag: vector("mlsag"), pedersen: vector("pedersen"), hashToScalar: vector("hash_to_scalar") };
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

interface PageResult {
  checks: Checks;
  random: string[];
  merkleRoot: string;
  streamingCalls: number;
}

describe("@baios/crypto in headless Chromium", () => {
  let session: BrowserSession;
  let result: PageResult;
  beforeAll(async () => {
    session = await openInBrowser({
      entry: fileURLToPath(new URL("./browser/entry.ts", import.meta.url)),
      // counts WebAssembly.instantiateStreaming calls before any page script runs
      beforeLoad: (page) =>
        page.addInitScript(() => {
          const g = globalThis as unknown as { __streamingCalls: number; WebAssembly: { instantiateStreaming: (...a: unknown[]) => unknown } };
          const original = g.WebAssembly.instantiateStreaming.bind(g.WebAssembly);
          g.__streamingCalls = 0;
          g.WebAssembly.instantiateStreaming = (...a: unknown[]) => {
            g.__streamingCalls++;
            return original(...a);
          };
        }),
    });
    result = await session.result<PageResult>();
  }, 120_000);
  afterAll(() => session?.close());

  it("computes what the Node bindings compute, and what the vectors say", () => {
    const node = runChecks(c, vectors);
    expect(result.checks).toEqual(node);
    expect(result.checks.generatorH).toBe((vectors.pedersen.testGroups[0] as unknown as { H: string }).H);
    // every vector's own verdict: "valid" ones verify, "invalid" ones are rejected (a code, or a mismatch)
    for (const [name, file, type] of [["mlsag", vectors.mlsag, undefined], ["pedersen", vectors.pedersen, "PedersenCommit"], ["hashToScalar", vectors.hashToScalar, undefined]] as const) {
      const got = result.checks[name];
      const tests = file.testGroups.filter((g) => type === undefined || g.type === type).flatMap((g) => g.tests);
      expect(tests.length).toBeGreaterThan(0);
      for (const t of tests) expect([t.tcId, got[t.tcId] === "valid" ? "valid" : "invalid"]).toEqual([t.tcId, t.result]);
    }
    expect(Object.values(result.checks.mlsag)).toContain("INVALID_SIGNATURE");
  });

  it("imports @baios/consensus over the web bindings without an await", () => {
    const zero = new Uint8Array(32);
    expect(result.merkleRoot).toBe(hex(consensus.merkleRoot([zero, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)])));
  });

  it("draws randomness from crypto.getRandomValues", () => {
    const [a, b] = result.random;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    for (const s of result.random) expect(() => c.checkScalar(Buffer.from(s, "hex"))).not.toThrow();
  });

  it("fetches the module as application/wasm and compiles it with instantiateStreaming", () => {
    const wasm = session.responses.filter((r) => r.url.endsWith(".wasm"));
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatchObject({ status: 200, contentType: "application/wasm" });
    expect(result.streamingCalls).toBe(1);
    expect(session.errors).toEqual([]);
    expect(session.warnings).toEqual([]);
  });
});
