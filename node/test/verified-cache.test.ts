import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConsensusError, localVerifier, type MlsagJob, type RangeProofJob, type Verifier } from "@baios/consensus";
import { VerifiedCache, cachingVerifier } from "../src/workers/verified-cache.ts";

/** A stand-in verifier whose verdict is a pure function of the job bytes (odd last signature/proof byte = invalid). */
const pure: Verifier = {
  async verifyMlsag(jobs) {
    for (const j of jobs) if ((j.signature[j.signature.length - 1] ?? 0) % 2 === 1) throw new ConsensusError("TX_SIGNATURE_INVALID", `input ${j.inputIndex}`, { index: j.txIndex });
  },
  async verifyRangeProofs(jobs) {
    for (const j of jobs) if ((j.proof[j.proof.length - 1] ?? 0) % 2 === 1) throw new ConsensusError("TX_RANGE_PROOF_INVALID", "range", { index: j.txIndex });
  },
};

const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const mlsagJob: fc.Arbitrary<MlsagJob> = fc.record({
  txIndex: fc.nat(5),
  inputIndex: fc.nat(3),
  message: b32,
  ringKeys: fc.array(b32, { minLength: 1, maxLength: 3 }),
  ringCommitments: fc.array(b32, { minLength: 1, maxLength: 3 }),
  pseudoOut: b32,
  keyImage: b32,
  signature: fc.uint8Array({ minLength: 33, maxLength: 40 }),
});
const rangeJob: fc.Arbitrary<RangeProofJob> = fc.record({ txIndex: fc.nat(5), commitments: fc.array(b32, { minLength: 1, maxLength: 2 }), proof: fc.uint8Array({ minLength: 1, maxLength: 40 }) });

const verdict = async (p: Promise<void>): Promise<string> =>
  p.then(
    () => "ok",
    (e: unknown) => {
      if (!(e instanceof ConsensusError)) throw e; // only typed verdicts are expected
      return `${e.code}@${e.index}`;
    },
  );

describe("verification cache (node/src/workers/verified-cache.ts)", () => {
  it("property: over any sequence of calls with repeated and mutated jobs, the cached verifier gives the inner verifier's verdict every time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.array(mlsagJob, { minLength: 1, maxLength: 3 }).map((m) => ({ m })), fc.array(rangeJob, { minLength: 1, maxLength: 3 }).map((r) => ({ r }))), { minLength: 1, maxLength: 12 }), fc.nat(), async (calls, seed) => {
        const cache = new VerifiedCache(8);
        const cached = cachingVerifier(pure, cache);
        // replay each call, then a byte-flipped copy (a different job that must not hit the cache)
        for (const c of [...calls, ...calls]) {
          if ("m" in c) {
            expect(await verdict(cached.verifyMlsag(c.m))).toBe(await verdict(pure.verifyMlsag(c.m)));
            const flipped = c.m.map((j) => ({ ...j, signature: j.signature.map((x, i) => (i === seed % j.signature.length ? x ^ 1 : x)) }));
            expect(await verdict(cached.verifyMlsag(flipped))).toBe(await verdict(pure.verifyMlsag(flipped)));
          } else {
            expect(await verdict(cached.verifyRangeProofs(c.r))).toBe(await verdict(pure.verifyRangeProofs(c.r)));
            const flipped = c.r.map((j) => ({ ...j, proof: j.proof.map((x, i) => (i === seed % j.proof.length ? x ^ 1 : x)) }));
            expect(await verdict(cached.verifyRangeProofs(flipped))).toBe(await verdict(pure.verifyRangeProofs(flipped)));
          }
        }
        expect(cache.size).toBeLessThanOrEqual(8);
      }),
      { numRuns: 150 },
    );
  });

  it("a job verified once is not sent to the inner verifier again; a failure is never remembered", async () => {
    let calls = 0;
    const counting: Verifier = { verifyMlsag: async (j) => void (calls += j.length, await pure.verifyMlsag(j)), verifyRangeProofs: async (j) => void (calls += j.length, await pure.verifyRangeProofs(j)) };
    const cache = new VerifiedCache();
    const v = cachingVerifier(counting, cache);
    const good: RangeProofJob = { txIndex: 0, commitments: [new Uint8Array(32).fill(1)], proof: Uint8Array.of(2) };
    const bad: RangeProofJob = { ...good, proof: Uint8Array.of(3) };
    await v.verifyRangeProofs([good]);
    await v.verifyRangeProofs([good]);
    expect(calls).toBe(1);
    await expect(v.verifyRangeProofs([bad])).rejects.toThrow(ConsensusError);
    await expect(v.verifyRangeProofs([bad])).rejects.toThrow(ConsensusError);
    expect(calls).toBe(3);
    expect(cache.hits).toBe(1);
    // the real local verifier behind the cache still rejects garbage
    await expect(cachingVerifier(localVerifier, new VerifiedCache()).verifyRangeProofs([bad])).rejects.toThrow();
  });
});
