/**
 * Dandelion++ privacy measurement: the first-spy estimator against Dandelion++ (the real
 * `DandelionRouter`, one per simulated node) and against plain flooding, on the same graphs, spies
 * and transaction origins. Prints a table and writes bench/results/dandelion.json.
 *
 *   node bench/src/dandelion-sim.ts [--nodes 100] [--seeds 5] [--txs 1000] [--out-degree 4]
 *
 * Model (docs/p2p.md §Dandelion++ measurement): n nodes, each dials `out-degree` random peers;
 * a random fraction p are spies that record who first sent them each tx (stem or fluff) and drop
 * stem txs; per-edge latency U[50, 150] ms + 7 ms validation + Exp(10 ms) jitter. Transactions
 * come in rounds of one epoch (10 min): in each round every honest node originates one tx at a
 * uniformly random time, the paper's model for precision; rounds repeat until ≥ `txs` txs.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DANDELION_PARAMS, SeededRandom, stemHopPmf } from "../../p2p/src/dandelion/index.ts";
import { precisionLowerBound, precisionReferenceBound, scoreFirstSpy, type FirstSpyScore } from "../../p2p/sim/first-spy.ts";
import { SimNetwork, type SimMode, type SimTx } from "../../p2p/sim/network.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(String(process.argv[i]).replace(/^--/, ""), String(process.argv[i + 1]));
const NODES = Number(args.get("nodes") ?? 100);
const SEEDS = Number(args.get("seeds") ?? 5);
const TXS = Number(args.get("txs") ?? 1000);
const OUT_DEGREE = Number(args.get("out-degree") ?? 4);
const ROUND_MS = DEFAULT_DANDELION_PARAMS.epochMs;

interface Run {
  txs: SimTx[];
  messages: number;
}

function simulate(mode: SimMode, p: number, seed: number): Run {
  const net = new SimNetwork({ nodes: NODES, outDegree: OUT_DEGREE, spyFraction: p, mode, seed });
  const honest = Array.from({ length: NODES }, (_, i) => i).filter((i) => !net.isSpy(i));
  const rounds = Math.ceil(TXS / honest.length);
  const rng = new SeededRandom(seed * 31 + 17);
  let k = 0;
  for (let r = 0; r < rounds; r++) for (const o of honest) net.submit(o, `t${k++}`, r * ROUND_MS + rng.next() * ROUND_MS, r);
  net.run(rounds * ROUND_MS + DEFAULT_DANDELION_PARAMS.embargoMaxMs + 120_000);
  return { txs: [...net.txs.values()], messages: net.messages };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

interface Row {
  mode: SimMode;
  p: number;
  txs: number;
  score: FirstSpyScore;
  delivered: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  meanStemHops: number;
  fluffReasons: Record<string, number>;
  messagesPerTx: number;
  /** Fraction of txs whose first fluff was by their origin (its embargo fired first). */
  originFluffedFirst: number;
  hopHistogram: Record<string, number>;
}

function measure(mode: SimMode, p: number): Row {
  const all: SimTx[] = [];
  let messages = 0;
  for (let s = 1; s <= SEEDS; s++) {
    const run = simulate(mode, p, s);
    // Rounds are per run; keep them apart when pooling.
    for (const t of run.txs) all.push({ ...t, round: s * 100_000 + t.round });
    messages += run.messages;
  }
  const lat = all.map((t) => t.lastReachAt - t.createdAt).sort((a, b) => a - b);
  const fluffReasons: Record<string, number> = {};
  const hopHistogram: Record<string, number> = {};
  let hops = 0;
  for (const t of all) {
    const reason = t.firstFluff?.reason ?? "none";
    fluffReasons[reason] = (fluffReasons[reason] ?? 0) + 1;
    const h = t.firstFluff?.hops ?? 0;
    hops += h;
    const key = h > 10 ? ">10" : String(h);
    hopHistogram[key] = (hopHistogram[key] ?? 0) + 1;
  }
  return {
    mode,
    p,
    txs: all.length,
    score: scoreFirstSpy(all),
    delivered: all.filter((t) => t.reached === NODES).length / all.length,
    latencyP50Ms: quantile(lat, 0.5),
    latencyP99Ms: quantile(lat, 0.99),
    meanStemHops: hops / all.length,
    fluffReasons,
    messagesPerTx: messages / all.length,
    originFluffedFirst: mode === "flood" ? 1 : all.filter((t) => t.firstFluff?.node === t.origin).length / all.length,
    hopHistogram,
  };
}

const t0 = performance.now();
const rows: Row[] = [];
for (const p of [0, 0.1, 0.2]) for (const mode of ["dandelion", "flood"] as const) rows.push(measure(mode, p));
const seconds = (performance.now() - t0) / 1000;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const table: string[] = [
  "| p | estimator guesses origin (D++) | (flooding) | flooding / D++ | precision D++ | precision flooding | paper: lower bound p² | reference O(p² log 1/p) bound | D++ ≤ bound |",
  "|---|---|---|---|---|---|---|---|---|",
];
const summary = [];
for (const p of [0.1, 0.2]) {
  const d = rows.find((r) => r.mode === "dandelion" && r.p === p) as Row;
  const f = rows.find((r) => r.mode === "flood" && r.p === p) as Row;
  const bound = precisionReferenceBound(p);
  table.push(
    `| ${p} | ${pct(d.score.correct)} ± ${pct(d.score.correctCi95)} | ${pct(f.score.correct)} ± ${pct(f.score.correctCi95)} | ${(f.score.correct / d.score.correct).toFixed(1)}× | ${d.score.precision.toFixed(3)} | ${f.score.precision.toFixed(3)} | ${precisionLowerBound(p).toFixed(3)} | ${bound.toFixed(3)} | ${d.score.precision <= bound ? "yes" : "no"} |`,
  );
  summary.push({ p, dandelion: d.score, flooding: f.score, lowerBound: precisionLowerBound(p), referenceBound: bound, floodOverDandelionCorrect: f.score.correct / d.score.correct, floodOverDandelionPrecision: f.score.precision / d.score.precision });
}
const prop = ["", "| p | mode | delivered to all | p50 / p99 to all nodes | mean stem hops | first fluff by | origin fluffed first | messages per tx |", "|---|---|---|---|---|---|---|---|"];
for (const r of rows)
  prop.push(
    `| ${r.p} | ${r.mode} | ${pct(r.delivered)} | ${(r.latencyP50Ms / 1000).toFixed(2)} / ${(r.latencyP99Ms / 1000).toFixed(2)} s | ${r.mode === "flood" ? "—" : r.meanStemHops.toFixed(2)} | ${Object.entries(r.fluffReasons).map(([k, v]) => `${k} ${pct(v / r.txs)}`).join(", ")} | ${r.mode === "flood" ? "—" : pct(r.originFluffedFirst)} | ${r.messagesPerTx.toFixed(0)} |`,
  );
const d0 = rows.find((r) => r.mode === "dandelion" && r.p === 0) as Row;
const q = DEFAULT_DANDELION_PARAMS.fluffProbability;
const hist = ["", "| stem hops (p = 0) | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | >10 |", "|---|---|---|---|---|---|---|---|---|---|---|---|"];
const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", ">10"];
hist.push(`| measured | ${keys.map((k) => pct((d0.hopHistogram[k] ?? 0) / d0.txs)).join(" | ")} |`);
hist.push(`| geometric, q = ${q} | ${keys.map((k) => pct(k === ">10" ? Math.pow(1 - q, 10) : stemHopPmf(q, Number(k)))).join(" | ")} |`);

console.log(`Dandelion++ first-spy measurement: ${NODES} nodes, out-degree ${OUT_DEGREE}, ${SEEDS} graphs per row, ≥ ${TXS} txs per graph; q = ${q}, embargo mean ${(DEFAULT_DANDELION_PARAMS.embargoMeanMs / 1000).toFixed(1)} s; ${seconds.toFixed(1)} s\n`);
console.log([...table, ...prop, ...hist].join("\n"));

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "results", "dandelion.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      what: "first-spy estimator vs Dandelion++ (real DandelionRouter per node) and plain flooding",
      config: { nodes: NODES, outDegree: OUT_DEGREE, seeds: SEEDS, minTxsPerGraph: TXS, roundMs: ROUND_MS, params: DEFAULT_DANDELION_PARAMS, linkLatencyMs: [50, 150], processingMs: 7, jitterMeanMs: 10 },
      summary,
      rows,
      seconds,
    },
    null,
    2,
  ) + "\n",
);
console.log(`\nwrote ${out}`);
