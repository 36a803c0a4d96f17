// The ring-member cache inside the WebAssembly core never changes an MLSAG verdict
// (crypto-wasm/src/ring_cache.rs): fast-check compares mlsagVerify through a small cache with
// mlsagVerifyUncached, for valid and tampered signatures, over rings that reuse the same member
// bytes (other positions, other neighbours, another commitment), and checks the bound.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";

/** "OK" or `CODE: reason` of a verification. */
function outcome(f: () => void): string {
  try {
    f();
    return "OK";
  } catch (e) {
    if (e instanceof c.CryptoError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

const POOL = 14;
const AMOUNT = 1000n;
// Members with known secrets, all committing to the same amount, so any of them can sign.
const pool = Array.from({ length: POOL }, (_, i) => {
  const x = c.hashToScalar("test/ring-cache/x", Uint8Array.of(i));
  const y = c.hashToScalar("test/ring-cache/y", Uint8Array.of(i));
  return { x, y, p: c.scalarMultBase(x), c: c.commit(AMOUNT, y) };
});

/** A valid signature over members `keys[j]` paired with commitments `comms[j]` (pool indices). */
function signed(keys: number[], comms: number[], signer: number, seed: Uint8Array) {
  const pseudoMask = c.hashToScalar("test/ring-cache/pseudo", seed);
  const ring: c.MlsagRing = {
    message: c.hashToScalar("test/ring-cache/msg", seed),
    ringKeys: keys.map((i) => pool[i]!.p),
    ringCommitments: comms.map((i) => pool[i]!.c),
    pseudoOut: c.commit(AMOUNT, pseudoMask),
  };
  const x = pool[keys[signer]!]!.x;
  const z = c.scalarSub(pool[comms[signer]!]!.y, pseudoMask);
  return { ring, keyImage: c.keyImage(x, ring.ringKeys[signer]!), sig: c.mlsagSign(ring, signer, x, z, seed) };
}

type Case = ReturnType<typeof signed>;
const flip = (b: Uint8Array, pos: number, bit: number): Uint8Array => {
  const o = b.slice();
  o[pos % o.length] = o[pos % o.length]! ^ (1 << bit % 8);
  return o;
};

/** The valid case and tampered ones: signature byte, ring key byte, commitment byte, message, re-paired commitment. */
function variants(k: Case, pos: number, bit: number): Case[] {
  const n = k.ring.ringKeys.length;
  const j = pos % n;
  const keys = k.ring.ringKeys.map((p, i) => (i === j ? flip(p, pos >> 4, bit) : p));
  const comms = k.ring.ringCommitments.map((p, i) => (i === j ? flip(p, pos >> 4, bit) : p));
  const repaired = k.ring.ringCommitments.map((p, i) => (i === j ? k.ring.ringCommitments[(j + 1) % n]! : p));
  return [
    k,
    { ...k, sig: flip(k.sig, pos, bit) },
    { ...k, ring: { ...k.ring, ringKeys: keys } },
    { ...k, ring: { ...k.ring, ringCommitments: comms } },
    { ...k, ring: { ...k.ring, message: flip(k.ring.message, 0, bit) } },
    ...(n > 1 ? [{ ...k, ring: { ...k.ring, ringCommitments: repaired } }] : []),
  ];
}

afterAll(() => c.ringCacheConfigure(0));

describe("ring-member cache through WASM", () => {
  it("cached and uncached verification give the same verdict, valid or tampered, rings sharing members", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.uniqueArray(fc.nat({ max: POOL - 1 }), { minLength: 1, maxLength: 11 }), fc.nat(), fc.nat(), fc.nat({ max: 7 }), fc.uint8Array({ minLength: 32, maxLength: 32 })), { minLength: 1, maxLength: 4 }),
        (capacity, rings) => {
          c.ringCacheConfigure(0);
          c.ringCacheConfigure(capacity);
          for (let round = 0; round < 2; round++) {
            for (const [members, signer, pos, bit, seed] of rings) {
              const shifted = members.map((_, i) => members[(i + 1) % members.length]!);
              const cases = [
                ...variants(signed(members, members, signer % members.length, seed), pos, bit),
                // Same key bytes as cached entries, each paired with another member's commitment.
                signed(members, shifted, signer % members.length, seed),
                // The same members in reverse order.
                signed([...members].reverse(), [...members].reverse(), 0, seed),
              ];
              for (const [i, k] of cases.entries()) {
                const want = outcome(() => c.mlsagVerifyUncached(k.ring, k.keyImage, k.sig));
                const got = outcome(() => c.mlsagVerify(k.ring, k.keyImage, k.sig));
                expect(got).toBe(want);
                const tamperedCase = i >= 1 && i < cases.length - 2;
                expect(want === "OK").toBe(!tamperedCase);
              }
              const s = c.ringCacheStats();
              expect(s.entries).toBeLessThanOrEqual(capacity);
              expect(s.capacity).toBe(capacity);
            }
          }
          expect(c.ringCacheStats().hits).toBeGreaterThan(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("reports hits, misses and entries; 0 turns it off", () => {
    c.ringCacheConfigure(0);
    expect(c.ringCacheStats()).toEqual({ hits: 0, misses: 0, entries: 0, capacity: 0 });
    c.ringCacheConfigure(64);
    const k = signed([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, new Uint8Array(32).fill(3));
    c.mlsagVerify(k.ring, k.keyImage, k.sig);
    expect(c.ringCacheStats()).toEqual({ hits: 0, misses: 11, entries: 11, capacity: 64 });
    c.mlsagVerify(k.ring, k.keyImage, k.sig);
    expect(c.ringCacheStats()).toEqual({ hits: 11, misses: 11, entries: 11, capacity: 64 });
    c.ringCacheConfigure(5);
    expect(c.ringCacheStats()).toEqual({ hits: 11, misses: 11, entries: 5, capacity: 5 });
    c.ringCacheConfigure(0);
    c.mlsagVerify(k.ring, k.keyImage, k.sig);
    expect(c.ringCacheStats()).toEqual({ hits: 0, misses: 0, entries: 0, capacity: 0 });
    expect(() => c.ringCacheConfigure(-1)).toThrow(RangeError);
  });
});
