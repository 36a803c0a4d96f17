/**
 * The validation pool's "busy" answer (docs/node.md §Validation and the worker pool).
 * @module
 */

/** A validation-pool lane: `block` (blocks, later votes: never starved by transactions) or `tx` (mempool submissions, bounded). */
export type Lane = "block" | "tx";

/** Plain-data form of a {@link NodeBusyError} (the JSON-RPC `error.data` of `NODE_BUSY`). */
export interface NodeBusyErrorJSON {
  name: "NodeBusyError";
  code: "NODE_BUSY";
  reason: string;
  action: "IGNORE";
  lane: Lane;
}

/**
 * The worker pool's queue for a lane is full: the work was refused before it was queued. Not a
 * rule violation and not the sender's fault: `action` is always `IGNORE` (p2p handlers drop the
 * message without penalty), the RPC answers `NODE_BUSY` (-32013, "busy, retry later"), and the
 * refusal counts in `baios_worker_queue_rejected_total{lane}`. Shaped like a ConsensusError
 * (`code`, `reason`, `action`) but deliberately not one: it says nothing about the data.
 */
export class NodeBusyError extends Error {
  /** Stable code, always `NODE_BUSY`. */
  readonly code = "NODE_BUSY" as const;
  /** Never the sender's fault. */
  readonly action = "IGNORE" as const;
  /** Human-readable detail: lane, queued jobs and the bound. */
  readonly reason: string;
  /** The lane whose queue was full. */
  readonly lane: Lane;

  constructor(lane: Lane, reason: string) {
    super(`NODE_BUSY: ${reason}`);
    this.name = "NodeBusyError";
    this.lane = lane;
    this.reason = reason;
  }

  /** Serialisable form (JSON-RPC `error.data`). */
  toJSON(): NodeBusyErrorJSON {
    return { name: "NodeBusyError", code: this.code, reason: this.reason, action: this.action, lane: this.lane };
  }
}

/** True when `e` is a {@link NodeBusyError}. */
export function isNodeBusyError(e: unknown): e is NodeBusyError {
  return e instanceof NodeBusyError;
}
