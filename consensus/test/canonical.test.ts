import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { certificateBytes, coinbaseBytes, HEADER_BYTES, headerBytes, txBodyBytes, txPrefixBytes, txSigningBytes, unbondBytes, unbondSignedBytes, voteBytes, mmrLeafBytes } from "../src/encoding/canonical.ts";
import { certArb, coinbaseArb, headerArb, txArb, unbondArb } from "./helpers/arbitraries.ts";
import { toHex } from "../src/encoding/bytes.ts";

describe("canonical byte encoding", () => {
  it("header is 488 bytes, fields at fixed offsets (docs/protocol.md §5)", () => {
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
        expect(toHex(b.subarray(160, 192))).toBe(toHex(h.blockTarget));
        expect(toHex(b.subarray(192, 224))).toBe(toHex(h.validatorsHash));
        expect(toHex(b.subarray(224, 256))).toBe(toHex(h.nextValidatorsHash));
        expect(toHex(b.subarray(256, 288))).toBe(toHex(h.lastCertificateHash));
        expect(toHex(b.subarray(288, 320))).toBe(toHex(h.evidenceRoot));
        expect(toHex(b.subarray(320, 352))).toBe(toHex(h.stakingRoot));
        expect(toHex(b.subarray(352, 384))).toBe(toHex(h.headerRoot));
        expect(toHex(b.subarray(384, 416))).toBe(toHex(h.superParentsRoot));
        expect(toHex(b.subarray(416, 448))).toBe(toHex(h.keyImageRoot));
        expect(toHex(b.subarray(448, 480))).toBe(toHex(h.stakingStateHash));
        expect(v.getBigUint64(480, true)).toBe(h.powNonce);
      }),
    );
  });
  it("tx prefix length formula and nesting prefix ⊂ signing ⊂ body", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const p = txPrefixBytes(tx);
        const expected = 4 + 4 + 8 + (tx.version === 2 ? 104 : 0) + 4 + tx.inputs.reduce((s, i) => s + 4 + 8 * i.ring.length + 64, 0) + 4 + 73 * tx.outputs.length + 4 + 32 * tx.txPublicKeys.length;
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
  it("the stake field exists exactly on version 2 (bond) txs; version-1 bytes are unchanged by it", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        if (tx.version === 2) {
          expect(() => txPrefixBytes({ ...tx, stake: undefined } as unknown as Parameters<typeof txPrefixBytes>[0])).toThrow(RangeError);
          const p = txPrefixBytes(tx);
          expect(toHex(p.subarray(16, 48))).toBe(toHex(tx.stake!.validator));
          expect(new DataView(p.buffer).getBigUint64(48, true)).toBe(tx.stake!.amount);
          expect(toHex(p.subarray(56, 120))).toBe(toHex(tx.stake!.validatorSignature));
        } else {
          expect(() => txPrefixBytes({ ...tx, stake: { validator: new Uint8Array(32), amount: 1n, validatorSignature: new Uint8Array(64) } })).toThrow(RangeError);
        }
      }),
    );
  });
  it("unbond (169 bytes, signed part 105) and certificate layouts", () => {
    fc.assert(
      fc.property(unbondArb, (u) => {
        const b = unbondBytes(u);
        expect(b.length).toBe(169);
        expect(toHex(b.subarray(0, 105))).toBe(toHex(unbondSignedBytes(u)));
        expect(toHex(b.subarray(105))).toBe(toHex(u.signature));
        expect(b[72]).toBe(u.viewTag);
      }),
    );
    fc.assert(
      fc.property(certArb, (c) => {
        expect(certificateBytes(c).length).toBe(48 + 96 * c.votes.length);
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
    const z = new Uint8Array(32);
    const h = { version: 2, chainId: 1, height: 1n, parentHash: z, timeMs: 0n, txRoot: z, outputRoot: z, outputCount: 0n, txPowTarget: z, blockTarget: z, validatorsHash: z, nextValidatorsHash: z, lastCertificateHash: z, evidenceRoot: z, stakingRoot: z, headerRoot: z, superParentsRoot: z, keyImageRoot: z, stakingStateHash: z, powNonce: 0n };
    expect(headerBytes(h).length).toBe(488);
    expect(() => headerBytes({ ...h, stakingStateHash: new Uint8Array(33) })).toThrow(RangeError);
    expect(() => headerBytes({ ...h, keyImageRoot: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => headerBytes({ ...h, height: -1n })).toThrow(RangeError);
    expect(() => headerBytes({ ...h, blockTarget: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => headerBytes({ ...h, powNonce: 1n << 64n })).toThrow(RangeError);
  });
});
