/**
 * Messages between the validation pool and its workers. Everything is plain data
 * (structured clone); errors cross as JSON (`ConsensusError.toJSON`).
 * @module
 */
import type { ConsensusErrorJSON, MlsagJob, RangeProofJob, TxVerifyJob } from "@baios/consensus";

/**
 * A task posted to a validation worker: MLSAG jobs verified one by one (step 6), range-proof jobs
 * batch-verified together (step 7), a micro-batch of whole transactions (`txs`: steps 6–7 of each,
 * their range proofs batched; one verdict per tx in {@link WorkerReply} `results`), or a `ping`
 * answered once the worker has loaded. `id` pairs the reply with the task.
 */
export type WorkerTask =
  | { id: number; kind: "mlsag"; jobs: MlsagJob[] }
  | { id: number; kind: "range"; jobs: RangeProofJob[] }
  | { id: number; kind: "txs"; jobs: TxVerifyJob[] }
  | { id: number; kind: "ping" };

/** One transaction's verdict in a `txs` reply: `null` (valid), a rule failure, or a non-rule failure. */
export type TxResult = null | { error: ConsensusErrorJSON } | { fatal: string };

/** A worker's answer to the task with the same `id`: success, a rule failure as `ConsensusError.toJSON()` (rebuilt with `ConsensusError.fromJSON`), or `fatal` (`name: message` of an unexpected error). */
export type WorkerReply = (
  | { id: number; ok: true; results?: TxResult[] }
  | { id: number; ok: false; error: ConsensusErrorJSON }
  /** Not a consensus error: a bug or a crypto failure outside the rules. */
  | { id: number; ok: false; fatal: string }
) & {
  /** CPU time (µs) of the worker thread spent on the task itself, without messaging (wall time on Node < 23.9): lets the pool's own overhead be measured. */
  us?: number;
  /** The worker's ring-member cache counters after the task: `[hits, misses, entries]`, cumulative. */
  ringCache?: [hits: number, misses: number, entries: number];
};
