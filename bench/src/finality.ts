/**
 * Finality benchmark (issue 8, README §Benchmarks): `FIN_VALIDATORS` = 4 validator processes
 * (`baios node --validator`, each with its own key from a genesis of 4 equal-stake validators)
 * over libp2p TCP on loopback, every one mining Tx-PoW candidates, Tendermint BFT finality,
 * Dandelion++ on, real 1-in/2-out ring-11 RingCT transactions built beforehand.
 *
 * 1. **Finality latency**: every validator logs `block finalized` with `latencyMs` = the decided
 *    candidate's arrival at that validator → its finality certificate (node/src/consensus/setup.ts,
 *    the same figure as `baios_finality_latency_seconds`). Parsed from each validator's log file:
 *    p50/p99 over every (validator, height) pair, on an idle network for ≥ `IDLE_BLOCKS` heights
 *    and under the transaction load. Reference in the same run: one validator alone (1-validator
 *    genesis, one process), `REF_BLOCKS` heights.
 * 2. **Throughput**: `BATCHES` batches of `TXS / BATCHES` txs, each batch submitted at once over
 *    JSON-RPC spread round-robin over the 4 validators; timed from the first submission until the
 *    key-image count of the finalized chain (node0's `status`) shows every tx of the batch
 *    (1 input per tx → one key image each). Finalized tx/s per batch, median reported.
 * 3. **RSS per validator** (VmRSS from /proc/<pid>/status) sampled every 200 ms through the load:
 *    max and median per validator.
 * Writes bench/results/finality.json and prints a table. Not a test: nothing is asserted, but it
 * exits non-zero when a run fails (the nodes disagree, or the network stalls: no new finalized
 * height for `BENCH_FINALITY_STALL_MS`, default 30 s — then it reports what it measured so far).
 *
 * Run: `./scripts/bench finality` (or `node bench/src/finality.ts`). Environment:
 * `BENCH_FINALITY_TXS` (default 450), `BENCH_FINALITY_BATCHES` (3), `BENCH_FINALITY_IDLE_BLOCKS`
 * (30), `BENCH_FINALITY_REF_BLOCKS` (12), `BENCH_FINALITY_BLOCK_MS` (1000), `BENCH_FINALITY_EPOCH`
 * (100 000).
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { genesisToFile } from "@baios/consensus";
import { freePort, startNodeProc, stopNodeProc, until, type NodeProc } from "../../node/test/helpers/procs.ts";
import { tmpDir } from "../../node/test/helpers/fixture.ts";
import { PAYOUT, finalityGenesis, validatorSeed, type FinalityGenesisArgs } from "./finality-fixture.ts";
import { median, printTable, quantile } from "./harness.ts";

const FIN_VALIDATORS = 4;
const TXS = Number(process.env["BENCH_FINALITY_TXS"] ?? 450);
const BATCHES = Number(process.env["BENCH_FINALITY_BATCHES"] ?? 3);
const IDLE_BLOCKS = Number(process.env["BENCH_FINALITY_IDLE_BLOCKS"] ?? 12);
/** No new finalized height for this long (ms) = the network stalled: the run stops and reports what it measured. */
const STALL_MS = Number(process.env["BENCH_FINALITY_STALL_MS"] ?? 30_000);
const REF_BLOCKS = Number(process.env["BENCH_FINALITY_REF_BLOCKS"] ?? 12);
const BLOCK_MS = Number(process.env["BENCH_FINALITY_BLOCK_MS"] ?? 1000);
/** Blocks per staking epoch. Default 100 000: no validator-set change during the run (steady-state finality). */
const EPOCH = Number(process.env["BENCH_FINALITY_EPOCH"] ?? 100_000);
/**
 * Initial block target in leading zero bits. Default 16 (≈ 65 536 hashes): 4 miners at the
 * default 20 000 hashes/s find a candidate about every 0.8 s, so blocks come at the 1 s design
 * rate from the start (with the devnet's 10 bits they come ~4× too fast until the retarget catches up).
 */
const TARGET_BITS = Number(process.env["BENCH_FINALITY_TARGET_BITS"] ?? 16);
/** Premine outputs: one per tx plus decoys. */
const OUTPUTS = TXS + 40;
/**
 * Dandelion++ mean embargo (ms) of every validator, as the devnet derives it from the loopback hop
 * delay (the WAN default, derived from 150 ms hops, holds txs in stempools for tens of seconds on a
 * 4-node loopback network whose stems die early, and would make this a measure of the embargo).
 */
const EMBARGO_MS = Number(process.env["BENCH_FINALITY_EMBARGO_MS"] ?? 300);
/** Concurrent `submit_tx` calls in flight per batch (all txs of a batch go out at once, at most this many in flight). */
const SUBMIT_CONCURRENCY = 64;
const RESULTS = fileURLToPath(new URL("../results/", import.meta.url));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** One `block finalized` log line of a validator. */
interface Finalized {
  node: number;
  height: number;
  round: number;
  latencyMs: number;
  /** Wall time of the log line (ms since the epoch). */
  time: number;
}

/** The validator's `block finalized` lines (pino JSON, one object a line). */
function finalizedLines(logFile: string, node: number): Finalized[] {
  if (!existsSync(logFile)) return [];
  const out: Finalized[] = [];
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.includes('"block finalized"')) continue;
    try {
      const o = JSON.parse(line) as { height: number; round: number; latencyMs: number; time: number };
      out.push({ node, height: o.height, round: o.round, latencyMs: o.latencyMs, time: o.time });
    } catch {
      /* a partly written last line */
    }
  }
  return out;
}

/** p50, p99, max (ms) and sample count of latencies; rounds > 0 counted. */
function latencyStats(xs: readonly Finalized[]): { samples: number; heights: number; p50Ms: number; p99Ms: number; maxMs: number; roundsAboveZero: number } {
  const l = xs.map((x) => x.latencyMs);
  return { samples: l.length, heights: new Set(xs.map((x) => x.height)).size, p50Ms: l.length ? quantile(l, 0.5) : NaN, p99Ms: l.length ? quantile(l, 0.99) : NaN, maxMs: l.length ? Math.max(...l) : NaN, roundsAboveZero: xs.filter((x) => x.round > 0).length };
}

function vmRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? NaN : Number(m[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Builds the txs spending premine outputs 0 … TXS−1 on two worker threads; wire bytes in index order. */
async function buildAll(args: FinalityGenesisArgs): Promise<Uint8Array[]> {
  const all = Array.from({ length: TXS }, (_, i) => i);
  const parts = [all.filter((i) => i % 2 === 0), all.filter((i) => i % 2 === 1)];
  const built = await Promise.all(
    parts.map(
      (indices) =>
        new Promise<Uint8Array[]>((resolve, reject) => {
          const w = new Worker(new URL("./finality-build-worker.ts", import.meta.url), { workerData: { genesis: args, indices } });
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
  const out: Uint8Array[] = new Array<Uint8Array>(TXS);
  parts.forEach((indices, p) => indices.forEach((index, k) => (out[index] = built[p]![k]!)));
  return out;
}

/** Starts validator `i` of the genesis at `genesisPath` (its own key, the shared payout), bootstrapping from `bootstrap`. */
async function startValidator(root: string, name: string, i: number, genesisPath: string, bootstrap: string[]): Promise<NodeProc> {
  const dataDir = join(root, name);
  mkdirSync(dataDir, { recursive: true });
  return startNodeProc({
    dataDir,
    genesisPath,
    validator: false, // the helper's flag means its single fixture key; the key is passed here
    bootstrap,
    rpcPort: await freePort(),
    extra: ["--validator", "--validator-key", hex(validatorSeed(i)), "--payout", `${hex(PAYOUT.viewPublic)}:${hex(PAYOUT.spendPublic)}`, "--log-level", process.env["BENCH_FINALITY_LOG_LEVEL"] ?? "info", "--workers", "1", "--dandelion-epoch-ms", "60000", "--dandelion-embargo-ms", String(EMBARGO_MS), "--max-peers", "16"],
  });
}

/** Thrown when node0's finalized height has not moved for {@link STALL_MS}. */
class Stalled extends Error {}

/**
 * Polls node0's `status` every 100 ms until `done(status)`; throws {@link Stalled} when its
 * finalized height does not move for {@link STALL_MS} ms.
 */
async function untilOrStall(n: NodeProc, done: (s: Awaited<ReturnType<NodeProc["client"]["status"]>>) => boolean, what: string): Promise<Awaited<ReturnType<NodeProc["client"]["status"]>>> {
  let h = -1;
  let moved = Date.now();
  for (;;) {
    const s = await n.client.status();
    if (done(s)) return s;
    if (s.height !== h) {
      h = s.height;
      moved = Date.now();
    } else if (Date.now() - moved > STALL_MS) throw new Stalled(`finalized height stuck at ${h} for ${STALL_MS} ms (${what})`);
    await sleep(100);
  }
}

/** Runs `fn` over `items` with at most `n` calls in flight. */
async function limited<T>(items: readonly T[], n: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** 1-validator reference: one process, `REF_BLOCKS` heights; its `block finalized` lines. */
async function reference(root: string): Promise<Finalized[]> {
  const path = join(root, "genesis-1.json");
  writeFileSync(path, JSON.stringify(genesisToFile(finalityGenesis({ outputs: OUTPUTS, blockTimeMs: BLOCK_MS, validators: 1, epochLength: EPOCH, blockTargetBits: TARGET_BITS - 2 })), null, 2));
  const n = await startValidator(root, "ref", 0, path, []);
  try {
    await until(async () => (await n.client.status()).height >= REF_BLOCKS + 1, 60_000 + REF_BLOCKS * BLOCK_MS * 4, "reference blocks");
  } finally {
    await stopNodeProc(n);
  }
  return finalizedLines(join(n.dataDir, "node.log"), 0).filter((f) => f.height >= 2);
}

async function main(): Promise<void> {
  const root = tmpDir("baios-bench-finality-");
  const args: FinalityGenesisArgs = { outputs: OUTPUTS, blockTimeMs: BLOCK_MS, validators: FIN_VALIDATORS, epochLength: EPOCH, blockTargetBits: TARGET_BITS };
  const load0 = loadavg();
  log(`building ${TXS} ring-11 txs on 2 threads…`);
  const tb = performance.now();
  const txs = await buildAll(args);
  log(`built in ${((performance.now() - tb) / 1000).toFixed(1)} s; 1-validator reference, ${REF_BLOCKS} blocks…`);
  const ref = await reference(root);

  const genesisPath = join(root, "genesis.json");
  writeFileSync(genesisPath, JSON.stringify(genesisToFile(finalityGenesis(args)), null, 2));
  const nodes: NodeProc[] = [];
  const onSignal = (): void => {
    void Promise.all(nodes.map((n) => stopNodeProc(n))).then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let failed = false;
  try {
    log(`starting ${FIN_VALIDATORS} validator processes…`);
    for (let i = 0; i < FIN_VALIDATORS; i++) nodes.push(await startValidator(root, `v${i}`, i, genesisPath, nodes.map((n) => n.addr)));
    await until(async () => (await Promise.all(nodes.map(async (n) => (await n.client.status()).network?.peerCount ?? 0))).every((c) => c >= 2), 60_000, "peers");
    await until(async () => (await Promise.all(nodes.map(async (n) => (await n.client.status()).height))).every((h) => h >= 2), 120_000, "first blocks");
    const idleFrom = (await nodes[0]!.client.status()).height + 1;
    log(`idle: ${IDLE_BLOCKS} heights from ${idleFrom}…`);
    let stalled: string | undefined;
    const idleTo = await untilOrStall(nodes[0]!, (s) => s.height >= idleFrom + IDLE_BLOCKS - 1, "idle blocks")
      .then((s) => s.height)
      .catch(async (e: unknown) => {
        if (!(e instanceof Stalled)) throw e;
        stalled = e.message;
        return (await nodes[0]!.client.status()).height;
      });

    // 2. throughput batches, 3. RSS throughout
    const rss: number[][] = nodes.map(() => []);
    const sampler = setInterval(() => nodes.forEach((n, k) => rss[k]!.push(vmRssMb(n.child.pid!))), 200);
    const per = Math.floor(TXS / BATCHES);
    const batches: { txs: number; rejected: number; wallMs: number; txPerS: number; steadyTxPerS?: number; fromHeight: number; toHeight: number }[] = [];
    const loadFrom = idleTo + 1;
    for (let b = 0; b < BATCHES && stalled === undefined; b++) {
      const batch = txs.slice(b * per, (b + 1) * per);
      const s0 = await nodes[0]!.client.status();
      let rejected = 0;
      const t0 = performance.now();
      let t10: { t: number; done: number } | undefined;
      let t90: { t: number; done: number } | undefined;
      await limited(batch, SUBMIT_CONCURRENCY, async (t, i) => {
        await nodes[i % FIN_VALIDATORS]!.client.submitTx(t).catch((e: unknown) => {
          rejected++;
          if (rejected <= 3) log(`  submit refused: ${(e as Error).message}`);
        });
      });
      const want = s0.keyImageCount + batch.length - rejected;
      let top = s0;
      try {
        const n = batch.length - rejected;
        top = await untilOrStall(
          nodes[0]!,
          (s) => {
            const done = s.keyImageCount - s0.keyImageCount;
            const now = performance.now();
            if (t10 === undefined && done >= 0.1 * n) t10 = { t: now, done };
            if (t90 === undefined && done >= 0.9 * n) t90 = { t: now, done };
            return s.keyImageCount >= want;
          },
          `batch ${b}`,
        );
      } catch (e) {
        if (!(e instanceof Stalled)) throw e;
        stalled = e.message;
        log(`  ✗ ${stalled}`);
        break;
      }
      const wallMs = performance.now() - t0;
      // the steady part of the batch: from 10% to 90% finalized (the head waits for the first block, the tail for the last embargoes)
      const steady = t10 !== undefined && t90 !== undefined && t90.t > t10.t ? ((t90.done - t10.done) * 1000) / (t90.t - t10.t) : undefined;
      batches.push({ txs: batch.length - rejected, rejected, wallMs, txPerS: ((batch.length - rejected) * 1000) / wallMs, ...(steady === undefined ? {} : { steadyTxPerS: steady }), fromHeight: s0.height + 1, toHeight: top.height });
      log(`  batch ${b}: ${batch.length - rejected} txs finalized in ${(wallMs / 1000).toFixed(2)} s (${batches.at(-1)!.txPerS.toFixed(1)} tx/s; 10→90 %: ${steady === undefined ? "n/a" : steady.toFixed(1)} tx/s), heights ${s0.height + 1}…${top.height}`);
      await sleep(2 * BLOCK_MS);
    }
    clearInterval(sampler);
    const loadTo = (await nodes[0]!.client.status()).height;
    // every validator holds the same finalized chain
    let heads: { height: number; tipHash: string; keyImageCount: number; outputRoot: string }[] = [];
    await until(async () => {
      heads = await Promise.all(nodes.map((n) => n.client.status()));
      return heads.every((h) => h.height === heads[0]!.height && h.tipHash === heads[0]!.tipHash && h.outputRoot === heads[0]!.outputRoot && h.keyImageCount === heads[0]!.keyImageCount);
    }, 20_000, "same head").catch(() => {
      failed = true;
      log(`  ✗ the validators disagree: ${heads.map((h) => `${h.height}/${h.tipHash.slice(0, 10)}/${h.keyImageCount}`).join(", ")}`);
    });

    // 1. latencies from the logs
    const lines = nodes.flatMap((n, k) => finalizedLines(join(n.dataDir, "node.log"), k));
    const idle = latencyStats(lines.filter((f) => f.height >= idleFrom && f.height <= idleTo));
    const loaded = latencyStats(lines.filter((f) => f.height >= loadFrom && f.height <= loadTo));
    const all = latencyStats(lines.filter((f) => f.height >= idleFrom && f.height <= loadTo));
    const refStats = latencyStats(ref);
    const rssMax = rss.map((xs) => Math.max(...xs.filter(Number.isFinite)));
    const rssMed = rss.map((xs) => (xs.some(Number.isFinite) ? median(xs.filter(Number.isFinite)) : NaN));
    const tps = batches.length ? batches.map((b) => b.txPerS) : [NaN];
    const load1 = loadavg();
    const result = {
      when: new Date().toISOString(),
      setup: `${FIN_VALIDATORS} \`baios node --validator\` processes on loopback (equal stake, each mining Tx-PoW candidates), libp2p TCP+noise+yamux+gossipsub, Dandelion++ on (mean embargo ${EMBARGO_MS} ms), ${BLOCK_MS} ms blocks, 1 validation worker each, default BFT timeouts, epoch ${EPOCH} blocks, initial block target ${TARGET_BITS} bits (1-validator reference: ${TARGET_BITS - 2}); ${TXS} ring-11 1-in/2-out txs in ${BATCHES} batches; 2-core machine shared with other jobs`,
      loadavg: { start: load0, end: load1 },
      validators: FIN_VALIDATORS,
      blockTimeMs: BLOCK_MS,
      finality: { idle: { ...idle, fromHeight: idleFrom, toHeight: idleTo }, underLoad: { ...loaded, fromHeight: loadFrom, toHeight: loadTo }, all, reference1Validator: refStats, ratioP50ToReference: all.p50Ms / refStats.p50Ms },
      throughput: { batches, medianTxPerS: median(tps), minTxPerS: Math.min(...tps), maxTxPerS: Math.max(...tps), medianSteadyTxPerS: median(batches.map((b) => b.steadyTxPerS ?? NaN).filter(Number.isFinite)), embargoMeanMs: EMBARGO_MS },
      rssMb: { maxPerValidator: rssMax, medianPerValidator: rssMed, max: Math.max(...rssMax), samplesPerValidator: rss[0]!.length },
      sameHead: !failed,
      stalled: stalled ?? null,
      dataDir: root,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "finality.json"), JSON.stringify(result, null, 2) + "\n");
    const ms = (x: number): string => `${x.toFixed(0)} ms`;
    const mark = (ok: boolean): string => (ok ? "✓" : "✗");
    printTable(
      ["figure", "value", "target"],
      [
        [`finality latency, ${FIN_VALIDATORS} validators, candidate arrival → certificate, p50 (${all.heights} heights, ${all.samples} samples)`, `${ms(all.p50Ms)} ${mark(all.p50Ms <= 1000)}`, "≤ 1 s"],
        ["finality latency p99", `${ms(all.p99Ms)} ${mark(all.p99Ms <= 3000)}`, "≤ 3 s"],
        [`  idle (${idle.heights} heights) p50 / p99`, `${ms(idle.p50Ms)} / ${ms(idle.p99Ms)}`, ""],
        [`  under load (${loaded.heights} heights) p50 / p99`, `${ms(loaded.p50Ms)} / ${ms(loaded.p99Ms)}`, ""],
        [`  reference: 1 validator (${refStats.heights} heights) p50 / p99`, `${ms(refStats.p50Ms)} / ${ms(refStats.p99Ms)}`, "same run"],
        ["  rounds > 0 (samples)", `${all.roundsAboveZero}`, ""],
        [`finalized private tx/s through the network, median of ${BATCHES} batches of ${per} (whole batch)`, `${median(tps).toFixed(1)} (${tps.map((x) => x.toFixed(1)).join(", ")}) ${mark(median(tps) >= 100)}`, "≥ 100 tx/s"],
        [`  same, steady part of each batch (10 % → 90 % finalized), embargo ${EMBARGO_MS} ms`, `${result.throughput.medianSteadyTxPerS.toFixed(1)} ${mark(result.throughput.medianSteadyTxPerS >= 100)}`, "≥ 100 tx/s"],
        ["RSS per validator under load, max", `${rssMax.map((x) => x.toFixed(0)).join(" / ")} MB ${mark(Math.max(...rssMax) <= 250)}`, "≤ 250 MB"],
        ["RSS per validator under load, median", `${rssMed.map((x) => x.toFixed(0)).join(" / ")} MB`, ""],
        ...(stalled === undefined ? [] : [["✗ the network stalled", stalled, "liveness"]]),
        ["machine load average (1 min) start → end", `${load0[0]!.toFixed(2)} → ${load1[0]!.toFixed(2)} on 2 cores`, ""],
      ],
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (stalled !== undefined) failed = true;
  } finally {
    await Promise.all(nodes.map((n) => stopNodeProc(n)));
  }
  if (failed) process.exitCode = 1;
}

await main();
