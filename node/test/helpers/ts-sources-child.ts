/**
 * Child process of node/test/ts-sources.test.ts: records the main thread's stripped sources
 * BEFORE loading the node (as `baios node` does), then runs a real worker pool — which now boots
 * its workers from those sources — on real MLSAG and range-proof jobs. Prints one JSON line.
 * @module
 */
import { recordStrippedSources, workerSources } from "../../src/workers/ts-sources.ts";

recordStrippedSources();
const { ConsensusError, coinbaseCommitment, mlsagJobs, rangeProofJob, txSigningHash } = await import("@baios/consensus");
const { WorkerPool } = await import("../../src/workers/pool.ts");
const { buildTx, testGenesis } = await import("./fixture.ts");

const dirs = [new URL("../../src/workers/", import.meta.url).href, new URL("./", import.meta.resolve("@baios/consensus")).href, new URL("./", import.meta.resolve("@baios/crypto")).href];
const sources = workerSources(dirs);
const genesis = await testGenesis();
const pool = new WorkerPool(1);
try {
  await pool.ready();
  const cb = genesis.block.coinbase;
  const txs = [0, 1].map((i) => buildTx(genesis, i, { salt: i }));
  const jobs = txs.flatMap(({ tx }, ti) =>
    mlsagJobs(tx, txSigningHash(tx), tx.inputs.map((inp) => ({ ringKeys: inp.ring.map((g) => cb.outputs[Number(g)]!.oneTimeKey), ringCommitments: inp.ring.map((g) => coinbaseCommitment(cb.outputs[Number(g)]!.amount)) })), ti),
  );
  await pool.verifyMlsag(jobs);
  await pool.verifyRangeProofs(txs.map(({ tx }, i) => rangeProofJob(tx, i)));
  const bad = await pool.verifyMlsag(jobs.map((j, i) => (i === 1 ? { ...j, message: new Uint8Array(32) } : j))).catch((e: unknown) => e);
  process.stdout.write(
    `${JSON.stringify({
      sources: sources.size,
      hasWorkerEntry: sources.has(new URL("../../src/workers/worker.ts", import.meta.url).href),
      typesLeft: [...sources.values()].some((js) => /\binterface\s+\w+\s*\{/.test(js) && !/^\s*\/[/*]/.test(js)),
      badCode: bad instanceof ConsensusError ? bad.code : String(bad),
    })}\n`,
  );
} finally {
  await pool.close();
}
