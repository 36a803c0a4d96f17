/**
 * Pruning at scale (issue 9, Benchmarks): a long synthetic chain written into a real LevelDB
 * through the node's `Store`/`BlockBatch`, then pruned with the node's own `pruneStep`, and
 * measured: archive bytes against pruned bytes on disk, the cascade's kept header count over the
 * chain (bounded), the unprunable floor's bytes per transaction; plus a real node pair for the
 * bootstrap time and RSS (prune-replay.ts).
 *
 * The chain (N blocks, default 50 000, T transactions per block, default 10 = 1 tx/s at the
 * 10 s block time; mainnet staking windows unbondingDelay 8 640 + epochLength 360, so
 * D = 9 000 and W = 26 283 blocks):
 * - **real** per block: the 488-byte header (`encodeHeader`) with its PoW nonce mined at a low
 *   difficulty (block target 2^255 − 1, ~2 hashes), chained by `parentHash`, its `headerRoot`
 *   from the header MMR (`m` records), `outputRoot`/`outputCount` from the output MMR (`n`
 *   records, consensus `Mmr`), `keyImageRoot` from `kisetInsertMany` (`K` records),
 *   `superParentsRoot` and the `U` record from `nextSuperParents`; a finality certificate of 4
 *   validators (`signVote` × 4, `encodeCertificate`, `c`); the cascade by the node's own
 *   `NodeCascade.stage` (`C` records, consensus `Cascade`); outputs `o`/`O`, key images `k`,
 *   `g`, txids `x`, tx index `t` — the records a node writes for a block;
 * - **synthetic** (random bytes of the real sizes, since no transaction is verified here): the
 *   block body `b` = 600 B (coinbase, header-level fields) + the certificate again
 *   (lastCertificate) + T × 1 758 B (a 1-in/2-out ring-11 tx's wire size, docs/pruning.md);
 *   the staking record `S` (350 B); tx keys, commitments and key images (random, as real ones).
 * Random bytes do not compress, as real signatures and points do not.
 *
 * Then: the directory is copied, the copy pruned with the node's `pruneStep` (64 heights per
 * step, as the Pruner) to the tails of the tip (bodies/x/t/P/c below tip − D, S/U/h/H below
 * tip − W), both compacted (`compactRange`), bytes per record kind by `approximateSize`, closed,
 * and the sum of their files' sizes taken.
 *
 * Run: `./scripts/bench prune` or `node bench/src/prune.ts [blocks=50000] [txsPerBlock=10]
 * [replayBlocks=2000]` (replayBlocks 0 skips the node pair). Prints tables, writes
 * `bench/results/prune.json`. Not a test: nothing is asserted.
 * @module
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  BLOCK_VERSION,
  Mmr,
  blockHash,
  certificateFromVotes,
  decodeHeader,
  emptySuperParents,
  encodeCertificate,
  encodeHeader,
  headerLeafHash,
  kisetInsertMany,
  mineBlock,
  mmrLeafHash,
  nextSuperParents,
  signVote,
  superParentsRoot,
  type BlockHeader,
  type MmrBackend,
} from "@baios/consensus";
import { NodeCascade, nodeCascadeParams } from "../../node/src/cascade-store.ts";
import { pruneStep, pruneWindowsFor, targetTails } from "../../node/src/prune.ts";
import { Store } from "../../node/src/store/store.ts";
import { encodeSuperParents, prefixRange } from "../../node/src/store/keys.ts";
import { printTable } from "./harness.ts";
import { replayBench, type ReplayFigures } from "./prune-replay.ts";

const BLOCKS = Number(process.argv[2] ?? 50_000);
const TXS = Number(process.argv[3] ?? 10);
const REPLAY_BLOCKS = Number(process.argv[4] ?? 2000);
/** Validators signing each certificate. */
const VALIDATORS = 4;
/** Mainnet staking windows (docs/pruning.md): D = 9 000, W = 26 283 blocks. */
const STAKING = { unbondingDelay: 8640n, epochLength: 360n } as const;
/** Wire size of a 1-in/2-out ring-11 transaction (docs/pruning.md, devnet transfers). */
const TX_BYTES = 1758;
/** Body bytes besides the transactions and the lastCertificate (coinbase and fields; docs/pruning.md: 746 B empty body with a 1-validator certificate). */
const BODY_BASE = 600;
/** Staking record per height with 4 validators (estimate; 188 B with 1 validator in docs/pruning.md). */
const STAKING_RECORD = 350;
const BLOCK_MS = 10_000;
const YEAR_S = 365 * 86_400;
const BLOCKS_PER_YEAR = YEAR_S / 10;
const CHAIN_ID = 0x0bad_0099;
/** Block target 2^255 − 1: half of all hashes meet it. */
const EASY_BLOCK = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0x7f : 0xff));
const root = new URL("../../", import.meta.url);
const log = (s: string): void => void process.stderr.write(`[prune bench] ${s}\n`);

/** Record kinds by key prefix (node/src/store/keys.ts). */
const PREFIXES: Record<string, number> = {
  "b bodies": 0x62, "x txids": 0x78, "t tx index": 0x74, "c certificates": 0x63, "h headers": 0x68, "H hash index": 0x48,
  "S staking": 0x53, "U super-parents": 0x55, "C cascade": 0x43, "m header MMR": 0x6d,
  "o outputs": 0x6f, "O one-time keys": 0x4f, "n output MMR": 0x6e, "k key images": 0x6b, "K key-image tree": 0x4b, "g cumulative outputs": 0x67,
};
/** The floor: records kept forever for verifying new transactions (docs/pruning.md §The unprunable floor). */
const FLOOR = ["o outputs", "O one-time keys", "n output MMR", "k key images", "K key-image tree"];

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  return n;
}

/** Writes the chain (module docs) into `<dir>/db`; returns the cascade size every 1 000 blocks and at the end. */
async function writeChain(dir: string): Promise<{ cascade: { height: number; kept: number; levels: number }[]; writeS: number; txs: number }> {
  const store = await Store.open(join(dir, "db"), { sync: false });
  const outBackend: MmrBackend = { get: (p) => store.getMmrNodeSync(Number(p)), put: () => { throw new Error("unused"); } };
  const hdrBackend: MmrBackend = { get: (p) => store.getHeaderMmrNodeSync(Number(p)), put: () => { throw new Error("unused"); } };
  const mmr = new Mmr(outBackend, 0n);
  const hmmr = new Mmr(hdrBackend, 0n);
  const kisetBackend = { get: (pos: Uint8Array) => store.getKisetRecordSync(pos), put: () => { throw new Error("unused"); } };
  const cascadeParams = nodeCascadeParams(STAKING);
  const nc = await NodeCascade.load(store, cascadeParams, blockHash);
  const seeds = Array.from({ length: VALIDATORS }, (_, i) => new Uint8Array(32).fill(i + 1));
  const setHash = randomBytes(32);
  let sp = emptySuperParents();
  let parentHash: Uint8Array = new Uint8Array(32);
  let kiRoot: Uint8Array = new Uint8Array(32);
  let outputs = 0;
  let keyImages = 0;
  let mmrNodes = 0;
  let lastCert: Uint8Array = new Uint8Array(0);
  const cascade: { height: number; kept: number; levels: number }[] = [];
  const t0 = performance.now();
  const headerAt = async (h: number): Promise<BlockHeader | undefined> => {
    const b = await store.getHeader(h);
    return b === undefined ? undefined : decodeHeader(b);
  };
  for (let h = 0; h <= BLOCKS; h++) {
    const batch = store.batch();
    const txs = h === 0 ? 0 : TXS;
    // outputs: the coinbase output + 2 per tx
    const nOut = 1 + 2 * txs;
    const rnd = randomBytes(64 * nOut + 64 * txs);
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < nOut; i++) {
      const oneTimeKey = rnd.subarray(64 * i, 64 * i + 32);
      const commitment = rnd.subarray(64 * i + 32, 64 * i + 64);
      batch.putOutput(outputs + i, { oneTimeKey, commitment, height: h, unlockHeight: BigInt(h + (i === 0 ? 60 : 1)) });
      leaves.push(mmrLeafHash(BigInt(outputs + i), oneTimeKey, commitment));
    }
    const mp = await mmr.preview(leaves);
    for (const n of mp.nodes) batch.putMmrNode(Number(n.pos0), n.hash);
    const kis: Uint8Array[] = [];
    const txids: Uint8Array[] = [];
    for (let t = 0; t < txs; t++) {
      const ki = rnd.subarray(64 * nOut + 64 * t, 64 * nOut + 64 * t + 32);
      kis.push(ki);
      batch.putKeyImage(ki, h);
      const txid = rnd.subarray(64 * nOut + 64 * t + 32, 64 * nOut + 64 * t + 64);
      txids.push(txid);
      batch.putTx(txid, h, t);
    }
    if (kis.length > 0) {
      const r = await kisetInsertMany(kisetBackend, kis);
      for (const w of r.writes) batch.putKisetRecord(w.position, w.record);
      kiRoot = r.root;
    }
    batch.putBlockTxids(h, txids);
    const header: BlockHeader = {
      version: BLOCK_VERSION, chainId: CHAIN_ID, height: BigInt(h), parentHash, timeMs: 1_700_000_000_000n + BigInt(h * BLOCK_MS),
      txRoot: randomBytes(32), outputRoot: mp.root, outputCount: mp.leafCount, txPowTarget: EASY_BLOCK, blockTarget: EASY_BLOCK,
      validatorsHash: setHash, nextValidatorsHash: setHash, lastCertificateHash: randomBytes(32), evidenceRoot: new Uint8Array(32), stakingRoot: new Uint8Array(32),
      headerRoot: await hmmr.root(), superParentsRoot: superParentsRoot(sp), keyImageRoot: kiRoot, stakingStateHash: randomBytes(32), powNonce: 0n,
    };
    const mined = h === 0 ? header : mineBlock(header, { maxTries: 1 << 20 });
    if (mined === undefined) throw new Error(`block ${h}: no nonce found`);
    const hash = blockHash(mined);
    batch.putHeader(h, hash, encodeHeader(mined));
    const cert = encodeCertificate(certificateFromVotes(BigInt(h), 0, hash, seeds.map((s) => signVote(s, "precommit", CHAIN_ID, BigInt(h), 0, hash))));
    batch.putCertificate(h, cert);
    batch.putBlock(h, randomBytes(BODY_BASE + lastCert.length + txs * TX_BYTES));
    lastCert = cert;
    batch.putCumulativeOutputs(h, outputs + nOut);
    const hp = await hmmr.preview([headerLeafHash(BigInt(h), hash)]);
    for (const n of hp.nodes) batch.putHeaderMmrNode(Number(n.pos0), n.hash);
    sp = nextSuperParents(sp, mined, hash);
    batch.putSuperParents(h, encodeSuperParents(sp.entries));
    batch.putStaking(h, randomBytes(STAKING_RECORD));
    outputs += nOut;
    keyImages += txs;
    mmrNodes += mp.nodes.length;
    // the cascade takes the header leaving the window (tip − D) in the block's batch, as the node does
    const ch = await nc.stage(h, headerAt);
    if (ch !== undefined) batch.putCascade(ch.changes, ch.tip);
    await batch.write({ height: h, hash, outputs, keyImages, mmrNodes });
    mmr.setLeafCount(mp.leafCount);
    hmmr.setLeafCount(hp.leafCount);
    parentHash = hash;
    if (h % 1000 === 0 || h === BLOCKS) {
      cascade.push({ height: h, kept: nc.cascade.size, levels: nc.cascade.levelSizes().filter((x) => x > 0).length });
      if (h % 10_000 === 0) log(`  block ${h.toLocaleString("en")}: ${((performance.now() - t0) / 1000).toFixed(0)} s, cascade ${nc.cascade.size} headers`);
    }
  }
  await store.close();
  return { cascade, writeS: (performance.now() - t0) / 1000, txs: keyImages };
}

interface Measured {
  diskBytes: number;
  kinds: Record<string, number>;
  tail: number;
  stateTail: number;
  compactS: number;
}

async function measure(dir: string): Promise<Measured> {
  const store = await Store.open(join(dir, "db"), { sync: false });
  const c0 = performance.now();
  await store.db.compactRange(Uint8Array.of(0x00), Uint8Array.of(0xff));
  const compactS = (performance.now() - c0) / 1000;
  const kinds: Record<string, number> = {};
  for (const [k, p] of Object.entries(PREFIXES)) {
    const r = prefixRange(p);
    kinds[k] = await store.db.approximateSize(r.gte, r.lt);
  }
  const { tail, stateTail } = store.heads;
  await store.close();
  return { diskBytes: dirBytes(join(dir, "db")), kinds, tail, stateTail, compactS };
}

const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
const gb = (b: number): string => (b >= 1e12 ? `${(b / 1e12).toFixed(2)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(0)} MB`);

log(`chain of ${BLOCKS.toLocaleString("en")} blocks × ${TXS} txs, ${VALIDATORS} validators; load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
const work = mkdtempSync(join(tmpdir(), "baios-prune-bench-"));
const archiveDir = join(work, "archive");
const prunedDir = join(work, "pruned");
mkdirSync(archiveDir);
const w = await writeChain(archiveDir);
log(`written in ${w.writeS.toFixed(0)} s; copying and pruning`);
cpSync(archiveDir, prunedDir, { recursive: true });
const windows = pruneWindowsFor(STAKING);
const p0 = performance.now();
{
  const store = await Store.open(join(prunedDir, "db"), { sync: false });
  const target = targetTails(BLOCKS, windows);
  while ((await pruneStep(store, target, 64)) > 0);
  await store.close();
}
const pruneS = (performance.now() - p0) / 1000;
const archive = await measure(archiveDir);
const pruned = await measure(prunedDir);
rmSync(work, { recursive: true, force: true });

const txs = w.txs;
const sum = (m: Measured, ks: readonly string[]): number => ks.reduce((a, k) => a + (m.kinds[k] ?? 0), 0);
const floorB = sum(pruned, FLOOR);
const floorPerTx = floorB / txs;
const kindNames = Object.keys(PREFIXES);
// per-block records kept forever on a pruned node besides the floor: g, m, the cascade (bounded), genesis
const perBlockForever = (pruned.kinds["g cumulative outputs"]! + pruned.kinds["m header MMR"]!) / (BLOCKS + 1);
// the bounded part: what the pruned store holds besides the floor and the per-block forever records
const bounded = pruned.diskBytes - floorB - perBlockForever * (BLOCKS + 1);
// archive growth: every record, per block at this density
const archivePerBlock = archive.diskBytes / (BLOCKS + 1);
const certBytes = archive.kinds["c certificates"]! / (BLOCKS + 1);
const bodyShareTx = (TXS * TX_BYTES) / (BODY_BASE + certBytes + TXS * TX_BYTES);
// archive per tx and per block (b and x/t split by what was written: T × 1 758 B of each body are the txs)
const archiveTxB = (sum(archive, ["t tx index", ...FLOOR]) + archive.kinds["b bodies"]! * bodyShareTx + archive.kinds["x txids"]!) / txs;
const archiveBlockB = (archive.diskBytes - archiveTxB * txs) / (BLOCKS + 1);

let replay: ReplayFigures | undefined;
if (REPLAY_BLOCKS > 0) replay = await replayBench(REPLAY_BLOCKS);

console.log(`\nA synthetic chain of ${BLOCKS.toLocaleString("en")} blocks × ${TXS} txs (${txs.toLocaleString("en")} txs; real headers, PoW, MMRs, key-image tree, certificates of ${VALIDATORS}, cascade; synthetic bodies of real sizes), real LevelDB, compacted\n`);
printTable(
  ["store", "on disk", "per block", "tail (bodies, c)", "state tail (S, U, h, H)"],
  [
    ["archive", mb(archive.diskBytes), `${(archive.diskBytes / (BLOCKS + 1)).toFixed(0)} B`, String(archive.tail), String(archive.stateTail)],
    [`pruned (D = ${windows.bodyDepth}, W = ${windows.stateDepth})`, mb(pruned.diskBytes), `${(pruned.diskBytes / (BLOCKS + 1)).toFixed(0)} B`, String(pruned.tail), String(pruned.stateTail)],
  ],
);
console.log(`pruned / archive = ${(pruned.diskBytes / archive.diskBytes).toFixed(3)}; write ${w.writeS.toFixed(0)} s, prune ${pruneS.toFixed(1)} s, compaction ${archive.compactS.toFixed(0)} + ${pruned.compactS.toFixed(0)} s`);
console.log("\nBytes by record kind (approximateSize after compaction)\n");
printTable(["record", "archive", "pruned"], kindNames.map((k) => [k, mb(archive.kinds[k]!), mb(pruned.kinds[k]!)]));
console.log(`\nfloor (o O n k K on the pruned node): ${mb(floorB)} = ${floorPerTx.toFixed(0)} B per tx (coinbase outputs included); g + m ${perBlockForever.toFixed(0)} B per block; bounded rest (recent bodies, certificates, headers, S/U, cascade) ${mb(bounded)}`);
console.log("\nThe cascade's kept headers over the chain (32 levels × K = 64 at most = 2 048)\n");
printTable(["height", "headers kept", "levels in use"], w.cascade.filter((c, i) => i % 5 === 0 || c.height === BLOCKS).map((c) => [c.height.toLocaleString("en"), String(c.kept), String(c.levels)]));

const rates = [1, 10, 100];
const proj = rates.map((r) => {
  const txYear = r * YEAR_S;
  const archiveYear = txYear * archiveTxB + BLOCKS_PER_YEAR * archiveBlockB;
  // the bounded window at this rate: the measured one plus the bodies of the other tx density over D blocks
  const boundedAt = bounded + windows.bodyDepth * (r * 10 - TXS) * TX_BYTES;
  const prunedYear = (y: number): number => y * (txYear * floorPerTx + BLOCKS_PER_YEAR * perBlockForever) + boundedAt;
  return { rate: r, archive1: archiveYear, archive10: 10 * archiveYear, pruned1: prunedYear(1), pruned10: prunedYear(10), daysTo1GB: 1e9 / ((txYear * floorPerTx + BLOCKS_PER_YEAR * perBlockForever) / 365) };
});
console.log(`\nProjection (10 s blocks): archive = measured B/tx × txs + B/block × blocks; pruned = floor B/tx × txs + (g + m) B/block × blocks + the bounded window\n`);
printTable(
  ["tx/s", "archive 1 y", "archive 10 y", "pruned 1 y", "pruned 10 y", "pruned passes 1 GB after"],
  proj.map((p) => [String(p.rate), gb(p.archive1), gb(p.archive10), gb(p.pruned1), gb(p.pruned10), `${p.daysTo1GB.toFixed(0)} days`]),
);
if (replay !== undefined) {
  console.log(`\nReal nodes (child processes over libp2p on loopback), a chain of ${replay.blocks} blocks with ${replay.txs} txs\n`);
  printTable(
    ["bootstrap", "time", "ms/block", "RSS max (VmRSS)", "RSS after"],
    [
      ["full replay (--mode pruned)", `${replay.replayMs.toFixed(0)} ms`, (replay.replayMs / replay.blocks).toFixed(2), mb(replay.replayRssMax), mb(replay.replayRssAfter)],
      [`fast sync (--fast-sync --mode pruned; snapshot ${replay.snapshotHeight})`, `${replay.fastMs.toFixed(0)} ms`, "", mb(replay.fastRssMax), mb(replay.fastRssAfter)],
    ],
  );
  console.log(`fast sync ${(replay.replayMs / replay.fastMs).toFixed(1)}× faster (its RPC up after ${replay.fastRpcUpMs.toFixed(0)} ms, process start included)`);
  console.log(`load: the fast-synced pruned node imported ${replay.load.txs} txs in ${replay.load.blocks} blocks (${(replay.load.ms / 1000).toFixed(1)} s), VmRSS max ${mb(replay.load.rssMax)}`);
  console.log(`pruned node RSS max ${mb(Math.max(replay.replayRssMax, replay.fastRssMax, replay.load.rssMax))} against the 250 MB target`);
}

mkdirSync(new URL("bench/results/", root), { recursive: true });
const file = new URL("bench/results/prune.json", root);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(),
      blocks: BLOCKS, txsPerBlock: TXS, txs, validators: VALIDATORS, windows, txBytes: TX_BYTES, bodyBaseBytes: BODY_BASE, stakingRecordBytes: STAKING_RECORD,
      writeS: w.writeS, pruneS, archive, pruned, prunedOverArchive: pruned.diskBytes / archive.diskBytes,
      floorBytes: floorB, floorBytesPerTx: floorPerTx, perBlockForeverBytes: perBlockForever, boundedBytes: bounded, archivePerBlock, archiveTxBytes: archiveTxB, archiveBlockBytes: archiveBlockB,
      cascade: w.cascade, projection: proj, replay,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${file.pathname}`);
