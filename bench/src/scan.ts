/**
 * Wallet scanning benchmark (issue 11): outputs/s of a full scan pass (per-output work — view
 * tag first, then the derivation — plus applying the results with `scanBlock`) over generated
 * blocks of 2-output transactions, nearly all foreign (1 in 50 outputs pays the wallet):
 * - the calling thread alone, one core call per transaction (`matchTx`, before the batched scan) and
 *   batched (`matchTxs`: one core call per block, the shared points' encodings batched); per core;
 * - {@link ScanWorkers} with 1 worker (per core, messaging included), posting the views as they
 *   are (structured clone, before issue 11's packing) and packed on the calling thread (after);
 * - {@link ScanWorkers} with 2 workers (per wallet on 2 cores).
 * Variants run interleaved (A B C A B C …); median with p25 and min of the time per pass.
 * Prints a table and writes `bench/results/scan.json`.
 *
 * Run: `./scripts/bench` (or `node bench/src/scan.ts`).
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { emptyState } from "../../wallet/src/state.ts";
import { scanBlock, type ScanKeys, type ScanView } from "../../wallet/src/scanner.ts";
import { ScanWorkers } from "../../wallet/src/scan-workers.ts";
import { matchCoinbase, matchTx, type BlockMatches } from "../../wallet/src/scan-match.ts";
import { buildScanBlocks, walletKeys, type BlockSpec } from "../../wallet/test/helpers/scan-blocks.ts";
import { loadavg } from "node:os";
import { fmtUs, interleave, printTable, summarize } from "./harness.ts";

const BLOCKS = 100;
const TXS_PER_BLOCK = 20;
const ROUNDS = 9;
/** scanChain's default batch of blocks per get_blocks_range (and per worker round trip). */
const BATCH = 200;
const root = new URL("../../", import.meta.url);
const log = (s: string): void => void process.stderr.write(`[scan bench] ${s}\n`);

const me = walletKeys(11);
const other = walletKeys(12);
const keys: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic, spendSecret: me.spendSecret };

log(`building ${BLOCKS} blocks × ${TXS_PER_BLOCK} two-output txs…`);
let k = 0;
const specs: BlockSpec[] = Array.from({ length: BLOCKS }, () => ({
  coinbase: ["foreign"],
  txs: Array.from({ length: TXS_PER_BLOCK }, () => ({ outputs: [k++ % 25 === 0 ? "mine" : "foreign", "foreign"] })),
}));
const blocks: ScanView[] = buildScanBlocks(specs, me, other);
const outputs = blocks.reduce((n, b) => n + b.coinbase.outputs.length + b.txs.reduce((m, t) => m + t.outputs.length, 0), 0);

const fresh = () => emptyState("devnet", { viewSecret: me.viewSecret, viewPublic: me.viewPublic, spendPublic: me.spendPublic });
let foundRef = -1;
const check = (found: number): void => {
  if (foundRef < 0) foundRef = found;
  else if (found !== foundRef) throw new Error(`scan variants disagree: ${found} vs ${foundRef} outputs found`);
};

/** CPU time (all threads of this process) per output of each pass, by variant. */
const cpuUs: Record<string, number[]> = { perTx: [], thread: [], worker1Units: [], worker1: [], workers2: [] };

/** The calling thread with one core call per transaction (`matchTx`: the scan before the batched `matchTxs`). */
const perTxMatches = (b: ScanView): BlockMatches => ({ coinbase: matchCoinbase(keys, b.coinbase), txs: b.txs.map((t) => matchTx(keys, t)) });

async function pass(workers: ScanWorkers | undefined, name: string): Promise<number> {
  const state = fresh();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let found = 0;
  for (let i = 0; i < blocks.length; i += BATCH) {
    const part = blocks.slice(i, i + BATCH);
    const matches = workers === undefined ? undefined : await workers.matchBlocks(part);
    part.forEach((b, j) => (found += scanBlock(state, keys, b, undefined, undefined, name === "perTx" ? perTxMatches(b) : matches?.[j]).found));
  }
  const us = (performance.now() - t0) * 1000;
  const c = process.cpuUsage(c0);
  cpuUs[name]?.push((c.user + c.system) / outputs);
  check(found);
  return us / outputs;
}

const w1Units = new ScanWorkers(me, 1, "units");
const w1 = new ScanWorkers(me, 1);
const w2 = new ScanWorkers(me, 2);
try {
  log(`${outputs} outputs per pass; ${ROUNDS} interleaved rounds…`);
  const r = await interleave({ perTx: () => pass(undefined, "perTx"), thread: () => pass(undefined, "thread"), worker1Units: () => pass(w1Units, "worker1Units"), worker1: () => pass(w1, "worker1"), workers2: () => pass(w2, "workers2") }, ROUNDS, 2);
  const perS = (us: number): string => `${Math.round(1e6 / us).toLocaleString("en")}/s`;
  console.log(`\nWallet scanning with view tags: ${BLOCKS} blocks × ${TXS_PER_BLOCK} two-output txs (${outputs} outputs, ${foundRef} ours), full pass incl. scanBlock; ${ROUNDS} rounds interleaved; ${availableParallelism()} CPUs; ${process.version}\n`);
  const cpu = Object.fromEntries(Object.entries(cpuUs).map(([n, xs]) => [n, summarize(xs.slice(2))]));
  const rows = ([
    ["calling thread, one core call per tx (matchTx: before the batched scan), per core", r.perTx.summary, "perTx"],
    ["calling thread, batched (matchTxs: one core call per block), per core", r.thread.summary, "thread"],
    ["1 scan worker, views structured-cloned (before)", r.worker1Units.summary, "worker1Units"],
    ["1 scan worker, outputs packed and transferred (per core, messaging included)", r.worker1.summary, "worker1"],
    ["2 scan workers (per wallet on 2 cores)", r.workers2.summary, "workers2"],
  ] as const).map(([name, s, n]) => [name, `${perS(s.median)} (p25 ${perS(s.p25)}, best ${perS(s.min)})`, `${fmtUs(s.median)} (min ${fmtUs(s.min)})`, `${perS(cpu[n]!.median)} (best ${perS(cpu[n]!.min)})`]);
  printTable(["variant", "outputs/s wall, median (p25 time, best)", "wall per output", "outputs per CPU-second (all threads)"], rows);
  console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(", ")} on ${availableParallelism()} CPUs — wall-clock scaling needs idle cores; outputs per CPU-second is the per-core figure`);
  const speedup = r.thread.summary.median / r.workers2.summary.median;
  console.log(`2 workers vs the calling thread: ${speedup.toFixed(2)}× (medians); vs 1 worker: ${(r.worker1.summary.median / r.workers2.summary.median).toFixed(2)}×`);
  console.log(`1 worker, packed vs structured-cloned views: ${((r.worker1.summary.median / r.worker1Units.summary.median - 1) * 100).toFixed(1)}% time per output (medians)`);
  console.log("\nTargets (issue 11)\n");
  const perCore = 1e6 / r.worker1.summary.median;
  const perWallet = 1e6 / r.workers2.summary.median;
  printTable(
    ["figure", "measured", "target", "met"],
    [
      ["scanning with view tags, per core (1 worker)", `${Math.round(perCore).toLocaleString("en")} outputs/s`, "≥ 14,000/s", perCore >= 14000 ? "yes" : "NO"],
      ["scanning with view tags, per wallet on 2 cores (2 workers)", `${Math.round(perWallet).toLocaleString("en")} outputs/s`, "≥ 25,000/s", perWallet >= 25000 ? "yes" : "NO"],
    ],
  );
  mkdirSync(new URL("bench/results/", root), { recursive: true });
  const file = new URL("bench/results/scan.json", root);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, blocks: BLOCKS, txsPerBlock: TXS_PER_BLOCK, outputs, found: foundRef, rounds: ROUNDS, usPerOutput: { perTx: r.perTx, thread: r.thread, worker1Units: r.worker1Units, worker1: r.worker1, workers2: r.workers2 }, cpuUsPerOutput: cpu, loadavg: loadavg(), outputsPerS: { perCore1Worker: perCore, perWallet2Workers: perWallet, callingThread: 1e6 / r.thread.summary.median }, speedup2vs1Thread: speedup }, null, 2)}\n`,
  );
  console.log(`\nwrote ${file.pathname}`);
} finally {
  await w1Units.close();
  await w1.close();
  await w2.close();
}
