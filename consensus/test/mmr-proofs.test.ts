/**
 * MMR inclusion and consistency proofs (docs/mmr.md §5–§6): fast-check properties over real
 * MMRs in a MemoryMmrBackend — prove and verify at any size, every tampered byte / leaf / root /
 * count rejected with a typed code, consistency for all n ≤ m, refusal for non-prefix histories —
 * plus exhaustive small sizes and the size bounds.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { h32 } from "@baios/crypto";
import { ConsensusError } from "../src/errors.ts";
import { u64le } from "../src/encoding/bytes.ts";
import { MemoryMmrBackend, Mmr } from "../src/mmr/mmr.ts";
import { peaks, popcount } from "../src/mmr/position.ts";
import { encodeInclusionProof, mmrLeafHash } from "../src/mmr/proof.ts";
import { checkInclusionProof, decodeInclusionProofStrict } from "../src/mmr/inclusion-check.ts";
import {
  consistencyPathLength, consistencyPlan, consistencyProofSize, decodeConsistencyProof, encodeConsistencyProof, verifyConsistencyProof,
} from "../src/mmr/consistency.ts";

const leaf = (i: number, salt = "a"): Uint8Array => mmrLeafHash(BigInt(i), h32(`test/key/${salt}`, u64le(BigInt(i))), h32("test/commitment", u64le(BigInt(i))));

/** One MMR of `MAX` leaves built once; smaller sizes are its prefixes (rootAt, proofs at a size). */
const MAX = 300;
const built = (async () => {
  const m = new Mmr(new MemoryMmrBackend());
  await m.append(Array.from({ length: MAX }, (_, i) => leaf(i)));
  const roots: Uint8Array[] = [];
  for (let n = 0; n <= MAX; n++) roots.push(await m.rootAt(BigInt(n)));
  return { m, roots };
})();

function code(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}

const flip = (b: Uint8Array, i: number, bit: number): Uint8Array => {
  const c = b.slice();
  c[i] = (c[i] as number) ^ (1 << bit);
  return c;
};

describe("MMR inclusion proofs (strict form)", () => {
  it("prove and verify at any size; bytes round-trip", async () => {
    const { m, roots } = await built;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))), async ([n, i]) => {
        const p = await m.proof(BigInt(i), BigInt(n));
        const bytes = encodeInclusionProof(p);
        expect(bytes.length).toBe(18 + 32 * (p.siblings.length + p.otherPeaks.length));
        expect(decodeInclusionProofStrict(bytes)).toEqual(p);
        expect(code(() => checkInclusionProof(roots[n] as Uint8Array, BigInt(n), leaf(i), bytes))).toBe("accepted");
      }),
      { numRuns: 200 },
    );
  });

  it("any flipped proof bit, another leaf, root or count is rejected with MMR_PROOF_*", async () => {
    const { m, roots } = await built;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: MAX }))),
        async ([n, i, at, bit, otherN]) => {
          const bytes = encodeInclusionProof(await m.proof(BigInt(i), BigInt(n)));
          const root = roots[n] as Uint8Array;
          const bad = flip(bytes, at % bytes.length, bit);
          expect(["MMR_PROOF_MALFORMED", "MMR_PROOF_INVALID"]).toContain(code(() => checkInclusionProof(root, BigInt(n), leaf(i), bad)));
          expect(code(() => checkInclusionProof(root, BigInt(n), leaf(i, "b"), bytes))).toBe("MMR_PROOF_INVALID");
          expect(code(() => checkInclusionProof(flip(root, at % 32, bit), BigInt(n), leaf(i), bytes))).toBe("MMR_PROOF_INVALID");
          if (otherN !== n) expect(code(() => checkInclusionProof(root, BigInt(otherN), leaf(i), bytes))).toBe("MMR_PROOF_INVALID");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("malformed bytes: truncated, trailing, index ≥ count, wrong counts", async () => {
    const { m } = await built;
    const bytes = encodeInclusionProof(await m.proof(5n, 7n)); // 7 leaves: mountain of 4 (height 2), others 2
    expect(code(() => decodeInclusionProofStrict(bytes.slice(0, -1)))).toBe("MMR_PROOF_MALFORMED");
    expect(code(() => decodeInclusionProofStrict(Uint8Array.of(...bytes, 0)))).toBe("MMR_PROOF_MALFORMED");
    const idx = bytes.slice();
    idx[0] = 7;
    expect(code(() => decodeInclusionProofStrict(idx))).toBe("MMR_PROOF_MALFORMED");
    expect(code(() => decodeInclusionProofStrict(new Uint8Array(17)))).toBe("MMR_PROOF_MALFORMED");
  });
});

describe("MMR consistency proofs", () => {
  it("hold for every 0 ≤ n ≤ m ≤ 40 (exhaustive); bytes round-trip; size formula; new peaks", async () => {
    const { m, roots } = await built;
    for (let newN = 0; newN <= 40; newN++) {
      const realPeaks = await Promise.all(peaks(BigInt(newN)).map(async (p) => (await m.backend.get(p.pos0)) as Uint8Array));
      for (let oldN = 0; oldN <= newN; oldN++) {
        const p = await m.consistencyProof(BigInt(oldN), BigInt(newN));
        const bytes = encodeConsistencyProof(p);
        expect(bytes.length).toBe(consistencyProofSize(BigInt(oldN), BigInt(newN)));
        expect(decodeConsistencyProof(bytes)).toEqual(p);
        const r = verifyConsistencyProof(roots[oldN] as Uint8Array, BigInt(oldN), roots[newN] as Uint8Array, BigInt(newN), bytes);
        expect(r.newPeaks).toEqual(realPeaks);
      }
    }
  });

  it("hold for random n ≤ m; any flipped bit, root or count is rejected with MMR_CONSISTENCY_*", async () => {
    const { m, roots } = await built;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: MAX }).chain((newN) => fc.tuple(fc.integer({ min: 0, max: newN }), fc.constant(newN), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: MAX }))),
        async ([oldN, newN, at, bit, otherN]) => {
          const bytes = encodeConsistencyProof(await m.consistencyProof(BigInt(oldN), BigInt(newN)));
          const [ro, rn] = [roots[oldN] as Uint8Array, roots[newN] as Uint8Array];
          const run = (b: Uint8Array, o = ro, oc = oldN, n = rn, nc = newN): string => code(() => verifyConsistencyProof(o, BigInt(oc), n, BigInt(nc), b));
          expect(run(bytes)).toBe("accepted");
          expect(["MMR_CONSISTENCY_MALFORMED", "MMR_CONSISTENCY_INVALID"]).toContain(run(flip(bytes, at % bytes.length, bit)));
          expect(run(bytes, flip(ro, at % 32, bit))).toBe("MMR_CONSISTENCY_INVALID");
          expect(run(bytes, ro, oldN, flip(rn, at % 32, bit))).toBe("MMR_CONSISTENCY_INVALID");
          if (otherN !== oldN) expect(run(bytes, ro, otherN)).toBe("MMR_CONSISTENCY_INVALID");
          if (otherN !== newN) expect(run(bytes, ro, oldN, rn, otherN)).toBe("MMR_CONSISTENCY_INVALID");
          expect(run(Uint8Array.of(...bytes, 0))).toBe("MMR_CONSISTENCY_MALFORMED");
          expect(run(bytes.slice(0, -1))).toBe("MMR_CONSISTENCY_MALFORMED");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("fail for non-prefix histories (histories that differ at a leaf below oldCount)", async () => {
    const { m: a, roots } = await built;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }).chain((newN) => fc.integer({ min: 1, max: newN }).chain((oldN) => fc.tuple(fc.constant(oldN), fc.constant(newN), fc.integer({ min: 0, max: oldN - 1 })))),
        async ([oldN, newN, diverge]) => {
          // b agrees with a up to leaf diverge − 1, then has other leaves
          const b = new Mmr(new MemoryMmrBackend());
          await b.append(Array.from({ length: newN }, (_, i) => (i < diverge ? leaf(i) : leaf(i, "b"))));
          const bOld = await b.rootAt(BigInt(oldN));
          const bNew = await b.rootAt(BigInt(newN));
          const pa = encodeConsistencyProof(await a.consistencyProof(BigInt(oldN), BigInt(newN)));
          const pb = encodeConsistencyProof(await b.consistencyProof(BigInt(oldN), BigInt(newN)));
          // a's old MMR is not a prefix of b's new one (and vice versa), whichever proof is offered
          for (const p of [pa, pb]) {
            expect(code(() => verifyConsistencyProof(roots[oldN] as Uint8Array, BigInt(oldN), bNew, BigInt(newN), p))).toBe("MMR_CONSISTENCY_INVALID");
            expect(code(() => verifyConsistencyProof(bOld, BigInt(oldN), roots[newN] as Uint8Array, BigInt(newN), p))).toBe("MMR_CONSISTENCY_INVALID");
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("malformed: oldCount > newCount, wrong hash counts", () => {
    const enc = (o: bigint, n: bigint, np: number, npath: number): Uint8Array => encodeConsistencyProof({ oldCount: o, newCount: n, oldPeaks: Array.from({ length: np }, () => new Uint8Array(32)), path: Array.from({ length: npath }, () => new Uint8Array(32)) });
    expect(code(() => decodeConsistencyProof(enc(5n, 4n, 2, 0)))).toBe("MMR_CONSISTENCY_MALFORMED");
    expect(code(() => decodeConsistencyProof(enc(5n, 6n, 1, consistencyPathLength(5n, 6n))))).toBe("MMR_CONSISTENCY_MALFORMED");
    expect(code(() => decodeConsistencyProof(enc(5n, 6n, 2, consistencyPathLength(5n, 6n) + 1)))).toBe("MMR_CONSISTENCY_MALFORMED");
    expect(code(() => decodeConsistencyProof(enc(5n, 6n, 2, consistencyPathLength(5n, 6n))))).toBe("accepted");
    expect(code(() => decodeConsistencyProof(new Uint8Array(17)))).toBe("MMR_CONSISTENCY_MALFORMED");
  });

  it("size bounds: at most 63 hashes below 2^32 leaves (2034 bytes), 127 for u64 counts; the worst cases reach them", () => {
    const hashes = (o: bigint, n: bigint): number => Number(popcount(o)) + consistencyPathLength(o, n);
    expect(hashes(1n, (1n << 32n) - 1n)).toBe(63);
    expect(consistencyProofSize(1n, (1n << 32n) - 1n)).toBe(2034);
    expect(hashes(1n, (1n << 64n) - 1n)).toBe(127);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (x, y) => {
        const [o, n] = x <= y ? [x, y] : [y, x];
        expect(hashes(o, n)).toBeLessThanOrEqual(63);
        expect(consistencyPlan(o, n).length).toBe(Number(popcount(n)));
      }),
      { numRuns: 2000 },
    );
  });
});
