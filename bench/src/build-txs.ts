/**
 * Builds the chain benchmarks' transactions on two worker threads (bench/src/chain-build-worker.ts;
 * Bulletproofs+ proving dominates, ~80 ms each in WASM): real 1-in/2-out ring-11 txs, tx `i`
 * spending premine output `i` of {@link benchGenesis}`(outputs, blockTimeMs)`. Optionally cached
 * in a file (the genesis and the txs are deterministic for given `outputs` and `blockTimeMs`).
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { decodeTx, txId, type Tx } from "@baios/consensus";

/** One benchmark transaction: premine index spent, wire bytes (docs/protocol.md §10.1), decoded tx, txid (32 bytes). */
export interface BenchTx {
  index: number;
  bytes: Uint8Array;
  tx: Tx;
  txid: Uint8Array;
}

/**
 * Builds `outputs` txs (one per premine output), sorted by index. With `cacheFile`, reads them
 * from it when it was written for the same `outputs` and `blockTimeMs`, else builds and writes it
 * (JSON: `{ outputs, blockTimeMs, txs: hex[] }`).
 * @throws Error when a builder thread fails.
 */
export async function buildBenchTxs(outputs: number, blockTimeMs: number, cacheFile?: string): Promise<BenchTx[]> {
  const wrap = (bytes: Uint8Array, index: number): BenchTx => {
    const tx = decodeTx(bytes);
    return { index, bytes, tx, txid: txId(tx) };
  };
  if (cacheFile !== undefined && existsSync(cacheFile)) {
    const c = JSON.parse(readFileSync(cacheFile, "utf8")) as { outputs: number; blockTimeMs: number; txs: string[] };
    if (c.outputs === outputs && c.blockTimeMs === blockTimeMs) return c.txs.map((h, i) => wrap(new Uint8Array(Buffer.from(h, "hex")), i));
  }
  const all = Array.from({ length: outputs }, (_, i) => i);
  const parts = [all.filter((i) => i % 2 === 0), all.filter((i) => i % 2 === 1)];
  const built = await Promise.all(
    parts.map(
      (indices) =>
        new Promise<Uint8Array[]>((resolve, reject) => {
          const w = new Worker(new URL("./chain-build-worker.ts", import.meta.url), { workerData: { outputs, blockTimeMs, indices } });
          let done = false;
          w.once("message", (m: { bytes?: Uint8Array[]; error?: string }) => {
            done = true;
            if (m.bytes !== undefined) resolve(m.bytes);
            else reject(new Error(`tx builder: ${m.error}`));
            void w.terminate();
          });
          w.once("error", reject);
          w.once("exit", (code) => {
            if (!done) reject(new Error(`tx builder exited with ${code}`));
          });
        }),
    ),
  );
  const out: BenchTx[] = [];
  parts.forEach((indices, p) => indices.forEach((index, k) => out.push(wrap((built[p] as Uint8Array[])[k] as Uint8Array, index))));
  out.sort((a, b) => a.index - b.index);
  if (cacheFile !== undefined) writeFileSync(cacheFile, JSON.stringify({ outputs, blockTimeMs, txs: out.map((t) => Buffer.from(t.bytes).toString("hex")) }));
  return out;
}
