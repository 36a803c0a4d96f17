import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { coinbaseBytes, HEADER_BYTES, headerBytes, txBodyBytes, txPrefixBytes, txSigningBytes, voteBytes, mmrLeafBytes } from "../src/encoding/canonical.ts";
import { coinbaseArb, headerArb, txArb } from "./helpers/arbitraries.ts";
import { toHex } from "../src/encoding/bytes.ts";

describe("canonical byte encoding", () => {
  it("header is 224 bytes, fields at fixed offsets", () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const b = headerBytes(h);
        expect(b.length).toBe(HEADER_BYTES);
        const v = new DataView(b.buffer);
        expect(v.getUint32(0, true)).toBe(h.version);
        expect(v.getUint32(4, true)).toBe(h.chainId);
        expect(v.getBigUint64(8, true)).toBe(h.height);
        expect(toHex(b.subarray(16, 48))).toBe(toHex(h.parentHash));
        expect(v.getBigUint64(48, true)).toBe(h.timeMs);
        expect(toHex(b.subarray(56, 88))).toBe(toHex(h.txRoot));
        expect(toHex(b.subarray(88, 120))).toBe(toHex(h.outputRoot));
        expect(v.getBigUint64(120, true)).toBe(h.outputCount);
        expect(toHex(b.subarray(128, 160))).toBe(toHex(h.txPowTarget));
        expect(toHex(b.subarray(160, 192))).toBe(toHex(h.validatorsHash));
        expect(toHex(b.subarray(192, 224))).toBe(toHex(h.proposer));
      }),
    );
  });
  it("tx prefix length formula and nesting prefix ⊂ signing ⊂ body", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const p = txPrefixBytes(tx);
        const expected = 4 + 4 + 8 + 4 + tx.inputs.reduce((s, i) => s + 4 + 8 * i.ring.length + 64, 0) + 4 + 73 * tx.outputs.length + 4 + 32 * tx.txPublicKeys.length;
        expect(p.length).toBe(expected);
        const s = txSigningBytes(tx);
        const b = txBodyBytes(tx);
        expect(toHex(s.subarray(0, p.length))).toBe(toHex(p));
        expect(s.length).toBe(p.length + 4 + tx.rangeProof.length);
        expect(toHex(b.subarray(0, s.length))).toBe(toHex(s));
        expect(b.length).toBe(s.length + 4 + tx.signatures.reduce((n, x) => n + 4 + x.length, 0));
      }),
    );
  });
  it("the body encoding is injective (equal bytes only for equal txs, nonce aside)", () => {
    const canon = (t: object): string => JSON.stringify({ ...t, powNonce: 0 }, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? toHex(v) : v));
    fc.assert(
      fc.property(txArb, txArb, (a, b) => {
        expect(toHex(txBodyBytes(a)) === toHex(txBodyBytes(b))).toBe(canon(a) === canon(b));
      }),
    );
    fc.assert(
      fc.property(txArb, (a) => {
        expect(toHex(txBodyBytes(a))).toBe(toHex(txBodyBytes({ ...a, powNonce: a.powNonce ^ 1n })));
      }),
    );
  });
  it("coinbase, vote and MMR leaf layouts", () => {
    fc.assert(
      fc.property(coinbaseArb, (c) => {
        expect(coinbaseBytes(c).length).toBe(8 + 32 + 4 + 49 * c.outputs.length);
      }),
    );
    expect(voteBytes(1, 2n, 3, new Uint8Array(32)).length).toBe(48);
    expect(mmrLeafBytes(5n, new Uint8Array(32), new Uint8Array(32)).length).toBe(72);
    expect(() => headerBytes({ version: 1, chainId: 1, height: -1n, parentHash: new Uint8Array(32), timeMs: 0n, txRoot: new Uint8Array(32), outputRoot: new Uint8Array(32), outputCount: 0n, txPowTarget: new Uint8Array(32), validatorsHash: new Uint8Array(32), proposer: new Uint8Array(32) })).toThrow(RangeError);
  });
});
