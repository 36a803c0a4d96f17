// External suites that no one here wrote, run through the WebAssembly build:
// RFC 9496 Appendix A (ristretto255) and Wycheproof Ed25519 (pinned in test-vectors/external/).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";

const ext = (f: string): unknown => JSON.parse(readFileSync(new URL(`../../test-vectors/external/${f}`, import.meta.url), "utf8"));
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const scalarLe = (k: number): Uint8Array => {
  const s = new Uint8Array(32);
  s[0] = k;
  return s;
};
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "OK";
  } catch (e) {
    if (e instanceof c.CryptoError) return e.code;
    throw e;
  }
};

describe("RFC 9496 Appendix A through WASM", () => {
  const v = ext("rfc9496.json") as {
    multiplesOfGenerator: { multiple: number; encoding: string }[];
    invalidEncodings: { category: string; encoding: string }[];
  };

  it("A.1: k·G encodes as the RFC says for k = 0..15, and each decodes", () => {
    expect(v.multiplesOfGenerator).toHaveLength(16);
    for (const { multiple, encoding } of v.multiplesOfGenerator) {
      expect(Buffer.from(c.scalarMultBase(scalarLe(multiple))).toString("hex")).toBe(encoding);
      expect(codeOf(() => c.checkPoint(hex(encoding), true))).toBe("OK");
    }
    expect(codeOf(() => c.checkPoint(hex(v.multiplesOfGenerator[0]?.encoding ?? ""), false))).toBe("IDENTITY_POINT");
  });

  it("A.2: every invalid encoding is rejected as INVALID_POINT", () => {
    expect(v.invalidEncodings.length).toBeGreaterThanOrEqual(29);
    for (const { encoding } of v.invalidEncodings) expect(codeOf(() => c.checkPoint(hex(encoding), true))).toBe("INVALID_POINT");
  });
});

describe("Wycheproof Ed25519 through WASM (strict verification)", () => {
  const w = ext("wycheproof_ed25519.json") as {
    numberOfTests: number;
    testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string; comment: string }[] }[];
  };

  it("accepts every valid case and rejects every invalid one", () => {
    let n = 0;
    for (const g of w.testGroups) {
      for (const t of g.tests) {
        n++;
        const got = codeOf(() => c.ed25519Verify(hex(g.publicKey.pk), hex(t.msg), hex(t.sig)));
        if (t.result === "valid") expect(got, `tcId ${t.tcId} ${t.comment}`).toBe("OK");
        else if (t.result === "invalid") expect(got, `tcId ${t.tcId} ${t.comment}`).not.toBe("OK");
        else throw new Error(`unknown result ${t.result} in tcId ${t.tcId}`);
      }
    }
    expect(n).toBe(w.numberOfTests);
    expect(n).toBe(151);
  });
});
