/**
 * Chain benchmarks (issue: private transfers end to end). Measures, in one run, with real
 * 1-in/2-out ring-11 RingCT transactions (MLSAG + Bulletproofs+, Tx-PoW) built beforehand:
 * - tx validation throughput through the node's own path (`NodeHandle.submitTx`, in process,
 *   fresh node per round): the 2-worker pool vs single-thread validation (`workers: 0`), rounds
 *   alternated, median of each; plus a per-stage profile of where the time goes;
 * - tx size: wire bytes (docs/protocol.md §10.1 = the hashed canonical bytes + the PoW nonce), broken down by component, vs Monero's
 *   published 1.33 kB for a 1-in/2-out CLSAG/Bulletproofs+ tx;
 * - send → finalized latency on a real validator node in a child process (`baios node`, as the
 *   devnet runs it) over HTTP JSON-RPC, 1 s blocks, PoW excluded (txs are mined beforehand);
 * - that node's RSS (its own `baios_process_resident_memory_bytes` and /proc VmRSS) idle, under
 *   the submission load of every throughput tx over JSON-RPC, and after.
 * Prints tables and a "Targets" table; writes `bench/results/chain.json`. Asserts nothing, but
 * exits non-zero when anything fails.
 *
 * Run: `./scripts/bench` (or `node bench/src/chain.ts`).
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import {
  checkKeyImagesUnspent,
  checkPointsAndBalance,
  checkTxPow,
  decodeTx,
  mlsagJobs,
  rangeProofJob,
  resolveRings,
  txBodyBytes,
  txSigningBytes,
  txWireSize,
  txId,
  txSigningHash,
  validateTx,
  verifyMlsagJob,
  verifyRangeProofJobs,
  type Tx,
  type Verifier,
} from "@baios/consensus";
import { WorkerPool, startNode, type NodeHandle } from "@baios/node";
import { testConfig, tmpDir } from "../../node/test/helpers/fixture.ts";
import { buildBenchTxs, type BenchTx } from "./build-txs.ts";
import { RING_SIZE, benchNodeGenesis } from "./chain-fixture.ts";
import { measureRss, rssPeak as peakOfRun, startChild, stopChild, waitFinal, type ChildNode } from "./child-node.ts";
import { fmtUs, median, printTable, type Summary } from "./harness.ts";
import { measurePoolLevers, type PoolLevers } from "./pool-levers.ts";

// ---------------------------------------------------------------- configuration
/** Transactions for throughput (and the RSS load); each spends its own premine output. */
const LOAD_TXS = 320;
/** Of those, submitted first and not timed in each throughput round (JIT, tables, LevelDB cache). */
const WARMUP_TXS = 16;
/** Transactions for the latency run (separate outputs: the same node also takes the load). */
const LATENCY_TXS = 30;
const OUTPUTS = LOAD_TXS + LATENCY_TXS;
/** Block time of the child node (the production value is 10 000 ms). */
const BLOCK_MS = 1000;
const PROD_BLOCK_MS = 10_000;
/** Throughput rounds per configuration (alternated). */
const ROUNDS = 5;
/** Concurrent submit_tx calls during the RSS load. */
const RPC_CONCURRENCY = 32;
/** Published anchor: a Monero 1-in/2-out CLSAG + Bulletproofs+ tx (ring 16). */
const MONERO_TX_BYTES = 1330;

const root = new URL("../../", import.meta.url);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const log = (s: string): void => void process.stderr.write(`[chain bench] ${s}\n`);

const tmpDirs: string[] = [];
process.on("exit", () => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------- 1. size
/**
 * The wire bytes of a 1-in/2-out tx by component (docs/protocol.md §10.1): wire = body bytes
 * (what the txid hashes, §3.3) ‖ u64 PoW nonce, and the signing bytes (§3.2) are the body up to
 * the end of the range proof. Every byte is accounted for; the sum must equal `encodeTx`'s length.
 */
function sizeBreakdown(t: BenchTx): { rows: { part: string; bytes: number; hashedBy: string }[]; wire: number; body: number; signing: number } {
  const tx = t.tx;
  if (tx.inputs.length !== 1 || tx.outputs.length !== 2) throw new Error("not a 1-in/2-out tx");
  const inp = tx.inputs[0] as Tx["inputs"][number];
  const sig = tx.signatures[0] as Uint8Array;
  const wire = t.bytes.length;
  const body = txBodyBytes(tx).length;
  const signing = txSigningBytes(tx).length;
  const S = "signing hash, txid";
  const rows = [
    { part: "version, chain id, fee (u32, u32, u64)", bytes: 16, hashedBy: S },
    { part: `ring refs (${inp.ring.length} × u64)`, bytes: 8 * inp.ring.length, hashedBy: S },
    { part: "key image", bytes: 32, hashedBy: S },
    { part: "pseudo-out", bytes: 32, hashedBy: S },
    { part: `outputs (${tx.outputs.length} × key, commitment, view tag, enc. amount)`, bytes: 73 * tx.outputs.length, hashedBy: S },
    { part: `tx public key R (${tx.txPublicKeys.length} × 32)`, bytes: 32 * tx.txPublicKeys.length, hashedBy: S },
    { part: "range proof (Bulletproofs+, 2 outputs)", bytes: tx.rangeProof.length, hashedBy: S },
    { part: "counts and lengths (nIn, ringSize, nOut, nR, len(proof): 5 × u32)", bytes: 20, hashedBy: S },
    { part: `MLSAG (32 + 64·${inp.ring.length}) with nSig and its length (2 × u32)`, bytes: sig.length + 8, hashedBy: "txid" },
    { part: "PoW nonce (u64)", bytes: 8, hashedBy: "tx leaf (tx root)" },
  ];
  const sum = rows.reduce((a, r) => a + r.bytes, 0);
  if (sum !== wire || wire !== txWireSize(tx) || body !== wire - 8) throw new Error(`size breakdown ${sum} / txWireSize ${txWireSize(tx)} / body ${body} ≠ encodeTx ${wire}`);
  return { rows, wire, body, signing };
}

// ---------------------------------------------------------------- 2. stage profile
async function medianAsync(fn: (i: number) => Promise<unknown>, samples: number, inner: number): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(i);
  const times: number[] = [];
  let k = 0;
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) await fn(k++);
    times.push(((performance.now() - t0) * 1000) / inner);
  }
  return median(times);
}
function medianSync(fn: (i: number) => unknown, samples: number, inner: number): number {
  for (let i = 0; i < 3; i++) fn(i);
  const times: number[] = [];
  let k = 0;
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn(k++);
    times.push(((performance.now() - t0) * 1000) / inner);
  }
  return median(times);
}

interface Stage {
  stage: string;
  where: "main" | "worker";
  us: number;
}

async function profileStages(txs: readonly BenchTx[]): Promise<Stage[]> {
  const genesis = await benchNodeGenesis(OUTPUTS, BLOCK_MS);
  const dir = tmpDir("baios-bench-prof-");
  tmpDirs.push(dir);
  const node = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
  const pool = new WorkerPool(1);
  try {
    await pool.ready();
    const { chain, params } = node;
    const at = (i: number): BenchTx => txs[i % txs.length] as BenchTx;
    const inclusion = chain.height + 1n;
    const jobs = await Promise.all(
      txs.map(async (t) => {
        const rings = await resolveRings(t.tx, chain, inclusion);
        return { mlsag: mlsagJobs(t.tx, txSigningHash(t.tx), rings)[0]!, range: rangeProofJob(t.tx) };
      }),
    );
    const job = (i: number) => jobs[i % jobs.length]!;
    const noop: Verifier = { verifyMlsag: async () => undefined, verifyRangeProofs: async () => undefined };
    const mlsag = medianSync((i) => verifyMlsagJob(job(i).mlsag), 30, 4);
    const range = medianSync((i) => verifyRangeProofJobs([job(i).range]), 30, 4);
    const roundTrip = await medianAsync(() => pool.ready(), 50, 10); // one ping task on a pool of 1
    return [
      { stage: "submit_tx pre-check: decode + txid (node.ts, before validateTx)", where: "main", us: medianSync((i) => txId(decodeTx(at(i).bytes, params.maxTxBytes)), 40, 20) },
      { stage: "1 decode (wire cursor parse, docs/protocol.md §10.6)", where: "main", us: medianSync((i) => decodeTx(at(i).bytes, params.maxTxBytes), 40, 20) },
      { stage: "2 txid (body bytes + hash) + Tx-PoW check", where: "main", us: medianSync((i) => checkTxPow(txId(at(i).tx), at(i).tx.powNonce, params.txPowTarget), 40, 20) },
      { stage: "3–4 key image unspent + ring members (LevelDB)", where: "main", us: await medianAsync(async (i) => (await checkKeyImagesUnspent(at(i).tx, chain), await resolveRings(at(i).tx, chain, inclusion)), 40, 10) },
      { stage: "5 points (7) + balance", where: "main", us: medianSync((i) => checkPointsAndBalance(at(i).tx), 40, 10) },
      { stage: "signing hash (MLSAG message)", where: "main", us: medianSync((i) => txSigningHash(at(i).tx), 40, 20) },
      { stage: "validateTx steps 1–5 + hashes, no-op verifier (whole main-thread part)", where: "main", us: await medianAsync((i) => validateTx(at(i).bytes, chain, params, { verifier: noop }), 40, 10) },
      { stage: "6 MLSAG verify, ring 11", where: "worker", us: mlsag },
      { stage: "7 Bulletproofs+ verify, 2 outputs", where: "worker", us: range },
      { stage: "worker round trip per task (empty ping task, pool of 1)", where: "worker", us: roundTrip },
    ];
  } finally {
    await pool.close();
    await node.stop();
  }
}

// ---------------------------------------------------------------- 2b. pool levers
async function poolLevers(txs: readonly BenchTx[]): Promise<PoolLevers> {
  const genesis = await benchNodeGenesis(OUTPUTS, BLOCK_MS);
  const dir = tmpDir("baios-bench-levers-");
  tmpDirs.push(dir);
  const node = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
  try {
    return await measurePoolLevers(txs.slice(WARMUP_TXS).map((t) => t.bytes), node.chain, node.params, ROUNDS);
  } finally {
    await node.stop();
  }
}

// ---------------------------------------------------------------- 3. throughput
async function throughputRound(txs: readonly BenchTx[], workers: number): Promise<{ workers: number; txPerS: number; wallMs: number; timed: number; cpuMsPerTx: number; cpuUtil: number }> {
  const genesis = await benchNodeGenesis(OUTPUTS, BLOCK_MS);
  const dir = tmpDir("baios-bench-tput-");
  tmpDirs.push(dir);
  const node: NodeHandle = await startNode(testConfig(dir, { workers, mempoolMaxTxs: 100_000, mempoolMaxBytes: 512 * 1024 * 1024 }), { genesis, manualBlocks: true });
  try {
    for (const t of txs.slice(0, WARMUP_TXS)) await node.submitTx(t.bytes);
    const timed = txs.slice(WARMUP_TXS);
    const c0 = process.cpuUsage(); // every thread of this process: main + pool workers + libuv
    const t0 = performance.now();
    await Promise.all(timed.map((t) => node.submitTx(t.bytes)));
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    if (node.mempool.size !== txs.length) throw new Error(`mempool holds ${node.mempool.size} txs, expected ${txs.length}`);
    return { workers, txPerS: (timed.length * 1000) / wallMs, wallMs, timed: timed.length, cpuMsPerTx: cpuMs / timed.length, cpuUtil: cpuMs / wallMs / cpus().length };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 4–5. child node: latency, RSS (./child-node.ts)
interface LatencySample {
  sendToAcceptedMs: number;
  acceptedToFinalMs: number;
  sendToFinalMs: number;
  phaseMs: number;
}

async function measureLatency(c: ChildNode, txs: readonly BenchTx[]): Promise<LatencySample[]> {
  // align on a fresh block commit first
  const h0 = (await c.client.status()).height;
  while ((await c.client.status()).height === h0) await sleep(5);
  const samples: LatencySample[] = [];
  for (let i = 0; i < txs.length; i++) {
    // stratified phases: tx i is sent (i + ½)/N of a block interval after the last commit was seen
    const phaseMs = ((i + 0.5) / txs.length) * BLOCK_MS;
    await sleep(phaseMs);
    const t = txs[i] as BenchTx;
    const tSend = performance.now();
    const r = await c.client.submitTx(t.bytes);
    const tAcc = performance.now();
    if (r.txid !== hex(t.txid)) throw new Error("submit_tx returned another txid");
    const f = await waitFinal(c, t.txid);
    samples.push({ sendToAcceptedMs: tAcc - tSend, acceptedToFinalMs: f.atMs - tAcc, sendToFinalMs: f.atMs - tSend, phaseMs });
  }
  return samples;
}

/** Sum and count of a Prometheus histogram (all label sets matching `labels`). */
function histo(text: string, name: string, labels = ""): { sum: number; count: number } {
  const get = (suffix: string): number => {
    let v = 0;
    for (const m of text.matchAll(new RegExp(`^${name}_${suffix}(\\{[^}]*\\})? ([0-9.eE+-]+)$`, "gm"))) if ((m[1] ?? "").includes(labels)) v += Number(m[2]);
    return v;
  };
  return { sum: get("sum"), count: get("count") };
}

// ---------------------------------------------------------------- main
/** Fraction of all CPUs busy over `ms` (from /proc/stat), to flag a machine shared with other work. */
async function machineBusy(ms: number): Promise<number> {
  const read = (): number[] => (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const a = read();
  await sleep(ms);
  const d = read().map((v, i) => v - (a[i] ?? 0));
  const total = d.reduce((x, y) => x + y, 0);
  const idle = (d[3] ?? 0) + (d[4] ?? 0);
  return total > 0 ? 1 - idle / total : 0;
}

async function main(): Promise<void> {
  const tStart = performance.now();
  const busyBefore = await machineBusy(1000);
  if (busyBefore > 0.1) log(`warning: the machine was ${(busyBefore * 100).toFixed(0)} % busy before start: other work skews every figure`);
  log(`building ${OUTPUTS} txs (1-in/2-out, ring ${RING_SIZE}, easy Tx-PoW) on 2 worker threads…`);
  const tb = performance.now();
  const all = await buildBenchTxs(OUTPUTS, BLOCK_MS);
  const buildS = (performance.now() - tb) / 1000;
  const load = all.slice(0, LOAD_TXS);
  const latencyTxs = all.slice(LOAD_TXS);
  log(`built in ${buildS.toFixed(1)} s`);

  // ---- size
  const wires = all.map((t) => t.bytes.length);
  const medWire = median(wires);
  const typical = all.find((t) => t.bytes.length === Math.round(medWire)) ?? (all[0] as BenchTx);
  const size = sizeBreakdown(typical);

  // ---- stage profile
  log("profiling validation stages…");
  const stages = await profileStages(load);

  // ---- the worker pool's levers (issue 11): before/after in this run, interleaved
  log("worker pool before/after (interleaved rounds)…");
  const levers = await poolLevers(load);
  log(`pool levers: ${JSON.stringify({ before: { txPerS: levers.before.txPerS.median, overheadUs: levers.before.overheadUsPerTx.median, msgs: levers.before.messagesPerTx }, after: { txPerS: levers.after.txPerS.median, overheadUs: levers.after.overheadUsPerTx.median, msgs: levers.after.messagesPerTx } })}`);

  // ---- throughput
  const rounds: Awaited<ReturnType<typeof throughputRound>>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of [2, 0]) {
      log(`throughput round ${r + 1}/${ROUNDS}, workers ${w}…`);
      rounds.push(await throughputRound(load, w));
    }
  }
  const tput = (w: number) => rounds.filter((r) => r.workers === w).map((r) => r.txPerS);
  const cpuOf = (w: number) => median(rounds.filter((r) => r.workers === w).map((r) => r.cpuMsPerTx));
  const utilOf = (w: number) => median(rounds.filter((r) => r.workers === w).map((r) => r.cpuUtil));
  const pool = median(tput(2));
  const single = median(tput(0));

  // ---- child node: latency, then RSS under load
  log("starting a validator node child process (1 s blocks, 2 workers)…");
  const node = await startChild({ outputs: OUTPUTS, blockMs: BLOCK_MS });
  log(`measuring send → finalized latency over ${LATENCY_TXS} txs…`);
  const lat = await measureLatency(node, latencyTxs);
  log(`RSS under the submission load of ${LOAD_TXS} txs over JSON-RPC…`);
  const rss = await measureRss(node, load, { concurrency: RPC_CONCURRENCY });
  const exitCode = await stopChild(node);
  if (exitCode !== 0) throw new Error(`node child exited with ${exitCode} on SIGTERM`);

  // ================================================================ report
  const mainUs = (stages.find((s) => s.stage.startsWith("submit_tx pre-check"))?.us ?? NaN) + (stages.find((s) => s.stage.startsWith("validateTx"))?.us ?? NaN);
  const workerUs = stages.filter((s) => s.where === "worker").reduce((a, s) => a + (s.stage.startsWith("worker round trip") ? 2 * s.us : s.us), 0);

  console.log(`\nTx validation throughput: NodeHandle.submitTx (full pipeline, as submit_tx) into a fresh in-process node per round, ${LOAD_TXS - WARMUP_TXS} txs fired concurrently after ${WARMUP_TXS} warm-up txs; ${ROUNDS} rounds each, alternated; ${cpus().length} CPUs\n`);
  printTable(
    ["validation", "median", "rounds (tx/s)", "per tx (wall)", "CPU per tx", "CPU use"],
    [
      ["worker pool, 2 workers (node default on 2 cores)", `${pool.toFixed(0)} tx/s`, tput(2).map((x) => x.toFixed(0)).join(", "), fmtUs(1e6 / pool), fmtUs(cpuOf(2) * 1000), `${(utilOf(2) * 100).toFixed(0)} % of ${cpus().length} CPUs`],
      ["single thread (workers: 0), reference", `${single.toFixed(0)} tx/s`, tput(0).map((x) => x.toFixed(0)).join(", "), fmtUs(1e6 / single), fmtUs(cpuOf(0) * 1000), `${(utilOf(0) * 100).toFixed(0)} % of ${cpus().length} CPUs`],
      ["ratio (second core's contribution)", `${(pool / single).toFixed(2)}×`, "", "", "", ""],
    ],
  );

  const q = (x: Summary, f: (v: number) => string): string => `${f(x.median)} (p25 ${f(x.p25)}, min ${f(x.min)})`;
  const rate = (v: number): string => `${v.toFixed(0)} tx/s`;
  const inv = (x: Summary): Summary => ({ ...x, median: x.median, p25: x.p75, min: x.max });
  console.log(`\nWorker pool, before → after (issue 11), same run: validateTx of ${levers.txs} txs fired concurrently on a 2-worker pool, ${levers.rounds} rounds each, interleaved (A B A B …); median (p25, min) — for tx/s the p25/min columns are the slow side's p75/max\n`);
  printTable(
    ["variant", "throughput", "CPU per tx (all threads)", "pool overhead per tx", "messages per tx"],
    (["before", "after"] as const).map((k) => {
      const f = levers[k];
      return [k === "before" ? "before: 2 messages/tx, range batches split across workers" : "after: 1 item/tx, micro-batched, range batch on one worker", q(inv(f.txPerS), rate), q(f.cpuUsPerTx, fmtUs), q(f.overheadUsPerTx, fmtUs), f.messagesPerTx.toFixed(2)];
    }),
  );
  console.log(`pool overhead = CPU of all threads − CPU of the worker threads inside tasks − the main-thread part of validateTx (${fmtUs(levers.mainUsPerTx)} per tx, no-op verifier), per tx`);

  console.log(`\nWhere the time goes, per tx (median, single calls; main = the node's thread, worker = pool threads)\n`);
  printTable(
    ["stage", "thread", "median"],
    [
      ...stages.map((s) => [s.stage, s.where, fmtUs(s.us)]),
      ["main thread per tx (pre-check + validateTx 1–5)", "main", fmtUs(mainUs)],
      ["worker threads per tx (MLSAG + BP+ + 2 round trips)", "worker", fmtUs(workerUs)],
      ["→ 2-core bound if CPU-bound: 2 / (main + worker)", "", `${(2e6 / (mainUs + workerUs)).toFixed(0)} tx/s`],
      ["→ bound of the crypto alone: 2 / (MLSAG + BP+)", "", `${(2e6 / ((stages.find((s) => s.stage.startsWith("6 MLSAG"))?.us ?? NaN) + (stages.find((s) => s.stage.startsWith("7 "))?.us ?? NaN))).toFixed(0)} tx/s`],
    ],
  );

  console.log(`\nTx size, 1-in/2-out, ring ${RING_SIZE} (wire bytes, docs/protocol.md §10.1; ${all.length} txs: ${Math.min(...wires)}–${Math.max(...wires)})\n`);
  printTable(
    ["component", "bytes", "covered by"],
    [
      ...size.rows.map((r) => [r.part, String(r.bytes), r.hashedBy]),
      ["total wire (= body bytes ‖ nonce)", String(size.wire), `signing bytes ${size.signing}, body bytes ${size.body}`],
      ["Monero 1-in/2-out CLSAG + BP+ (ring 16), published", String(MONERO_TX_BYTES), ""],
    ],
  );

  const s2a = lat.map((l) => l.sendToAcceptedMs);
  const a2f = lat.map((l) => l.acceptedToFinalMs);
  const s2f = lat.map((l) => l.sendToFinalMs);
  const produce = histo(rss.metricsText, "baios_block_produce_seconds");
  const produceMs = (produce.sum / Math.max(1, produce.count)) * 1000;
  const derived = PROD_BLOCK_MS / 2 + median(s2a) + produceMs;
  console.log(`\nSend → finalized latency: validator node child process (baios node, workers 2, ${BLOCK_MS} ms blocks, fsync on), HTTP JSON-RPC, ${lat.length} txs sent at stratified phases of the block interval; get_tx polled every 10 ms; PoW excluded (pre-mined)\n`);
  printTable(
    ["interval", "median", "p90", "min", "max"],
    (
      [
        ["send → submit_tx accepted (RPC + validation)", s2a],
        ["accepted → in a finalized block", a2f],
        ["send → finalized", s2f],
      ] as const
    ).map(([name, xs]) => [name, ms(median(xs)), ms(pct(xs, 90)), ms(Math.min(...xs)), ms(Math.max(...xs))]),
  );
  console.log(`derived, not measured: at the production ${PROD_BLOCK_MS / 1000} s block time, send → finalized ≈ ${PROD_BLOCK_MS / 2000} s (half an interval, on average) + ${ms(median(s2a))} submit/validation + ${ms(produceMs)} block produce/commit ≈ ${(derived / 1000).toFixed(2)} s on average (up to ≈ ${((PROD_BLOCK_MS + median(s2a) + produceMs) / 1000).toFixed(1)} s), plus the sender's Tx-PoW`);

  const peakOf = (phases: Parameters<typeof peakOfRun>[1], k: "metricsRss" | "vmRss") => peakOfRun(rss, phases, k);
  const rpcTput = (LOAD_TXS * 1000) / rss.loadMs;
  console.log(`\nNode RSS: same child process; ${LOAD_TXS} txs over submit_tx, ${RPC_CONCURRENCY} in flight (accepted in ${ms(rss.loadMs)} = ${rpcTput.toFixed(0)} tx/s over JSON-RPC with 1 s blocks running; all finalized after ${ms(rss.drainMs)}; CPU per tx during the load: node ${rss.cpu.nodeMsPerTx.toFixed(1)} ms, this load generator ${rss.cpu.clientMsPerTx.toFixed(1)} ms, same 2 cores); VmRSS sampled every 50 ms, /metrics every second (${rss.samples.length} samples)\n`);
  printTable(
    ["phase", "baios_process_resident_memory_bytes (peak)", "/proc VmRSS (peak)"],
    [
      ...(["idle", "load", "drain", "after"] as const).map((p) => [p === "idle" ? "idle (2 s before)" : p === "load" ? "submission load" : p === "drain" ? "until all finalized" : "3 s after", mb(peakOf([p], "metricsRss")), mb(peakOf([p], "vmRss"))]),
      ["VmHWM (peak since process start)", "", mb(rss.vmHwm)],
    ],
  );

  const rssPeak = Math.max(peakOf(["load", "drain"], "metricsRss"), peakOf(["load", "drain"], "vmRss"));
  const targets = [
    ["tx validation throughput, 1-in/2-out, ring 11, both cores", `${pool.toFixed(0)} tx/s median, best round ${Math.max(...tput(2)).toFixed(0)} (1 thread: ${single.toFixed(0)} tx/s, ${(pool / single).toFixed(2)}×)`, "≥ 200 tx/s", pool >= 200 ? "yes" : "NO"],
    ["worker-pool overhead per tx (issue 11)", `${fmtUs(levers.after.overheadUsPerTx.median)} (before: ${fmtUs(levers.before.overheadUsPerTx.median)}); ${levers.after.messagesPerTx.toFixed(2)} messages per tx (before ${levers.before.messagesPerTx.toFixed(2)})`, "measure", "—"],
    ["tx size, 1-in/2-out, ring 11", `${(size.wire / 1000).toFixed(3)} kB wire (${(size.wire / MONERO_TX_BYTES).toFixed(2)}× Monero's 1.33 kB)`, "≤ 1.9 kB", size.wire <= 1900 ? "yes" : "NO"],
    ["send → finalized latency, without the PoW time", `median ${ms(median(s2f))}, p90 ${ms(pct(s2f, 90))} at ${BLOCK_MS} ms blocks (derived at 10 s: ≈ ${(derived / 1000).toFixed(1)} s)`, "measure", "—"],
    ["node RSS under load", `peak ${mb(rssPeak)} (idle ${mb(peakOf(["idle"], "vmRss"))}, VmHWM ${mb(rss.vmHwm)})`, "≤ 250 MB", rssPeak <= 250e6 ? "yes" : "NO"],
  ];
  console.log("\nTargets (issue: private transfers end to end)\n");
  printTable(["figure", "measured", "target", "met"], targets);

  mkdirSync(new URL("bench/results/", root), { recursive: true });
  const file = new URL("bench/results/chain.json", root);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    machineBusyBeforeStart: busyBefore,
    setup: { txs: all.length, loadTxs: LOAD_TXS, warmupTxs: WARMUP_TXS, latencyTxs: LATENCY_TXS, ringSize: RING_SIZE, blockTimeMs: BLOCK_MS, buildSeconds: buildS, rounds: ROUNDS, rpcConcurrency: RPC_CONCURRENCY },
    throughput: { method: "NodeHandle.submitTx, in-process node, fresh per round, manual blocks", poolTxPerS: pool, singleThreadTxPerS: single, ratio: pool / single, poolTxPerSMin: Math.min(...tput(2)), poolTxPerSMax: Math.max(...tput(2)), rounds },
    poolLevers: { method: "validateTx, 2-worker pool, before/after interleaved in one run (bench/src/pool-levers.ts)", ...levers },
    stages: { perTxUs: stages, mainUs, workerUs },
    size: { wireBytes: size.wire, bodyBytes: size.body, signingBytes: size.signing, breakdown: size.rows, wireRange: [Math.min(...wires), Math.max(...wires)], moneroBytes: MONERO_TX_BYTES },
    latency: {
      method: "child process `baios node`, HTTP JSON-RPC, get_tx polled every 10 ms",
      samples: lat,
      sendToAcceptedMs: { median: median(s2a), p90: pct(s2a, 90) },
      acceptedToFinalMs: { median: median(a2f), p90: pct(a2f, 90) },
      sendToFinalMs: { median: median(s2f), p90: pct(s2f, 90) },
      blockProduceMsMean: produceMs,
      derivedAtProductionBlockTimeMs: derived,
    },
    rss: { peakBytes: rssPeak, vmHwmBytes: rss.vmHwm, loadMs: rss.loadMs, drainMs: rss.drainMs, rpcTxPerS: rpcTput, cpuMsPerTx: rss.cpu, samples: rss.samples },
    totalSeconds: (performance.now() - tStart) / 1000,
  };
  writeFileSync(file, `${JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  console.log(`\nwrote ${file.pathname} (total ${result.totalSeconds.toFixed(0)} s)`);
}

try {
  await main();
  process.exit(0);
} catch (e) {
  console.error(`chain bench FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
