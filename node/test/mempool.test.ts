import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConsensusError, type Tx } from "@baios/consensus";
import { AlreadyInPoolError, Mempool, MempoolFullError, comparePriority } from "../src/mempool.ts";

/** A structurally minimal tx: only `fee` and the key images matter to the pool. */
function fakeTx(fee: bigint, keyImages: number[]): Tx {
  return {
    version: 1,
    chainId: 1,
    fee,
    inputs: keyImages.map((k) => ({ ring: [], keyImage: new Uint8Array(32).fill(k), pseudoOut: new Uint8Array(32) })),
    outputs: [],
    txPublicKeys: [],
    rangeProof: new Uint8Array(0),
    signatures: [],
    powNonce: 0n,
  };
}
let nextId = 1;
const id = (): Uint8Array => {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(0, nextId++);
  return b;
};

describe("mempool", () => {
  it("first seen wins on key-image conflicts", () => {
    const p = new Mempool({ maxBytes: 1e6, maxTxs: 100 });
    const a = id();
    p.add(fakeTx(10n, [1, 2]), a, new Uint8Array(100));
    expect(() => p.add(fakeTx(1000n, [2, 3]), id(), new Uint8Array(100))).toThrow(ConsensusError);
    try {
      p.add(fakeTx(1000n, [3, 2]), id(), new Uint8Array(100));
    } catch (e) {
      expect((e as ConsensusError).code).toBe("TX_KEY_IMAGE_IN_POOL");
      expect((e as ConsensusError).index).toBe(1);
    }
    expect(() => p.add(fakeTx(10n, [9]), a, new Uint8Array(100))).toThrow(AlreadyInPoolError);
    expect(p.size).toBe(1);
    expect(p.spenderOf(new Uint8Array(32).fill(2))?.txid).toEqual(a);
  });

  it("removes included txs and the losers of double-spends when a block commits", () => {
    const p = new Mempool({ maxBytes: 1e6, maxTxs: 100 });
    const a = id();
    const b = id();
    p.add(fakeTx(10n, [1]), a, new Uint8Array(100));
    p.add(fakeTx(10n, [2]), b, new Uint8Array(100));
    // the block includes some other tx spending key image 2 (a double-spend of b), and a
    const removed = p.removeForBlock([a], [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]);
    expect(removed.map((e) => e.txid)).toEqual([a, b]);
    expect(p.size).toBe(0);
    expect(p.bytes).toBe(0);
    expect(p.spenderOf(new Uint8Array(32).fill(2))).toBeUndefined();
  });

  it("orders by fee per byte, then arrival", () => {
    const p = new Mempool({ maxBytes: 1e6, maxTxs: 100 });
    const low = id();
    const high = id();
    const same1 = id();
    const same2 = id();
    p.add(fakeTx(100n, [1]), low, new Uint8Array(1000)); // 0.1/B
    p.add(fakeTx(100n, [2]), high, new Uint8Array(100)); // 1/B
    p.add(fakeTx(50n, [3]), same1, new Uint8Array(100)); // 0.5/B
    p.add(fakeTx(100n, [4]), same2, new Uint8Array(200)); // 0.5/B, later
    expect(p.entries().map((e) => e.txid)).toEqual([high, same1, same2, low]);
    expect(p.select(350, 10).map((e) => e.txid)).toEqual([high, same1]);
    expect(p.select(1e6, 2).map((e) => e.txid)).toEqual([high, same1]);
  });

  it("evicts the lowest priority when full, refuses a tx that ranks lower", () => {
    const p = new Mempool({ maxBytes: 300, maxTxs: 100 });
    let evicted = 0;
    p.onEvict = () => evicted++;
    p.add(fakeTx(10n, [1]), id(), new Uint8Array(100));
    p.add(fakeTx(20n, [2]), id(), new Uint8Array(100));
    p.add(fakeTx(30n, [3]), id(), new Uint8Array(100));
    expect(() => p.add(fakeTx(5n, [4]), id(), new Uint8Array(100))).toThrow(MempoolFullError);
    const victims = p.add(fakeTx(40n, [5]), id(), new Uint8Array(150));
    expect(victims.map((v) => v.fee)).toEqual([10n, 20n]);
    expect(evicted).toBe(2);
    expect(p.bytes).toBe(250);
    expect(p.spenderOf(new Uint8Array(32).fill(1))).toBeUndefined();
  });

  it("invariants hold under random operations (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ fee: fc.bigInt({ min: 0n, max: 1000n }), size: fc.integer({ min: 1, max: 500 }), kis: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 3 }), remove: fc.boolean() }),
          { maxLength: 60 },
        ),
        (ops) => {
          const p = new Mempool({ maxBytes: 2000, maxTxs: 8 });
          const ids: Uint8Array[] = [];
          for (const op of ops) {
            if (op.remove && ids.length > 0) {
              p.removeForBlock([ids[0] as Uint8Array], [new Uint8Array(32).fill(op.kis[0] ?? 0)]);
              ids.shift();
              continue;
            }
            const t = id();
            try {
              p.add(fakeTx(op.fee, op.kis), t, new Uint8Array(op.size));
              ids.push(t);
            } catch (e) {
              if (!(e instanceof MempoolFullError) && !(e instanceof ConsensusError)) throw e;
            }
            expect(p.bytes).toBeLessThanOrEqual(2000);
            expect(p.size).toBeLessThanOrEqual(8);
            const es = p.entries();
            expect(es.reduce((a, e) => a + e.bytes.length, 0)).toBe(p.bytes);
            for (let i = 1; i < es.length; i++) expect(comparePriority(es[i - 1]!, es[i]!)).toBeLessThan(0);
            const seen = new Set<string>();
            for (const e of es) for (const k of e.keyImages) {
              expect(seen.has(k)).toBe(false);
              seen.add(k);
              expect(p.spenderOf(Buffer.from(k, "hex"))?.txidHex).toBe(e.txidHex);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
