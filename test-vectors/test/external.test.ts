/**
 * The external suites in test-vectors/external/ (RFC 9496 Appendix A, RFC 9380 Appendix K.3,
 * Wycheproof Ed25519), checked with the independent verifier as a second reader of the same
 * third-party data the Rust crate reads. Counts are asserted so a truncated file fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ristretto255_hasher } from "@noble/curves/ed25519.js";
import { expand_message_xmd } from "@noble/curves/abstract/hash-to-curve.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { ascii, decodePoint, encodePoint, fromHex, mulBase, toHex } from "../independent/encoding.ts";
import { CryptoError } from "../independent/errors.ts";
import { expandMessageXmdSha512 } from "../independent/hash.ts";
import { ed25519VerifyStrict } from "../independent/ed25519.ts";
import { VECTOR_DIR } from "../independent/vectors.ts";

type Json = any;
const load = (f: string): Json => JSON.parse(readFileSync(join(VECTOR_DIR, "external", f), "utf8")) as Json;

describe("external suites (independent reader)", () => {
  it("RFC 9496 Appendix A: 16 multiples, 29 invalid encodings, 11 one-way-map outputs", () => {
    const d = load("rfc9496.json");
    expect(d.multiplesOfGenerator).toHaveLength(16);
    expect(d.invalidEncodings).toHaveLength(29);
    expect(d.fromUniformBytes).toHaveLength(11);
    for (const m of d.multiplesOfGenerator as { multiple: number; encoding: string }[]) {
      expect(toHex(encodePoint(mulBase(BigInt(m.multiple)))), `multiple ${m.multiple}`).toBe(m.encoding);
      expect(toHex(encodePoint(decodePoint(fromHex(m.encoding), "A.1", true)))).toBe(m.encoding);
    }
    for (const e of d.invalidEncodings as { category: string; encoding: string }[]) {
      let codeSeen = "accepted";
      try {
        decodePoint(fromHex(e.encoding), "A.2", true);
      } catch (err) {
        codeSeen = err instanceof CryptoError ? err.code : String(err);
      }
      expect(codeSeen, `${e.category} ${e.encoding}`).toBe("INVALID_POINT");
    }
    for (const u of d.fromUniformBytes as { input: string; output: string }[]) {
      expect(toHex(encodePoint(ristretto255_hasher.deriveToCurve!(fromHex(u.input)))), u.input).toBe(u.output);
    }
  });

  it("RFC 9380 K.3 expand_message_xmd(SHA-512): ours and noble's", () => {
    const d = load("rfc9380_expand_message_xmd_sha512.json");
    expect(d.tests).toHaveLength(d.numberOfTests);
    expect(d.numberOfTests).toBe(10);
    for (const t of d.tests as { tcId: number; msg: string; lenInBytes: number; uniformBytes: string }[]) {
      expect(toHex(expandMessageXmdSha512(ascii(t.msg), ascii(d.dst), t.lenInBytes)), `tcId ${t.tcId}`).toBe(t.uniformBytes);
      expect(toHex(expand_message_xmd(ascii(t.msg), ascii(d.dst), t.lenInBytes, sha512)), `tcId ${t.tcId} (noble)`).toBe(t.uniformBytes);
    }
  });

  it("Wycheproof Ed25519 (EddsaVerify): strict verifier agrees on every case", () => {
    const d = load("wycheproof_ed25519.json");
    let n = 0;
    const bad: string[] = [];
    for (const g of d.testGroups as Json[]) {
      expect(g.type).toBe("EddsaVerify");
      const pk = fromHex(g.publicKey.pk);
      for (const t of g.tests as { tcId: number; msg: string; sig: string; result: string }[]) {
        n++;
        expect(["valid", "invalid"]).toContain(t.result);
        let ok = true;
        try {
          ed25519VerifyStrict(pk, fromHex(t.msg), fromHex(t.sig));
        } catch (e) {
          if (!(e instanceof CryptoError)) throw e;
          ok = false;
        }
        if (ok !== (t.result === "valid")) bad.push(`tcId ${t.tcId}: ours ${ok ? "valid" : "invalid"}, wycheproof ${t.result}`);
      }
    }
    expect(n).toBe(d.numberOfTests);
    expect(bad).toEqual([]);
  });
});
