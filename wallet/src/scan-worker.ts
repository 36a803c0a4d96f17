/**
 * Scan worker entry (node:worker_threads, see ./scan-workers.ts): holds one wallet's keys
 * (`workerData`, decoded once) and answers each {@link ScanTask}: the `scanTxs` hits of its
 * packed units (packed and applied on the calling thread), or the matches of its units.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { scanTxs } from "@baios/crypto";
import { matchUnits, type MatchKeys } from "./scan-match.ts";
import type { ScanReply, ScanTask } from "./scan-workers.ts";

const port = parentPort;
if (port === null) throw new Error("scan-worker.ts must run in a worker thread");
const data = workerData as MatchKeys;
const keys: MatchKeys = { viewSecret: Uint8Array.from(data.viewSecret), spendPublic: Uint8Array.from(data.spendPublic), ...(data.subaddresses ? { subaddresses: data.subaddresses } : {}) };

port.on("message", (task: ScanTask) => {
  let reply: ScanReply;
  try {
    reply = "packed" in task ? { id: task.id, hits: scanTxs(keys.viewSecret, keys.spendPublic, task.packed) } : { id: task.id, matches: matchUnits(keys, task.units) }; // one batched core call either way
  } catch (e) {
    reply = { id: task.id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
