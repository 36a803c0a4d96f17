/**
 * Writes a verified snapshot into a fresh chain store (docs/sync.md §4), crash-safe by staging:
 * everything goes into `<chainDir>.fastsync` in bounded LevelDB batches, the tip record last,
 * then the directory is renamed to `<chainDir>` (one `rename(2)`, atomic on POSIX). A crash
 * before the rename leaves no `<chainDir>`: the next start deletes the staging directory
 * ({@link discardStaging}) and syncs again; after it, the store is complete.
 *
 * Records written (node/src/store/keys.ts): `M version/genesis/tip` and the store heads
 * `bodyhead = tail = H`, `statetail = H − 1` (the node's tail is H: bodies below are absent, the
 * body of H is stored), `h`/`H`/`c` for genesis and the window b + 1 ..= H, `g` for 0 ..= H,
 * `o`/`O` for every output (creating height from the cumulative counts), `n` (output MMR), `k`
 * for every key image (spending height unknown below H: recorded as H), `K` (key-image tree),
 * `m` (header MMR: the peaks over 0 ..= b and the window's nodes), the cascade `C` and meta
 * `cascade`, `U` at H − 1 and H, `S` at H (`u64le setStartHeight ‖ state`), `b`/`x`/`t` of block H;
 * and what a pruned node keeps at each set change c ≤ H (set-chain-records.ts): `h`/`c` of the
 * set chain's steps, the header-MMR nodes `m` of their links, `L` records and meta `setchain`, so
 * the node serves `set-chain` and `get_light_update` from genesis once the rename has happened.
 * @module
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { blockHash, decodeBlock, encodeCertificate, encodeHeader, equalBytes, txId, type Block, type FinalityCertificate, type LightStep } from "@baios/consensus";
import {
  blockKey,
  cascadeKey,
  certKey,
  cumOutKey,
  encodeOutputRecord,
  encodeSuperParents,
  encodeTip,
  hashKey,
  headerKey,
  headerMmrKey,
  keyImageKey,
  kisetKeyOf,
  metaKey,
  mmrKey,
  oneTimeKeyKey,
  outputKey,
  SCHEMA_VERSION,
  stakingRecordKey,
  superParentsKey,
  txidsKey,
  txKey,
  u32be,
  u64be,
} from "../store/keys.ts";
import { Store, type Op } from "../store/store.ts";
import { FastSyncError, type VerifiedSnapshot } from "./snapshot.ts";
import type { VerifiedWindow } from "./window.ts";
import { NodeCascade } from "../cascade-store.ts";
import { setChainRecords } from "./set-chain-records.ts";

/** Operations per LevelDB batch while writing a snapshot. */
export const SNAPSHOT_WRITE_BATCH = 20_000;

/** The staging directory of a chain directory. */
export function stagingDir(chainDir: string): string {
  return `${chainDir}.fastsync`;
}

/** Deletes a leftover staging directory (a fast sync that crashed before its rename). @returns whether one was there */
export function discardStaging(chainDir: string): boolean {
  const s = stagingDir(chainDir);
  if (!existsSync(s)) return false;
  rmSync(s, { recursive: true, force: true });
  return true;
}

/** Inputs of {@link writeSnapshotStore}. */
export interface SnapshotWriteInput {
  /** The chain's LevelDB directory (`<dataDir>/chain`); must not exist. */
  chainDir: string;
  genesis: Block;
  genesisCertificate: FinalityCertificate;
  /** The verified cascade and window (./window.ts). */
  window: VerifiedWindow;
  verified: VerifiedSnapshot;
  /** The verified set chain's steps from genesis to the window start b + 1 (set-chain.ts; empty when b = 0). */
  setChainSteps: readonly LightStep[];
  /** Called after each batch (tests crash here). */
  onBatch?: (written: number) => void | Promise<void>;
  /** Operations per batch (default {@link SNAPSHOT_WRITE_BATCH}; the kill -9 test uses small batches). */
  batchOps?: number;
}

/**
 * Writes the store (module docs) and renames it into place.
 * @throws FastSyncError `SNAPSHOT_WRONG_BLOCK` when the snapshot's block H is not block H; Error when `chainDir` exists
 */
export async function writeSnapshotStore(i: SnapshotWriteInput): Promise<void> {
  if (existsSync(i.chainDir)) throw new Error(`${i.chainDir} exists: fast sync starts from an empty data directory`);
  const s = i.verified.snapshot;
  const H = Number(s.height);
  const tipBlock = s.tipBlock;
  let block;
  try {
    block = decodeBlock(tipBlock, Number.MAX_SAFE_INTEGER);
  } catch (e) {
    throw new FastSyncError("SNAPSHOT_WRONG_BLOCK", `block H does not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!equalBytes(blockHash(block.header), s.blockHash)) throw new FastSyncError("SNAPSHOT_WRONG_BLOCK", "the body of block H does not hash to H");
  discardStaging(i.chainDir);
  const dir = stagingDir(i.chainDir);
  const store = await Store.open(dir, { sync: true });
  let ops: Op[] = [];
  let written = 0;
  const flush = async (): Promise<void> => {
    if (ops.length === 0) return;
    await store.db.batch(ops, { sync: true });
    written += ops.length;
    ops = [];
    await i.onBatch?.(written);
  };
  const put = async (key: Uint8Array, value: Uint8Array): Promise<void> => {
    ops.push({ type: "put", key, value });
    if (ops.length >= (i.batchOps ?? SNAPSHOT_WRITE_BATCH)) await flush();
  };
  try {
    const genesisHash = blockHash(i.genesis.header);
    // the set chain's records (set-chain-records.ts) first: the window's records below overwrite
    // the header-MMR nodes and the header and certificate of b + 1 with the same bytes
    const top = i.window.headers.at(-1)?.header;
    const changes = [...i.window.setChanges];
    if (top !== undefined && !equalBytes(top.nextValidatorsHash, top.validatorsHash)) changes.push({ height: top.height, validators: s.staking.nextValidatorSet.validators });
    for (const r of setChainRecords(i.genesis.header, i.setChainSteps, changes, H)) await put(r.key, r.value);
    // headers, hashes and certificates of genesis and the window b + 1 ..= H (older ones live in the cascade)
    for (const c of [{ header: i.genesis.header, hash: genesisHash, certificate: i.genesisCertificate }, ...i.window.headers]) {
      const h = Number(c.header.height);
      await put(headerKey(h), encodeHeader(c.header));
      await put(hashKey(c.hash), u64be(h));
      await put(certKey(h), encodeCertificate(c.certificate));
    }
    // cumulative output counts 0 ..= H; each output's creating height from them
    const cum = i.window.cumulativeOutputs;
    let out = 0;
    for (const [h, count] of cum.entries()) {
      await put(cumOutKey(h), u64be(count));
      for (; out < Number(count); out++) {
        const o = s.outputs[out];
        if (o === undefined) throw new FastSyncError("SNAPSHOT_OUTPUT_ROOT_MISMATCH", `output ${out} missing`);
        await put(outputKey(out), encodeOutputRecord({ oneTimeKey: o.oneTimeKey, commitment: o.commitment, height: h, unlockHeight: o.unlockHeight }));
        await put(oneTimeKeyKey(o.oneTimeKey), u64be(out));
      }
    }
    // output MMR; header MMR (the peaks over 0 ..= b and the window's nodes); key images and their tree
    const mmrNodes = nodeCount(BigInt(s.outputs.length));
    for (let p = 0n; p < mmrNodes; p++) await put(mmrKey(Number(p)), (await i.verified.outputMmr.backend.get(p))!);
    for (const [p, hash] of i.window.headerMmrNodes) await put(headerMmrKey(Number(p)), hash);
    for (const k of s.keyImages) await put(keyImageKey(k), u64be(H));
    for (const w of i.verified.kisetWrites) await put(kisetKeyOf(w.position), w.record);
    // the cascade (../cascade-store.ts): one record per kept header, its tip in meta
    const nc = NodeCascade.fromCascade(i.window.cascade.params, i.window.cascade);
    for (const r of nc.records()) await put(cascadeKey(r.height), r.bytes);
    if (nc.tipHeight >= 0) await put(metaKey("cascade"), u64be(nc.tipHeight));
    // the state records at H − 1 and H
    await put(superParentsKey(H - 1), encodeSuperParents(s.superParentsBefore.entries));
    await put(superParentsKey(H), encodeSuperParents(i.verified.superParents.entries));
    const rec = new Uint8Array(8 + s.stakingBytes.length);
    new DataView(rec.buffer).setBigUint64(0, i.window.setStartHeight, true);
    rec.set(s.stakingBytes, 8);
    await put(stakingRecordKey(H), rec);
    // block H's body (the tail)
    await put(blockKey(H), tipBlock);
    const txids = block.txs.map((tx) => txId(tx));
    const v = new Uint8Array(32 * txids.length);
    txids.forEach((t, j) => v.set(t, 32 * j));
    await put(txidsKey(H), v);
    for (const [j, t] of txids.entries()) {
      const loc = new Uint8Array(12);
      loc.set(u64be(H), 0);
      loc.set(u32be(j), 8);
      await put(txKey(t), loc);
    }
    await flush();
    // last: meta records and the tip, in one batch
    ops.push(
      { type: "put", key: metaKey("version"), value: u32be(SCHEMA_VERSION) },
      { type: "put", key: metaKey("genesis"), value: genesisHash },
      { type: "put", key: metaKey("bodyhead"), value: u64be(H) },
      { type: "put", key: metaKey("tail"), value: u64be(H) },
      { type: "put", key: metaKey("statetail"), value: u64be(H - 1) },
      { type: "put", key: metaKey("tip"), value: encodeTip({ height: H, hash: s.blockHash, outputs: s.outputs.length, keyImages: s.keyImages.length, mmrNodes: Number(mmrNodes) }) },
    );
    await flush();
  } finally {
    await store.close();
  }
  renameSync(dir, i.chainDir);
}

/** Nodes of an MMR of `leaves` leaves: `2·leaves − popcount(leaves)`. */
function nodeCount(leaves: bigint): bigint {
  let ones = 0n;
  for (let x = leaves; x > 0n; x >>= 1n) ones += x & 1n;
  return 2n * leaves - ones;
}
