/**
 * Validation worker entry (node:worker_threads). Importing @baios/consensus loads
 * @baios/crypto, which instantiates this thread's own WebAssembly module. Runs the expensive
 * pipeline steps: MLSAG verification (step 6) and batched range proofs (step 7).
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { rangeWarmUp, ringCacheConfigure, ringCacheStats } from "@baios/crypto";
import { ConsensusError, verifyMlsagJob, verifyRangeProofJobs } from "@baios/consensus";
import type { WorkerReply, WorkerTask } from "./protocol.ts";
import { verifyTxsTask } from "./txs.ts";

const port = parentPort;
if (port === null) throw new Error("workers/worker.ts must run in a worker thread");

// Build this thread's Bulletproofs+ generator tables (for 1- to 4-output proofs, the common
// sizes) before the first task, so the first transactions are not charged for them.
rangeWarmUp(4);
// This thread's ring-member cache (node config `ringCacheEntries`, passed by the pool).
ringCacheConfigure((workerData as { ringCacheEntries?: number } | null)?.ringCacheEntries ?? 0);

/** This thread's CPU time in µs (Node ≥ 23.9: `process.threadCpuUsage`), else wall time: a busy machine preempts tasks, so wall time would overstate their cost. */
const taskClockUs = (): number => {
  if (typeof process.threadCpuUsage !== "function") return performance.now() * 1000;
  const u = process.threadCpuUsage();
  return u.user + u.system;
};

port.on("message", (task: WorkerTask) => {
  let reply: WorkerReply;
  const t0 = taskClockUs();
  try {
    if (task.kind === "mlsag") for (const j of task.jobs) verifyMlsagJob(j);
    else if (task.kind === "range") verifyRangeProofJobs(task.jobs);
    reply = task.kind === "txs" ? { id: task.id, ok: true, results: verifyTxsTask(task.jobs) } : { id: task.id, ok: true };
  } catch (e) {
    if (e instanceof ConsensusError) reply = { id: task.id, ok: false, error: e.toJSON() };
    else reply = { id: task.id, ok: false, fatal: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  reply.us = taskClockUs() - t0;
  const rc = ringCacheStats();
  reply.ringCache = [rc.hits, rc.misses, rc.entries];
  port.postMessage(reply);
});
