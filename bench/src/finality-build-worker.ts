/**
 * Worker thread of the finality benchmark: builds its share of the benchmark transactions
 * (Bulletproofs+ proving dominates, ~80 ms each in WASM) so every core builds. workerData:
 * `{ genesis: FinalityGenesisArgs, indices }`; posts back `{ bytes: Uint8Array[] }` in the
 * order of `indices`, or `{ error }`.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { buildFinalitySpend, finalityNodeGenesis, type FinalityGenesisArgs } from "./finality-fixture.ts";

const port = parentPort;
if (port === null) throw new Error("finality-build-worker.ts must run in a worker thread");
const { genesis: args, indices } = workerData as { genesis: FinalityGenesisArgs; indices: number[] };
try {
  const genesis = await finalityNodeGenesis(args);
  port.postMessage({ bytes: indices.map((i) => buildFinalitySpend(genesis, i).bytes) });
} catch (e) {
  port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
