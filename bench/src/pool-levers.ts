/**
 * The worker pool's levers (issue 11), measured in one run with the same transactions, variants
 * interleaved (A B A B …): `validateTx` of every tx fired concurrently on a 2-worker pool,
 * - before: the pool as it was — MLSAG and range proof as 2 separate messages per tx, the range
 *   proofs batched by the node's RangeProofBatcher and each batch split across the workers;
 * - after: one `verifyTx` item per tx, queued items micro-batched into one message per idle
 *   worker, range proofs batched on that worker (a batch never split).
 * Pool overhead per tx = (CPU of every thread − CPU of the worker threads inside tasks − CPU of the
 * main-thread part of validateTx, measured with a no-op verifier) / txs: what postMessage,
 * structured clone, dispatch and reply handling cost.
 * @module
 */
import { performance } from "node:perf_hooks";
import { validateTx, type ChainParams, type ChainView, type RangeProofJob, type Verifier } from "@baios/consensus";
import { WorkerPool } from "@baios/node";
import { RangeProofBatcher } from "../../node/src/workers/batcher.ts";
import { chunk } from "../../node/src/workers/pool.ts";
import { interleave, summarize, type Summary } from "./harness.ts";

/** One variant's figures over the rounds. */
export interface LeverFigures {
  txPerS: Summary;
  cpuUsPerTx: Summary;
  overheadUsPerTx: Summary;
  messagesPerTx: number;
}

/** Result of {@link measurePoolLevers}. */
export interface PoolLevers {
  txs: number;
  rounds: number;
  mainUsPerTx: number;
  before: LeverFigures;
  after: LeverFigures;
}

/** The pre-issue-11 behaviour on today's pool: no `verifyTx`, range batches split over the workers. */
function legacy(lane: Verifier, size: number): Verifier {
  return {
    verifyMlsag: (jobs) => lane.verifyMlsag(jobs),
    verifyRangeProofs: async (jobs: readonly RangeProofJob[]) => {
      await Promise.all(chunk(jobs, size).map((c) => lane.verifyRangeProofs(c)));
    },
  };
}

/**
 * Measures both variants on `txs` (wire bytes, valid against `view`).
 * @param rounds interleaved rounds per variant
 */
export async function measurePoolLevers(txs: readonly Uint8Array[], view: ChainView, params: ChainParams, rounds = 5): Promise<PoolLevers> {
  const pool = new WorkerPool(2, { txQueueMaxJobs: 1_000_000 });
  try {
    await pool.ready();
    const noop: Verifier = { verifyMlsag: async () => undefined, verifyRangeProofs: async () => undefined };
    // main-thread part (steps 1–5, hashes): sequential, no-op verifier
    for (const t of txs.slice(0, 16)) await validateTx(t, view, params, { verifier: noop });
    const mainSamples: number[] = [];
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      for (const t of txs) await validateTx(t, view, params, { verifier: noop });
      const c = process.cpuUsage(c0);
      mainSamples.push((c.user + c.system) / txs.length);
    }
    const mainUs = Math.min(...mainSamples);

    const per: Record<"before" | "after", { tput: number[]; cpu: number[]; over: number[]; msgs: number[] }> = {
      before: { tput: [], cpu: [], over: [], msgs: [] },
      after: { tput: [], cpu: [], over: [], msgs: [] },
    };
    const round = (name: "before" | "after") => async (): Promise<number> => {
      const verifier = name === "before" ? new RangeProofBatcher(legacy(pool.forTxs(), pool.size)) : new RangeProofBatcher(pool.forTxs());
      const s0 = pool.stats;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(txs.map((t) => validateTx(t, view, params, { verifier })));
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const s1 = pool.stats;
      const cpuUs = (c.user + c.system) / txs.length;
      const p = per[name];
      p.tput.push((txs.length * 1000) / wallMs);
      p.cpu.push(cpuUs);
      p.over.push(cpuUs - (s1.taskUs - s0.taskUs) / txs.length - mainUs);
      p.msgs.push((s1.messages - s0.messages) / txs.length);
      return (txs.length * 1000) / wallMs;
    };
    // the warm-up round's figures are dropped below
    await interleave({ before: round("before"), after: round("after") }, rounds, 1);
    const fig = (name: "before" | "after"): LeverFigures => {
      const p = per[name];
      const drop = <T>(xs: T[]): T[] => xs.slice(1);
      const sum = summarize;
      const msgs = drop(p.msgs);
      return { txPerS: sum(drop(p.tput)), cpuUsPerTx: sum(drop(p.cpu)), overheadUsPerTx: sum(drop(p.over)), messagesPerTx: msgs.reduce((a, b) => a + b, 0) / msgs.length };
    };
    return { txs: txs.length, rounds, mainUsPerTx: mainUs, before: fig("before"), after: fig("after") };
  } finally {
    await pool.close();
  }
}
