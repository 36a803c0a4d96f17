import { describe, expect, it } from "vitest";
import { ConsensusError, mlsagJobs, rangeProofJob, txSigningHash } from "@baios/consensus";
import { WorkerPool, chunk } from "../src/workers/pool.ts";
import { buildTx, testGenesis, premineRings } from "./helpers/fixture.ts";
import fc from "fast-check";

describe("worker pool", () => {
  it("chunk splits evenly and keeps order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 50 }), fc.integer({ min: 1, max: 8 }), (xs, n) => {
        const c = chunk(xs, n);
        expect(c.flat()).toEqual(xs);
        expect(c.length).toBeLessThanOrEqual(n);
        for (const part of c) expect(part.length).toBeGreaterThan(0);
        if (c.length > 0) expect(Math.max(...c.map((p) => p.length)) - Math.min(...c.map((p) => p.length))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("verifies MLSAGs and range proofs in workers; errors cross as ConsensusError", async () => {
    const genesis = await testGenesis();
    const pool = new WorkerPool(2);
    try {
      await pool.ready();
      const txs = [0, 1, 2, 3].map((i) => buildTx(genesis, i, { salt: i }));
      const jobs = txs.flatMap(({ tx }, ti) =>
        mlsagJobs(
          tx,
          txSigningHash(tx),
          premineRings(genesis, tx),
          ti,
        ),
      );
      await pool.verifyMlsag(jobs);
      const rjobs = txs.map(({ tx }, i) => rangeProofJob(tx, i));
      await pool.verifyRangeProofs(rjobs);
      // corrupt one signature and one range proof
      const badSig = jobs.map((j, i) => (i === 2 ? { ...j, message: new Uint8Array(32) } : j));
      const e1 = await pool.verifyMlsag(badSig).catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(ConsensusError);
      expect((e1 as ConsensusError).code).toBe("TX_SIGNATURE_INVALID");
      const badRange = rjobs.map((j, i) => (i === 3 ? { ...j, commitments: [...j.commitments].reverse() } : j));
      const e2 = await pool.verifyRangeProofs(badRange).catch((e: unknown) => e);
      expect((e2 as ConsensusError).code).toBe("TX_RANGE_PROOF_INVALID");
      expect((e2 as ConsensusError).index).toBe(3);
    } finally {
      await pool.close();
    }
  });
});
