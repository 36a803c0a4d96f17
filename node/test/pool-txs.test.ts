// Issue 11, worker pool: one message per transaction (steps 6–7 together, `verifyTx`),
// micro-batches of queued transactions with their range proofs batched on one worker, a
// range-proof batch never split across workers, and per-tx verdicts identical to the
// single-thread path. Real worker threads.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConsensusError, mlsagJobs, rangeProofJob, txSigningHash, verifyTxJob, type TxVerifyJob } from "@baios/consensus";
import { createMetrics } from "../src/metrics.ts";
import { WorkerPool } from "../src/workers/pool.ts";
import { buildTx, testGenesis, premineRings } from "./helpers/fixture.ts";

type Genesis = Awaited<ReturnType<typeof testGenesis>>;

function txJobs(genesis: Genesis, count: number): TxVerifyJob[] {
  return Array.from({ length: count }, (_, i) => buildTx(genesis, i, { salt: i }).tx).map((tx) => ({
    mlsag: mlsagJobs(
      tx,
      txSigningHash(tx),
      premineRings(genesis, tx),
    ),
    range: rangeProofJob(tx),
  }));
}

/** The same job with its signature or its range proof broken. */
function corrupt(j: TxVerifyJob, how: "ok" | "sig" | "range"): TxVerifyJob {
  if (how === "sig") return { ...j, mlsag: j.mlsag.map((m) => ({ ...m, message: new Uint8Array(32) })) };
  if (how === "range") return { ...j, range: { ...j.range!, commitments: [...j.range!.commitments].reverse() } };
  return j;
}

const verdict = (e: unknown): string => (e === undefined ? "ok" : e instanceof ConsensusError ? `${e.code}/${e.index ?? "-"}` : `other:${String(e)}`);

async function kinds(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const m = await metrics.workerTasks.get();
  return Object.fromEntries(m.values.map((v) => [String(v.labels["kind"]), v.value]));
}

describe("worker pool: whole-transaction jobs and micro-batches (real worker threads)", () => {
  let genesis: Genesis;
  let jobs: TxVerifyJob[];
  beforeAll(async () => {
    genesis = await testGenesis();
    jobs = txJobs(genesis, 6);
  });

  it("concurrent verifyTx calls: per-tx verdicts equal the single-thread verdicts (property), in fewer messages than txs", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const pool = new WorkerPool(2, { metrics });
    try {
      await pool.ready();
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ i: fc.nat(5), how: fc.constantFrom("ok", "ok", "sig", "range") as fc.Arbitrary<"ok" | "sig" | "range"> }), { minLength: 1, maxLength: 12 }), async (picks) => {
          const batch = picks.map((p) => corrupt(jobs[p.i]!, p.how));
          const expected = batch.map((j) => {
            try {
              verifyTxJob(j);
              return "ok";
            } catch (e) {
              return verdict(e);
            }
          });
          const got = await Promise.all(batch.map((j) => pool.verifyTx(j).then(() => "ok", verdict)));
          expect(got).toEqual(expected);
        }),
        { numRuns: 12 },
      );
      const k = await kinds(metrics);
      // every tx went as part of a `txs` message, never as separate mlsag/range messages
      expect(k["mlsag"] ?? 0).toBe(0);
      expect(k["range"] ?? 0).toBe(0);
      expect(k["txs"]).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it("a backlog is micro-batched: 24 queued txs on 2 workers take far fewer than 24 messages", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const pool = new WorkerPool(2, { metrics, maxMicroBatch: 8 });
    try {
      await pool.ready();
      const batch = Array.from({ length: 24 }, (_, i) => jobs[i % jobs.length]!);
      await Promise.all(batch.map((j) => pool.verifyTx(j)));
      const k = await kinds(metrics);
      // 2 go at once to the idle workers; the 22 queued behind them go in micro-batches of at most
      // 8 and at least half of what waits (share = ceil(queued / 2 workers)): 8, 7, 4, 2, 1 → 2 + 5 messages,
      // give or take arrival timing — far fewer than 24 (one message per tx) or 48 (two)
      expect(k["txs"]).toBeLessThanOrEqual(12);
      expect(k["txs"]).toBeGreaterThanOrEqual(2 + Math.ceil(22 / 8));
    } finally {
      await pool.close();
    }
  });

  it("a range-proof batch is one task on one worker (not split across workers)", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const pool = new WorkerPool(2, { metrics });
    try {
      await pool.ready();
      await pool.forBlocks().verifyRangeProofs(jobs.map((j, i) => ({ ...j.range!, txIndex: i })));
      expect((await kinds(metrics))["range"]).toBe(1);
      const bad = jobs.map((j, i) => ({ ...(i === 4 ? corrupt(j, "range").range! : j.range!), txIndex: i }));
      const e = await pool.verifyRangeProofs(bad).catch((x: unknown) => x);
      expect((e as ConsensusError).code).toBe("TX_RANGE_PROOF_INVALID");
      expect((e as ConsensusError).index).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it("verifyTx counts its jobs against the tx-lane bound (NODE_BUSY kept)", async () => {
    const pool = new WorkerPool(1, { txQueueMaxJobs: 4 });
    try {
      await pool.ready();
      const calls = Array.from({ length: 6 }, (_, i) => pool.verifyTx(jobs[i]!).then(() => "ok", (e: unknown) => (e as { code?: string }).code));
      const got = await Promise.all(calls);
      // 1 runs at once; 2 more fit (2 jobs each: 1 MLSAG + 1 range); the rest are refused
      expect(got).toEqual(["ok", "ok", "ok", "NODE_BUSY", "NODE_BUSY", "NODE_BUSY"]);
    } finally {
      await pool.close();
    }
  });
});
