// Issue 11, scanning speed: scanTxs (many transactions in one core call, shared points' encodings
// batched) against scanOutputs tx by tx (property), coinbase-style records (bit 31 of the count:
// public amounts, mask 1), the derivation scalar it returns (x = s + b opens P), and its errors: truncated records, an invalid tx public key.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { commit, CryptoError, makeOutput, oneTimeSecret, SCAN_OUTPUT_RECORD_BYTES, scalarAdd, scalarMultBase, scalarSub, scanOutputs, scanTxs, walletKeysFromSeed, type ChainOutput } from "../ts/index.ts";

const me = walletKeysFromSeed(new Uint8Array(32).fill(9));
const other = walletKeysFromSeed(new Uint8Array(32).fill(10));
const ONE = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));
const scalar = (n: number): Uint8Array => {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, n + 1, true);
  return s;
};

/** `R ‖ u32le n ‖ records`, `n` with bit 31 when `publicAmounts`. */
function record(R: Uint8Array, outs: readonly ChainOutput[], publicAmounts = false): Uint8Array {
  const b = new Uint8Array(36 + SCAN_OUTPUT_RECORD_BYTES * outs.length);
  b.set(R);
  new DataView(b.buffer).setUint32(32, (outs.length | (publicAmounts ? 0x8000_0000 : 0)) >>> 0, true);
  outs.forEach((o, i) => {
    const at = 36 + i * SCAN_OUTPUT_RECORD_BYTES;
    b.set(o.oneTimeKey, at);
    b.set(o.commitment, at + 32);
    b[at + 64] = o.viewTag;
    b.set(o.encryptedAmount, at + 65);
  });
  return b;
}
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

describe("scanTxs", () => {
  it("finds what scanOutputs finds, tx by tx (property)", () => {
    let seed = 0;
    fc.assert(
      fc.property(fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (txs) => {
        const built = txs.map((mine) => {
          const r = scalar(seed++);
          const outs = mine.map((m, i) => makeOutput(r, (m ? me : other).viewPublic, (m ? me : other).spendPublic, i, BigInt(100 + i)));
          return { R: scalarMultBase(r), outs };
        });
        const got = scanTxs(me.viewSecret, me.spendPublic, concat(built.map((t) => record(t.R, t.outs))));
        const want = built.flatMap((t, tx) => scanOutputs(me.viewSecret, me.spendPublic, t.R, t.outs).map((o) => ({ tx, ...o })));
        expect(got).toEqual(want);
        expect(got).toHaveLength(txs.flat().filter(Boolean).length);
        // the derivation scalar s they return gives the one-time secret x = s + b, and x·G = P
        for (const o of got) {
          const t = built[o.tx]!;
          const x = scalarAdd(o.derivationScalar, me.spendSecret);
          expect(x).toEqual(oneTimeSecret(me.viewSecret, me.spendSecret, t.R, o.index));
          expect(scalarMultBase(x)).toEqual(t.outs[o.index]!.oneTimeKey);
        }
      }),
      { numRuns: 15 },
    );
  });

  it("coinbase records: ours only when C = G + amount·H, with mask 1", () => {
    const r = scalar(1000);
    const outs = [0, 1].map((i) => makeOutput(r, me.viewPublic, me.spendPublic, i, 0n));
    const amount = 5_000_000n;
    const le = (v: bigint): Uint8Array => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, v, true);
      return b;
    };
    // output 0 opens with mask 1; output 1 claims another amount than its commitment's
    const cb = outs.map((o, i) => ({ ...o, commitment: commit(amount, ONE), encryptedAmount: le(i === 0 ? amount : amount + 1n) }));
    const got = scanTxs(me.viewSecret, me.spendPublic, record(scalarMultBase(r), cb, true));
    const x = oneTimeSecret(me.viewSecret, me.spendSecret, scalarMultBase(r), 0);
    expect(got).toEqual([{ tx: 0, index: 0, amount, mask: ONE, derivationScalar: scalarSub(x, me.spendSecret) }]);
    // the same bytes as a normal tx: the amount field is read as encrypted, nothing opens
    expect(scanTxs(me.viewSecret, me.spendPublic, record(scalarMultBase(r), cb))).toEqual([]);
  });

  it("errors: truncated record, invalid tx public key; empty input finds nothing", () => {
    const r = scalar(2000);
    const one = record(scalarMultBase(r), [makeOutput(r, me.viewPublic, me.spendPublic, 0, 1n)]);
    expect(scanTxs(me.viewSecret, me.spendPublic, new Uint8Array(0))).toEqual([]);
    for (const cut of [1, 35, 36, one.length - 1]) {
      const e = (() => {
        try {
          scanTxs(me.viewSecret, me.spendPublic, one.subarray(0, cut));
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).code).toBe("INVALID_LENGTH");
    }
    const bad = Uint8Array.from(one);
    bad.fill(0xff, 0, 32);
    expect(() => scanTxs(me.viewSecret, me.spendPublic, bad)).toThrow(CryptoError);
  });
});
