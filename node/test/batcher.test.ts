// RangeProofBatcher: concurrent range-proof checks are verified together, and a bad proof in a
// batch rejects only its own transaction.
import { commit, randomScalar, rangeProve } from "@baios/crypto";
import { ConsensusError, localVerifier, type MlsagJob, type RangeProofJob, type Verifier } from "@baios/consensus";
import { describe, expect, it } from "vitest";
import { RangeProofBatcher } from "../src/workers/batcher.ts";
import { NodeBusyError } from "../src/workers/busy.ts";

function job(txIndex: number, good = true): RangeProofJob {
  const masks = [randomScalar(), randomScalar()];
  const amounts = [BigInt(txIndex), 1000n];
  const proof = rangeProve(amounts, masks);
  const commitments = amounts.map((a, i) => commit(good ? a : a + 1n, masks[i] as Uint8Array));
  return { txIndex, commitments, proof };
}

/** Records the batch sizes the inner verifier sees. */
function recording(): Verifier & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    verifyMlsag: (jobs: readonly MlsagJob[]) => localVerifier.verifyMlsag(jobs),
    async verifyRangeProofs(jobs: readonly RangeProofJob[]) {
      batches.push(jobs.length);
      return localVerifier.verifyRangeProofs(jobs);
    },
  };
}

describe("RangeProofBatcher", () => {
  it("verifies concurrent calls as one batch", async () => {
    const inner = recording();
    const b = new RangeProofBatcher(inner, { windowMs: 20, maxBatch: 64 });
    const jobs = [0, 1, 2, 3, 4].map((i) => job(i));
    await Promise.all(jobs.map((j) => b.verifyRangeProofs([j])));
    expect(inner.batches).toEqual([5]);
  });

  it("flushes at maxBatch without waiting for the window", async () => {
    const inner = recording();
    const b = new RangeProofBatcher(inner, { windowMs: 60_000, maxBatch: 3 });
    await Promise.all([0, 1, 2].map((i) => b.verifyRangeProofs([job(i)])));
    expect(inner.batches).toEqual([3]);
  });

  it("rejects only the transaction whose proof is bad", async () => {
    const inner = recording();
    const b = new RangeProofBatcher(inner, { windowMs: 20 });
    const results = await Promise.allSettled([job(0), job(1, false), job(2)].map((j) => b.verifyRangeProofs([j])));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const err = (results[1] as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(ConsensusError);
    expect((err as ConsensusError).code).toBe("TX_RANGE_PROOF_INVALID");
    expect(inner.batches[0]).toBe(3); // the batch, then each job alone
    expect(inner.batches.slice(1)).toEqual([1, 1, 1]);
  });

  it("a batch the pool refuses as busy fails every job with NODE_BUSY, without per-job retries", async () => {
    const batches: number[] = [];
    const busy: Verifier = {
      verifyMlsag: () => Promise.resolve(),
      verifyRangeProofs: (jobs) => {
        batches.push(jobs.length);
        return Promise.reject(new NodeBusyError("tx", "full"));
      },
    };
    const b = new RangeProofBatcher(busy, { windowMs: 20 });
    const results = await Promise.allSettled([job(0), job(1), job(2)].map((j) => b.verifyRangeProofs([j])));
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(NodeBusyError);
    }
    expect(batches).toEqual([3]); // the old code retried each job alone: [3, 1, 1, 1]
  });
});
