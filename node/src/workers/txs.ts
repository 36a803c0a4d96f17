/**
 * The worker side of a `txs` task (a micro-batch of whole transactions, docs/node.md §Validation
 * and the worker pool): steps 6–7 of each tx with the range proofs batched, turned into
 * structured-clone-safe verdicts.
 * @module
 */
import { ConsensusError, verifyTxJobs, type TxVerifyJob } from "@baios/consensus";
import type { TxResult } from "./protocol.ts";

/** Verifies a micro-batch; one verdict per job, in order (see `verifyTxJobs`). */
export function verifyTxsTask(jobs: readonly TxVerifyJob[]): TxResult[] {
  return verifyTxJobs(jobs).map((e): TxResult => {
    if (e === undefined) return null;
    if (e instanceof ConsensusError) return { error: e.toJSON() };
    return { fatal: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  });
}
