/**
 * Messages between the validation pool and its workers. Everything is plain data
 * (structured clone); errors cross as JSON (`ConsensusError.toJSON`).
 * @module
 */
import type { ConsensusErrorJSON, MlsagJob, RangeProofJob } from "@baios/consensus";

export type WorkerTask = { id: number; kind: "mlsag"; jobs: MlsagJob[] } | { id: number; kind: "range"; jobs: RangeProofJob[] } | { id: number; kind: "ping" };

export type WorkerReply =
  | { id: number; ok: true }
  | { id: number; ok: false; error: ConsensusErrorJSON }
  /** Not a consensus error: a bug or a crypto failure outside the rules. */
  | { id: number; ok: false; fatal: string };
