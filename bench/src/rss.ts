/**
 * Node RSS benchmark (issue 11: node RSS under load with the ring cache ≤ 250 MB). Starts a
 * validator node in a child process (`baios node`, 2 workers, 1 s blocks) per run, idles 2 s,
 * submits `LOAD_TXS` real 1-in/2-out ring-11 txs over JSON-RPC (32 in flight) until all are
 * finalized, idles 2 s more, and samples VmRSS every 50 ms; a benchmark-only preload
 * (bench/src/mem-preload.ts) records each thread's V8 heap, external/ArrayBuffer memory and
 * WebAssembly memory, so the peak can be broken down. Compared variants (node flags/env) run
 * interleaved, A B A B …, in one run; prints median and min of each figure per variant and
 * writes `bench/results/rss.json`.
 *
 * Run: `node bench/src/rss.ts [rounds] [variant…]` (default: 3 rounds of `v8-defaults` and
 * `default`, i.e. before/after the node's V8 heap flags; other names in VARIANTS).
 * BAIOS_BENCH_TX_CACHE=<file> reuses the built txs across runs. `node bench/src/rss.ts pool [rounds]`
 * measures only what a 2-worker pool adds, its workers booted from the main thread's stripped
 * sources or not (bench/src/rss-pool-child.ts).
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBenchTxs } from "./build-txs.ts";
import { measureRss, procStatus, rssPeak, startChild, stopChild } from "./child-node.ts";
import { median, printTable } from "./harness.ts";
import type { ThreadMem } from "./mem-preload.ts";

const LOAD_TXS = 320;
const OUTPUTS = LOAD_TXS;
const BLOCK_MS = 1000;
const CONCURRENCY = 32;
const PRELOAD = fileURLToPath(new URL("./mem-preload.ts", import.meta.url));

/** A compared configuration: extra `node` and `baios node` arguments, extra environment. */
interface Variant {
  doc: string;
  nodeArgs?: string[];
  args?: string[];
  env?: Record<string, string>;
}

const VARIANTS: Record<string, Variant> = {
  "v8-defaults": { doc: "before: --v8-flags= (V8's own heap sizing: up to 32 MB semi-spaces, dynamic old-generation growth up to 4×)", args: ["--v8-flags="] },
  default: { doc: "after: the node's defaults (--v8-flags=--max-semi-space-size=2,--heap-growing-percent=50; 2 workers, ring cache 8192)" },
  "semi-4": { doc: "--v8-flags=--max-semi-space-size=4,--heap-growing-percent=50", args: ["--v8-flags=--max-semi-space-size=4,--heap-growing-percent=50"] },
  "semi-8": { doc: "--v8-flags=--max-semi-space-size=8,--heap-growing-percent=50", args: ["--v8-flags=--max-semi-space-size=8,--heap-growing-percent=50"] },
  "no-ring-cache": { doc: "the defaults with --ring-cache-entries 0", args: ["--ring-cache-entries", "0"] },
  "optimize-for-size": { doc: "--v8-flags=--optimize-for-size (1 MB semi-spaces, V8's memory-saving heap growth)", args: ["--v8-flags=--optimize-for-size"] },
  "cpu-prof": { doc: "the defaults, with a main-thread CPU profile in /tmp/baios-rss-prof", nodeArgs: ["--cpu-prof", "--cpu-prof-dir=/tmp/baios-rss-prof"] },
};

interface ThreadFile {
  threadId: number;
  main: boolean;
  cur: ThreadMem;
  peak: ThreadMem;
}

interface Run {
  variant: string;
  idle: number;
  peak: number;
  after: number;
  vmHwm: number;
  loadMs: number;
  nodeCpuMsPerTx: number;
  /** Main-thread CPU per tx from the end of idle to the end of the run, ms (GC on the thread included; V8's helper threads not). */
  mainCpuMsPerTx: number;
  main: ThreadMem;
  workers: ThreadMem[];
  /** Each thread's figures at the end of the idle phase. */
  idleMain: ThreadMem;
  idleWorkers: ThreadMem[];
}

const mb = (b: number): string => `${(b / 1e6).toFixed(1)}`;
const log = (s: string): void => void process.stderr.write(`[rss bench] ${s}\n`);

async function runOnce(name: string, v: Variant, txs: Awaited<ReturnType<typeof buildBenchTxs>>): Promise<Run> {
  const memDir = mkdtempSync(join(tmpdir(), "baios-bench-mem-"));
  try {
    const c = await startChild({ outputs: OUTPUTS, blockMs: BLOCK_MS, nodeArgs: ["--import", PRELOAD, ...(v.nodeArgs ?? [])], args: v.args, env: { ...v.env, BAIOS_BENCH_MEM_DIR: memDir } });
    const pid = c.proc.pid as number;
    const readFiles = (): ThreadFile[] => readdirSync(memDir).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(memDir, f), "utf8")) as ThreadFile);
    let idleFiles: ThreadFile[] = [];
    const r = await measureRss(c, txs, { concurrency: CONCURRENCY, idleMs: 2000, afterMs: 2000, onPhase: (p) => void (p === "load" && (idleFiles = readFiles())) });
    const vmHwm = procStatus(pid).vmHwm;
    await new Promise((res) => setTimeout(res, 300)); // the threads' last 250 ms writes
    const files = readFiles();
    const code = await stopChild(c);
    if (code !== 0) throw new Error(`node child exited with ${code}`);
    const main = files.find((f) => f.main);
    if (main === undefined) throw new Error("no main-thread memory file (preload not loaded?)");
    return {
      variant: name,
      idle: rssPeak(r, ["idle"], "vmRss"),
      peak: Math.max(rssPeak(r, ["load", "drain"], "vmRss"), rssPeak(r, ["load", "drain"], "metricsRss")),
      after: rssPeak(r, ["after"], "vmRss"),
      vmHwm,
      loadMs: r.loadMs,
      nodeCpuMsPerTx: r.cpu.nodeMsPerTx,
      mainCpuMsPerTx: (main.cur.cpuUs - (idleFiles.find((f) => f.main)?.cur.cpuUs ?? NaN)) / 1000 / txs.length,
      main: main.peak,
      workers: files.filter((f) => !f.main).map((f) => f.peak),
      idleMain: idleFiles.find((f) => f.main)?.cur ?? main.cur,
      idleWorkers: idleFiles.filter((f) => !f.main).map((f) => f.cur),
    };
  } finally {
    rmSync(memDir, { recursive: true, force: true });
  }
}

/** `rss.ts pool [rounds]`: VmRSS a 2-worker pool adds, workers from stripped sources or not (bench/src/rss-pool-child.ts), interleaved. */
function poolOnly(rounds: number): void {
  const child = fileURLToPath(new URL("./rss-pool-child.ts", import.meta.url));
  const runs: Record<string, number[]> = { plain: [], rec: [] };
  for (let r = 0; r < rounds; r++) {
    for (const v of ["plain", "rec"] as const) {
      const out = execFileSync(process.execPath, [child, v], { encoding: "utf8" });
      runs[v]!.push((JSON.parse(out.trim().split("\n").at(-1)!) as { deltaBytes: number }).deltaBytes);
    }
  }
  console.log(`\nVmRSS added by a 2-worker validation pool (MB; ${rounds} child processes each, interleaved; median (min))\n`);
  printTable(
    ["workers load", "VmRSS added"],
    [
      ["Node's TypeScript stripper in each worker (before)", `${mb(median(runs.plain!))} (min ${mb(Math.min(...runs.plain!))})`],
      ["from the main thread's stripped sources (after)", `${mb(median(runs.rec!))} (min ${mb(Math.min(...runs.rec!))})`],
    ],
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "pool") return poolOnly(Number(argv[1] ?? 5));
  const rounds = /^\d+$/.test(argv[0] ?? "") ? Number(argv.shift()) : 3;
  const names = argv.length > 0 ? argv : ["v8-defaults", "default"];
  for (const n of names) if (VARIANTS[n] === undefined) throw new Error(`unknown variant ${n} (known: ${Object.keys(VARIANTS).join(", ")})`);
  log(`building ${OUTPUTS} txs…`);
  const txs = await buildBenchTxs(OUTPUTS, BLOCK_MS, process.env["BAIOS_BENCH_TX_CACHE"]);
  const runs: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      log(`round ${r + 1}/${rounds}: ${n}`);
      const run = await runOnce(n, VARIANTS[n] as Variant, txs);
      log(`  idle: main heap ${mb(run.idleMain.heapTotal)} ext ${mb(run.idleMain.external)}; workers heap ${run.idleWorkers.map((w) => mb(w.heapTotal)).join("/")} wasm ${run.idleWorkers.map((w) => mb(w.wasm)).join("/")}`);
      log(`  idle ${mb(run.idle)} MB, peak ${mb(run.peak)} MB, VmHWM ${mb(run.vmHwm)} MB; main heap ${mb(run.main.heapTotal)} ext ${mb(run.main.external)} wasm ${mb(run.main.wasm)}; workers heap ${run.workers.map((w) => mb(w.heapTotal)).join("/")} ext ${run.workers.map((w) => mb(w.external)).join("/")} wasm ${run.workers.map((w) => mb(w.wasm)).join("/")}`);
      runs.push(run);
    }
  }
  const sum = (ws: ThreadMem[], k: keyof ThreadMem): number => ws.reduce((a, w) => a + w[k], 0);
  const cell = (xs: number[]): string => `${mb(median(xs))} (min ${mb(Math.min(...xs))})`;
  console.log(`\nNode RSS (MB), ${rounds} rounds per variant, interleaved; ${LOAD_TXS} txs over submit_tx, ${CONCURRENCY} in flight, 1 s blocks, 2 workers; median (min). Thread figures are each thread's own peaks.\n`);
  printTable(
    ["variant", "idle VmRSS", "peak VmRSS", "VmHWM", "main heapTotal", "main external", "main wasm", "workers heapTotal (sum)", "workers external", "workers wasm", "node CPU ms/tx (load)", "main-thread CPU ms/tx"],
    names.map((n) => {
      const rs = runs.filter((r) => r.variant === n);
      const f = (g: (r: Run) => number): string => cell(rs.map(g));
      return [n, f((r) => r.idle), f((r) => r.peak), f((r) => r.vmHwm), f((r) => r.main.heapTotal), f((r) => r.main.external), f((r) => r.main.wasm), f((r) => sum(r.workers, "heapTotal")), f((r) => sum(r.workers, "external")), f((r) => sum(r.workers, "wasm")), median(rs.map((r) => r.nodeCpuMsPerTx)).toFixed(1), `${median(rs.map((r) => r.mainCpuMsPerTx)).toFixed(2)} (min ${Math.min(...rs.map((r) => r.mainCpuMsPerTx)).toFixed(2)})`];
    }),
  );
  for (const n of names) console.log(`${n}: ${(VARIANTS[n] as Variant).doc}`);
  const root = new URL("../../", import.meta.url);
  mkdirSync(new URL("bench/results/", root), { recursive: true });
  const file = new URL("bench/results/rss.json", root);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadTxs: LOAD_TXS, blockMs: BLOCK_MS, concurrency: CONCURRENCY, rounds, variants: Object.fromEntries(names.map((n) => [n, VARIANTS[n]])), runs }, null, 2)}\n`);
  console.log(`\nwrote ${file.pathname}`);
}

try {
  await main();
  process.exit(0);
} catch (e) {
  console.error(`rss bench FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
