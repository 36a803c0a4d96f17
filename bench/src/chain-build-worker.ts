/**
 * Worker thread of the chain benchmark: builds benchmark transactions (Bulletproofs+ proving
 * dominates, ~80 ms each in WASM) so both cores build. workerData: `{ outputs, blockTimeMs,
 * indices }`; posts back `{ bytes: Uint8Array[] }` in the order of `indices`, or `{ error }`.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { benchNodeGenesis, buildSpend } from "./chain-fixture.ts";

const port = parentPort;
if (port === null) throw new Error("chain-build-worker.ts must run in a worker thread");
const { outputs, blockTimeMs, indices } = workerData as { outputs: number; blockTimeMs: number; indices: number[] };
try {
  const genesis = await benchNodeGenesis(outputs, blockTimeMs);
  port.postMessage({ bytes: indices.map((i) => buildSpend(genesis, i).bytes) });
} catch (e) {
  port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
