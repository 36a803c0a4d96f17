/**
 * The unprunable floor (issue 9, "What stays forever"): bytes on disk per transaction of what a
 * pruned node must keep for as long as any past output may be a ring member — the output set
 * (one-time key and commitment, with the node's indexes and the output MMR) and the key-image
 * set (the `k` index and the key-image set tree, docs/protocol.md §15) — measured on a real
 * LevelDB (classic-level, as the node uses) written through the node's `Store`/`BlockBatch`.
 *
 * Cases (each run in a fresh temporary directory; median of `runs` runs):
 * - **tx floor**: N typical transactions (1 input, 2 outputs, ring 11) in blocks of
 *   {@link TXS_PER_BLOCK}: per tx 2 × (`o` record 9 + 80 B, `O` index 33 + 8 B), the output-MMR
 *   nodes the real consensus `Mmr` creates (~2 per output, `n` 9 + 32 B each), 1 × `k` (33 + 8 B)
 *   and the key-image set tree records `kisetInsertMany` returns (~2.44 per key image, 1-byte
 *   prefix ‖ 2..34-byte position → 33 B). Nothing prunable (block bodies, tx index) is written.
 * - **block floor**: M blocks, each with its one coinbase output (`o`, `O`, MMR nodes), its `g`
 *   record (cumulative output count, 9 + 8 B) and its header-MMR nodes (~2 per block, 9 + 32 B).
 * - **window** (the lowering option measured): ring members only from the last W transactions.
 *   Records are deleted as they leave the window (`o`, `O`, `k`, output-MMR nodes except the
 *   peaks), the key-image tree is kept per epoch of W transactions and the tree of epoch e − 2 is
 *   dropped when epoch e starts; the DB is measured at the end of every epoch (worst case: two
 *   trees) to show the plateau.
 * After writing: `compactRange` over all keys, per-kind bytes by `approximateSize`, close, and the
 * sum of the directory's file sizes. The key-image tree and header-MMR records are written with
 * bench-local prefixes `I` and `N` in the same DB (the store gains its own prefixes for them; a
 * prefix is 1 byte of key either way).
 *
 * Run: `./scripts/bench floor` or `node bench/src/floor.ts [runs=3] [sizes=100000,1000000]
 * [window=200000] [windowTotal=1000000] [blocks=100000] [runsLarge=runs]`. Prints tables, writes `bench/results/floor.json`.
 * Not a test: nothing is asserted except the consistency the MMR and tree code check themselves.
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Mmr, type MmrBackend } from "../../consensus/src/mmr/mmr.ts";
import { leafIndexToPos0, peaks } from "../../consensus/src/mmr/position.ts";
import { mmrLeafHash } from "../../consensus/src/mmr/proof.ts";
import { kisetInsertMany, type KisetBackend } from "../../consensus/src/kiset/tree.ts";
import { Store } from "../../node/src/store/store.ts";
import { keyImageKey, mmrKey, oneTimeKeyKey, outputKey, u32be } from "../../node/src/store/keys.ts";
import { median, printTable } from "./harness.ts";

/** Transactions per block (10 tx/s at the 10 s block time). */
const TXS_PER_BLOCK = 100;
/** Seconds in a year as the chain counts it (365 days, consensus BLOCKS_PER_YEAR = 3,153,600 blocks of 10 s). */
const YEAR_S = 365 * 86_400;
const BLOCKS_PER_YEAR = YEAR_S / 10;
/** Raw minimum per typical tx: 2 × (one-time key 32 + commitment 32) + key image 32 (bytes). */
const RAW_MIN_TX = 2 * 64 + 32;
/** Raw minimum per block: the coinbase output's one-time key and commitment (bytes). */
const RAW_MIN_BLOCK = 64;
/** Bench-local prefixes: key-image set tree records and header-MMR nodes. */
const P_KISET = 0x49; // I
const P_HMMR = 0x4e; // N

const runs = Number(process.argv[2] ?? 3);
const sizes = (process.argv[3] ?? "100000,1000000").split(",").map(Number);
const WINDOW = Number(process.argv[4] ?? 200_000);
const WINDOW_TOTAL = Number(process.argv[5] ?? 1_000_000);
const BLOCK_CASE = Number(process.argv[6] ?? 100_000);
/** Runs for N ≥ 10^6 (a run of 10^6 txs takes minutes). */
const runsLarge = Number(process.argv[7] ?? runs);
const root = new URL("../../", import.meta.url);
const log = (s: string): void => void process.stderr.write(`[floor bench] ${s}\n`);

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
/** Sum of the sizes of the files in `dir` (bytes), and of the `.ldb` tables alone. */
function dirBytes(dir: string): { all: number; tables: number } {
  let all = 0;
  let tables = 0;
  for (const f of readdirSync(dir)) {
    const s = statSync(join(dir, f)).size;
    all += s;
    if (f.endsWith(".ldb") || f.endsWith(".sst")) tables += s;
  }
  return { all, tables };
}

type Op = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };
/** Record kinds measured, with their key ranges. */
type Kind = "o output record" | "O one-time-key index" | "n output-MMR nodes" | "k key-image index" | "I key-image set tree" | "g cumulative outputs" | "N header-MMR nodes";
const KINDS: Record<Kind, { gte: Uint8Array; lt: Uint8Array }> = {
  "o output record": { gte: Uint8Array.of(0x6f), lt: Uint8Array.of(0x70) },
  "O one-time-key index": { gte: Uint8Array.of(0x4f), lt: Uint8Array.of(0x50) },
  "n output-MMR nodes": { gte: Uint8Array.of(0x6e), lt: Uint8Array.of(0x6f) },
  "k key-image index": { gte: Uint8Array.of(0x6b), lt: Uint8Array.of(0x6c) },
  "I key-image set tree": { gte: Uint8Array.of(P_KISET), lt: Uint8Array.of(P_KISET + 1) },
  "g cumulative outputs": { gte: Uint8Array.of(0x67), lt: Uint8Array.of(0x68) },
  "N header-MMR nodes": { gte: Uint8Array.of(P_HMMR), lt: Uint8Array.of(P_HMMR + 1) },
};

/** One measured database. */
interface DbFigures {
  /** Sum of all file sizes after compaction and close (bytes). */
  diskBytes: number;
  /** The `.ldb` tables alone (bytes). */
  tableBytes: number;
  /** Key + value bytes of the live records (what LevelDB stores before its own encoding). */
  logicalBytes: number;
  /** Records live at the end, by kind. */
  records: Record<Kind, number>;
  /** Bytes on disk by kind (`approximateSize` after compaction). */
  kindBytes: Record<Kind, number>;
  /** Wall time of the writes (s). */
  writeS: number;
  compactS: number;
}

/**
 * Writes through the node's Store: outputs (`o`, `O`) and key images (`k`) with `BlockBatch`,
 * output-MMR nodes from the real consensus `Mmr` (`putMmrNode`), tree records and deletions
 * with a second batch on the same DB.
 */
class FloorDb {
  readonly dir: string;
  store!: Store;
  mmr!: Mmr;
  hmmr!: Mmr;
  height = 0;
  outputs = 0;
  keyImages = 0;
  mmrNodes = 0;
  logical = 0;
  readonly records = Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])) as Record<Kind, number>;
  /** Window mode: the tree epoch that key images are inserted into (a u32 after the prefix). */
  epoch: number | undefined;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "baios-floor-"));
  }
  async open(): Promise<void> {
    this.store = await Store.open(join(this.dir, "db"), { sync: false });
    const s = this.store;
    const outBackend: MmrBackend = { get: (p) => s.getMmrNodeSync(Number(p)), put: () => { throw new Error("unused"); } };
    this.mmr = new Mmr(outBackend, BigInt(this.outputs));
    const hBackend: MmrBackend = { get: (p) => s.db.getSync(cat(Uint8Array.of(P_HMMR), u64(p))), put: () => { throw new Error("unused"); } };
    this.hmmr = new Mmr(hBackend, this.hmmr?.leafCount ?? 0n);
  }
  kisetPrefix(): Uint8Array {
    return this.epoch === undefined ? Uint8Array.of(P_KISET) : cat(Uint8Array.of(P_KISET), u32be(this.epoch));
  }
  kisetBackend(): KisetBackend {
    const prefix = this.kisetPrefix();
    return { get: (pos) => this.store.db.getSync(cat(prefix, pos)), put: () => { throw new Error("unused"); } };
  }

  /**
   * Appends one block: `coinbase` coinbase outputs, `txs` typical txs (2 outputs, 1 key image
   * each), and optionally the per-block records (`g`, header-MMR nodes).
   * @returns the one-time keys and key images written (for window deletions)
   */
  async block(txs: number, coinbase: number, perBlock: boolean): Promise<{ oneTimeKeys: Uint8Array[]; keyImages: Uint8Array[] }> {
    const height = this.height;
    const batch = this.store.batch();
    const nOut = coinbase + 2 * txs;
    const rnd = randomBytes(64 * nOut + 32 * txs);
    const oneTimeKeys: Uint8Array[] = [];
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < nOut; i++) {
      const oneTimeKey = rnd.subarray(64 * i, 64 * i + 32);
      const commitment = rnd.subarray(64 * i + 32, 64 * i + 64);
      const index = this.outputs + i;
      batch.putOutput(index, { oneTimeKey, commitment, height, unlockHeight: BigInt(height + 1) });
      oneTimeKeys.push(oneTimeKey);
      leaves.push(mmrLeafHash(BigInt(index), oneTimeKey, commitment));
    }
    this.logical += nOut * (9 + 80 + 33 + 8);
    this.records["o output record"] += nOut;
    this.records["O one-time-key index"] += nOut;
    const preview = await this.mmr.preview(leaves);
    for (const n of preview.nodes) batch.putMmrNode(Number(n.pos0), n.hash);
    this.logical += preview.nodes.length * (9 + 32);
    this.records["n output-MMR nodes"] += preview.nodes.length;
    const keyImages: Uint8Array[] = [];
    for (let t = 0; t < txs; t++) {
      const ki = rnd.subarray(64 * nOut + 32 * t, 64 * nOut + 32 * t + 32);
      batch.putKeyImage(ki, height);
      keyImages.push(ki);
    }
    this.logical += txs * (33 + 8);
    this.records["k key-image index"] += txs;
    const extra: Op[] = [];
    if (txs > 0) {
      const prefix = this.kisetPrefix();
      const r = await kisetInsertMany(this.kisetBackend(), keyImages);
      for (const w of r.writes) {
        extra.push({ type: "put", key: cat(prefix, w.position), value: w.record });
        // a record overwritten in place (a leaf pushed down leaves an internal node) is not new;
        // counted exactly at the end from the DB
      }
    }
    if (perBlock) {
      batch.putCumulativeOutputs(height, this.outputs + nOut);
      this.logical += 9 + 8;
      this.records["g cumulative outputs"] += 1;
      const h = await this.hmmr.preview([randomBytes(32)]);
      for (const n of h.nodes) extra.push({ type: "put", key: cat(Uint8Array.of(P_HMMR), u64(n.pos0)), value: n.hash });
      this.logical += h.nodes.length * (9 + 32);
      this.records["N header-MMR nodes"] += h.nodes.length;
      this.hmmr.setLeafCount(h.leafCount);
    }
    this.outputs += nOut;
    this.keyImages += txs;
    this.mmrNodes += preview.nodes.length;
    await batch.write({ height, hash: randomBytes(32), outputs: this.outputs, keyImages: this.keyImages, mmrNodes: this.mmrNodes });
    if (extra.length > 0) await this.store.db.batch(extra);
    this.mmr.setLeafCount(preview.leafCount);
    this.height++;
    return { oneTimeKeys, keyImages };
  }

  async del(ops: Op[]): Promise<void> {
    if (ops.length > 0) await this.store.db.batch(ops);
  }

  /** Counts the live records and bytes of the key-image tree (records are overwritten in place, so counted from the DB). */
  async countKiset(): Promise<void> {
    let n = 0;
    let bytes = 0;
    for await (const [k, v] of this.store.db.iterator(KINDS["I key-image set tree"])) {
      n++;
      bytes += k.length + v.length;
    }
    this.records["I key-image set tree"] = n;
    this.logical += bytes;
  }

  /** Compacts, measures per kind, closes and sums the files; `final` removes the directory. */
  async measure(writeS: number, final: boolean): Promise<DbFigures> {
    const logicalBefore = this.logical;
    await this.countKiset();
    const logicalBytes = this.logical;
    this.logical = logicalBefore;
    const c0 = performance.now();
    await this.store.db.compactRange(Uint8Array.of(0x00), Uint8Array.of(0xff));
    const compactS = (performance.now() - c0) / 1000;
    const kindBytes = {} as Record<Kind, number>;
    for (const k of Object.keys(KINDS) as Kind[]) kindBytes[k] = await this.store.db.approximateSize(KINDS[k].gte, KINDS[k].lt);
    await this.store.close();
    const b = dirBytes(join(this.dir, "db"));
    if (final) rmSync(this.dir, { recursive: true, force: true });
    else await this.open();
    return { diskBytes: b.all, tableBytes: b.tables, logicalBytes, records: { ...this.records }, kindBytes, writeS, compactS };
  }
}
const u64 = (n: bigint | number): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
};

/** The tx floor: `n` typical txs in blocks of {@link TXS_PER_BLOCK}, no per-block records. */
async function txFloor(n: number): Promise<DbFigures> {
  const db = new FloorDb();
  await db.open();
  const t0 = performance.now();
  for (let done = 0; done < n; done += TXS_PER_BLOCK) {
    await db.block(Math.min(TXS_PER_BLOCK, n - done), 0, false);
    if ((done / TXS_PER_BLOCK) % 2000 === 0 && done > 0) log(`  ${done.toLocaleString("en")} txs, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return db.measure((performance.now() - t0) / 1000, true);
}

/** The block floor: `m` blocks with one coinbase output, `g` record and header-MMR nodes, no txs. */
async function blockFloor(m: number): Promise<DbFigures> {
  const db = new FloorDb();
  await db.open();
  const t0 = performance.now();
  for (let i = 0; i < m; i++) await db.block(0, 1, true);
  return db.measure((performance.now() - t0) / 1000, true);
}

/** One checkpoint of the window case. */
interface WindowPoint {
  txs: number;
  figures: DbFigures;
}

/**
 * Ring members only from the last `w` txs: writes `total` txs and deletes what leaves the window
 * (see the module doc). Measured at the end of every epoch of `w` txs, before the epoch's drop.
 */
async function windowCase(w: number, total: number): Promise<WindowPoint[]> {
  if (w % TXS_PER_BLOCK !== 0) throw new RangeError("window must be a multiple of the block size");
  const db = new FloorDb();
  db.epoch = 0;
  await db.open();
  const wBlocks = w / TXS_PER_BLOCK;
  const live: { oneTimeKeys: Uint8Array[]; keyImages: Uint8Array[]; firstOutput: number }[] = [];
  const keptPeaks = new Set<number>();
  let cut = 0; // output-MMR positions below `cut` are gone, except those in keptPeaks
  const points: WindowPoint[] = [];
  let t0 = performance.now();
  for (let b = 0; b * TXS_PER_BLOCK < total; b++) {
    const epoch = Math.floor(b / wBlocks);
    if (epoch !== db.epoch) {
      // the epoch ends: measure (two trees live), then drop the tree of epoch − 2
      points.push({ txs: b * TXS_PER_BLOCK, figures: await db.measure((performance.now() - t0) / 1000, false) });
      log(`  window: ${(b * TXS_PER_BLOCK).toLocaleString("en")} txs, ${(points.at(-1)!.figures.diskBytes / 1e6).toFixed(1)} MB on disk`);
      t0 = performance.now();
      db.epoch = epoch;
      if (epoch >= 2) await db.store.db.clear({ gte: cat(Uint8Array.of(P_KISET), u32be(epoch - 2)), lt: cat(Uint8Array.of(P_KISET), u32be(epoch - 1)) });
    }
    const firstOutput = db.outputs;
    const r = await db.block(TXS_PER_BLOCK, 0, false);
    live.push({ ...r, firstOutput });
    if (live.length > wBlocks) {
      const old = live.shift()!;
      const ops: Op[] = [];
      old.oneTimeKeys.forEach((k, i) => {
        ops.push({ type: "del", key: outputKey(old.firstOutput + i) }, { type: "del", key: oneTimeKeyKey(k) });
      });
      for (const ki of old.keyImages) ops.push({ type: "del", key: keyImageKey(ki) });
      db.logical -= old.oneTimeKeys.length * (9 + 80 + 33 + 8) + old.keyImages.length * (33 + 8);
      db.records["o output record"] -= old.oneTimeKeys.length;
      db.records["O one-time-key index"] -= old.oneTimeKeys.length;
      db.records["k key-image index"] -= old.keyImages.length;
      // output MMR: keep only the current peaks below the first live leaf (appends need no more)
      const newCut = Number(leafIndexToPos0(BigInt(live[0]!.firstOutput)));
      const peakSet = new Set(peaks(BigInt(db.outputs)).map((p) => Number(p.pos0)));
      let deleted = 0;
      for (let p = cut; p < newCut; p++) {
        if (peakSet.has(p)) keptPeaks.add(p);
        else {
          ops.push({ type: "del", key: mmrKey(p) });
          deleted++;
        }
      }
      for (const p of [...keptPeaks]) if (!peakSet.has(p)) {
        keptPeaks.delete(p);
        ops.push({ type: "del", key: mmrKey(p) });
        deleted++;
      }
      cut = newCut;
      db.logical -= deleted * (9 + 32);
      db.records["n output-MMR nodes"] -= deleted;
      await db.del(ops);
    }
  }
  points.push({ txs: total, figures: await db.measure((performance.now() - t0) / 1000, true) });
  return points;
}

const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
const gb = (b: number): string => (b >= 1e12 ? `${(b / 1e12).toFixed(2)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(0)} MB`);

log(`runs ${runs}, tx sizes ${sizes.join(", ")}, block case ${BLOCK_CASE.toLocaleString("en")} blocks, window ${WINDOW.toLocaleString("en")} of ${WINDOW_TOTAL.toLocaleString("en")} txs; load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);

const txRuns: Record<number, DbFigures[]> = {};
for (const n of sizes) {
  txRuns[n] = [];
  const rn = n >= 1_000_000 ? runsLarge : runs;
  for (let r = 0; r < rn; r++) {
    log(`tx floor: N = ${n.toLocaleString("en")}, run ${r + 1}/${rn}`);
    const f = await txFloor(n);
    log(`  ${mb(f.diskBytes)} on disk, ${(f.diskBytes / n).toFixed(1)} B/tx (write ${f.writeS.toFixed(0)} s, compact ${f.compactS.toFixed(1)} s)`);
    txRuns[n].push(f);
  }
}
const blockRuns: DbFigures[] = [];
for (let r = 0; r < runs; r++) {
  log(`block floor: ${BLOCK_CASE.toLocaleString("en")} blocks, run ${r + 1}/${runs}`);
  blockRuns.push(await blockFloor(BLOCK_CASE));
}
log(`window: W = ${WINDOW.toLocaleString("en")} txs over ${WINDOW_TOTAL.toLocaleString("en")} txs`);
const windowPoints = await windowCase(WINDOW, WINDOW_TOTAL);

// ---- figures ----
const largest = sizes[sizes.length - 1] as number;
const perTx = (n: number): number => median(txRuns[n]!.map((f) => f.diskBytes)) / n;
const txB = perTx(largest);
const KIND_LIST = Object.keys(KINDS) as Kind[];
const kindPerTx = Object.fromEntries(KIND_LIST.map((k) => [k, median(txRuns[largest]!.map((f) => f.kindBytes[k])) / largest])) as Record<Kind, number>;
const blockB = median(blockRuns.map((f) => f.diskBytes)) / BLOCK_CASE;
const kindPerBlock = Object.fromEntries(KIND_LIST.map((k) => [k, median(blockRuns.map((f) => f.kindBytes[k])) / BLOCK_CASE])) as Record<Kind, number>;
const headerMmrPerBlock = kindPerBlock["N header-MMR nodes"];
// window: the plateau = the largest end-of-epoch size once the first drop happened (epoch ≥ 2)
const plateau = windowPoints.filter((p) => p.txs >= 2 * WINDOW);
const windowPeak = Math.max(...plateau.map((p) => p.figures.diskBytes));
const windowPerTx = windowPeak / WINDOW;

console.log("\nThe unprunable floor on a real LevelDB (compacted; median of runs)\n");
printTable(
  ["case", "N", "runs", "disk (median)", "min–max", "B/tx", "logical B/tx", "raw min B/tx", "overhead × raw"],
  sizes.map((n) => {
    const fs = txRuns[n]!;
    const d = fs.map((f) => f.diskBytes);
    return ["typical txs (1-in/2-out)", n.toLocaleString("en"), String(fs.length), mb(median(d)), `${mb(Math.min(...d))}–${mb(Math.max(...d))}`, (median(d) / n).toFixed(1), (median(fs.map((f) => f.logicalBytes)) / n).toFixed(1), String(RAW_MIN_TX), (median(d) / n / RAW_MIN_TX).toFixed(2)];
  }).concat([[
    "blocks (coinbase output, g, header MMR)", BLOCK_CASE.toLocaleString("en"), String(blockRuns.length), mb(median(blockRuns.map((f) => f.diskBytes))), "", `${blockB.toFixed(1)} B/block`, `${(median(blockRuns.map((f) => f.logicalBytes)) / BLOCK_CASE).toFixed(1)} B/block`, `${RAW_MIN_BLOCK} B/block`, (blockB / RAW_MIN_BLOCK).toFixed(2),
  ]]),
);

console.log(`\nBytes on disk by record kind (approximateSize after compaction; N = ${largest.toLocaleString("en")} txs / ${BLOCK_CASE.toLocaleString("en")} blocks)\n`);
const lastTx = txRuns[largest]![0]!;
const lastBlock = blockRuns[0]!;
printTable(
  ["record kind", "records per tx", "B per tx", "records per block", "B per block"],
  KIND_LIST.map((k) => [k, (lastTx.records[k] / largest).toFixed(2), kindPerTx[k].toFixed(1), (lastBlock.records[k] / BLOCK_CASE).toFixed(2), kindPerBlock[k].toFixed(1)]),
);

const rates = [1, 10, 100];
const proj = rates.map((r) => {
  const txYear = r * YEAR_S * txB;
  const blockYear = BLOCKS_PER_YEAR * blockB;
  return { rate: r, txYear, blockYear, year1: txYear + blockYear, year10: 10 * (txYear + blockYear), rawYear: r * YEAR_S * RAW_MIN_TX + BLOCKS_PER_YEAR * RAW_MIN_BLOCK, daysTo1GB: 1e9 / ((txYear + blockYear) / 365) };
});
console.log("\nStorage of the floor (all past outputs eligible as ring members): measured B/tx × tx/s × 31,536,000 s + B/block × 3,153,600 blocks per year\n");
printTable(
  ["tx/s", "txs per year", "floor, 1 year", "floor, 10 years", "raw minimum, 1 year", "'< 1 GB forever' lasts"],
  proj.map((p) => [String(p.rate), (p.rate * YEAR_S).toLocaleString("en"), gb(p.year1), gb(p.year10), gb(p.rawYear), `${p.daysTo1GB.toFixed(0)} days`]),
);

console.log(`\nLowering option measured: ring members only from a window of W = ${WINDOW.toLocaleString("en")} txs (DB size at the end of each epoch, two key-image trees live)\n`);
printTable(
  ["txs written", "disk", "o", "O", "n", "k", "I"],
  windowPoints.map((p) => [p.txs.toLocaleString("en"), mb(p.figures.diskBytes), ...(["o output record", "O one-time-key index", "n output-MMR nodes", "k key-image index", "I key-image set tree"] as const).map((k) => String(p.figures.records[k]))]),
);
console.log(`plateau: ${mb(windowPeak)} for W = ${WINDOW.toLocaleString("en")} txs → ${windowPerTx.toFixed(1)} B per tx in the window (worst case, two trees)`);
const windows = [{ name: "1 month (30 days)", s: 30 * 86_400 }, { name: "1 year", s: YEAR_S }];
// blocks in the window: coinbase output + g record; header-MMR nodes kept as peaks only
const windowBlockB = blockB - headerMmrPerBlock;
const winProj = windows.flatMap((w) => rates.map((r) => ({ window: w.name, rate: r, steady: r * w.s * windowPerTx + (w.s / 10) * windowBlockB })));
console.log("\nSteady state with a ring-member window (measured B per windowed tx × tx/s × W, + coinbase outputs of the window's blocks)\n");
printTable(
  ["window", "tx/s", "steady state (bounded)", "vs unbounded after 10 years"],
  winProj.map((p) => [p.window, String(p.rate), gb(p.steady), gb(proj.find((x) => x.rate === p.rate)!.year10)]),
);

mkdirSync(new URL("bench/results/", root), { recursive: true });
const file = new URL("bench/results/floor.json", root);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), runs, txsPerBlock: TXS_PER_BLOCK, yearSeconds: YEAR_S, blocksPerYear: BLOCKS_PER_YEAR,
      rawMinBytesPerTx: RAW_MIN_TX, rawMinBytesPerBlock: RAW_MIN_BLOCK,
      txFloor: Object.fromEntries(sizes.map((n) => [n, { bytesPerTx: perTx(n), overheadVsRaw: perTx(n) / RAW_MIN_TX, runs: txRuns[n] }])),
      bytesPerTx: txB, kindBytesPerTx: kindPerTx, bytesPerBlock: blockB, kindBytesPerBlock: kindPerBlock, blockRuns,
      projection: proj,
      window: { windowTxs: WINDOW, totalTxs: WINDOW_TOTAL, plateauBytes: windowPeak, bytesPerWindowTx: windowPerTx, points: windowPoints, steadyState: winProj },
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${file.pathname}`);
