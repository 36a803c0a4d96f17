import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Packr } from "msgpackr";
import { decodeBlock, decodeCertificate, decodeTx, encodeBlock, encodeCertificate, encodeTx } from "../src/encoding/msgpack.ts";
import { ConsensusError } from "../src/errors.ts";
import { blockArb, certArb, txArb } from "./helpers/arbitraries.ts";

const raw = new Packr({ useRecords: false, variableMapSize: true });
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
  return "OK";
};
const plain = (tx: ReturnType<typeof decodeTx>): Record<string, unknown> => raw.unpack(encodeTx(tx)) as Record<string, unknown>;

describe("msgpack envelope", () => {
  it("round-trips txs, blocks and certificates (decode(encode(x)) == x, encode(decode(b)) == b)", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const b = encodeTx(tx);
        const d = decodeTx(b, 1 << 20);
        expect(d).toEqual(tx);
        expect(encodeTx(d)).toEqual(b);
        return true;
      }),
    );
    fc.assert(
      fc.property(blockArb, (blk) => {
        const b = encodeBlock(blk);
        expect(decodeBlock(b)).toEqual(blk);
      }),
      { numRuns: 50 },
    );
    fc.assert(fc.property(certArb, (c) => {
      expect(decodeCertificate(encodeCertificate(c))).toEqual(c);
    }));
  });

  it("decoded byte fields are plain copies", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const d = decodeTx(encodeTx(tx), 1 << 20);
        expect(Object.getPrototypeOf(d.rangeProof)).toBe(Uint8Array.prototype);
      }),
      { numRuns: 10 },
    );
  });

  it("rejects oversized input before decoding", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const b = encodeTx(tx);
        expect(codeOf(() => decodeTx(b, b.length - 1))).toBe("TX_OVERSIZED");
        expect(codeOf(() => decodeTx(b, b.length))).toBe("OK");
      }),
      { numRuns: 20 },
    );
    expect(codeOf(() => decodeTx(new Uint8Array(70_000)))).toBe("TX_OVERSIZED");
  });

  it("rejects trailing bytes, garbage, unknown/missing fields and wrong types", () => {
    fc.assert(
      fc.property(txArb, fc.uint8Array({ minLength: 1, maxLength: 8 }), (tx, extra) => {
        const b = encodeTx(tx);
        const withTrail = new Uint8Array([...b, ...extra]);
        expect(["TX_MALFORMED", "TX_NON_CANONICAL_ENCODING"]).toContain(codeOf(() => decodeTx(withTrail, 1 << 20)));
        const p = plain(tx);
        expect(codeOf(() => decodeTx(raw.pack({ ...p, extra: 1 }), 1 << 20))).toBe("TX_MALFORMED");
        const { f: _fee, ...noFee } = p;
        expect(codeOf(() => decodeTx(raw.pack(noFee), 1 << 20))).toBe("TX_MALFORMED");
        expect(codeOf(() => decodeTx(raw.pack({ ...p, f: 5 }), 1 << 20))).toBe("TX_MALFORMED"); // number instead of u64 bigint
        expect(codeOf(() => decodeTx(raw.pack({ ...p, v: 1n }), 1 << 20))).toBe("TX_MALFORMED");
        expect(codeOf(() => decodeTx(raw.pack({ ...p, f: -1n }), 1 << 20))).toBe("TX_MALFORMED");
        expect(codeOf(() => decodeTx(raw.pack({ ...p, r: [new Uint8Array(31)] }), 1 << 20))).toBe("TX_MALFORMED");
        expect(codeOf(() => decodeTx(raw.pack({ ...p, p: "x" }), 1 << 20))).toBe("TX_MALFORMED");
        expect(codeOf(() => decodeTx(raw.pack([p]), 1 << 20))).toBe("TX_MALFORMED");
      }),
      { numRuns: 30 },
    );
    expect(codeOf(() => decodeTx(new Uint8Array([0xc1])))).toBe("TX_MALFORMED");
    expect(codeOf(() => decodeTx(new Uint8Array([])))).toBe("TX_MALFORMED");
  });

  it("rejects non-canonical msgpack (reordered keys, float ints, wide ints, map16)", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const p = plain(tx);
        const reordered = Object.fromEntries(Object.entries(p).reverse());
        expect(codeOf(() => decodeTx(raw.pack(reordered), 1 << 20))).toBe("TX_NON_CANONICAL_ENCODING");
        // version as a float64
        const b = encodeTx({ ...tx, version: 7 });
        const idx = b.indexOf(0x07, 1); // the fixint 7 after the version key "v"
        const f = new Uint8Array(b.length + 8);
        f.set(b.subarray(0, idx));
        f[idx] = 0xcb;
        new DataView(f.buffer).setFloat64(idx + 1, 7);
        f.set(b.subarray(idx + 1), idx + 9);
        expect(codeOf(() => decodeTx(f, 1 << 20))).toBe("TX_NON_CANONICAL_ENCODING");
        // map16 header instead of fixmap
        const m = new Uint8Array(b.length + 2);
        m[0] = 0xde;
        m[1] = 0;
        m[2] = 9;
        m.set(b.subarray(1), 3);
        expect(codeOf(() => decodeTx(m, 1 << 20))).toBe("TX_NON_CANONICAL_ENCODING");
      }),
      { numRuns: 30 },
    );
  });

  it("duplicate map keys are rejected", () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const b = encodeTx(tx);
        // append a duplicate powNonce ("n") entry and bump the fixmap count
        const dup = raw.pack({ n: tx.powNonce }).subarray(1);
        const x = new Uint8Array([0x8a, ...b.subarray(1), ...dup]);
        expect(["TX_MALFORMED", "TX_NON_CANONICAL_ENCODING"]).toContain(codeOf(() => decodeTx(x, 1 << 20)));
      }),
      { numRuns: 20 },
    );
  });

  it("rejects garbage without crashing", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(codeOf(() => decodeTx(b))).not.toBe("OK");
    }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(codeOf(() => decodeBlock(b))).not.toBe("OK");
    }));
  });
});
