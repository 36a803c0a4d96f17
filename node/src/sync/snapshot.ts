/**
 * State snapshots for verified fast sync (docs/sync.md §2–§3): the canonical bytes of the state
 * after a finalized height H, how a node builds them from its store, and how a fresh node checks
 * them against the certified header H — with no block replay.
 *
 * Bytes (docs/sync.md §2; integers little-endian):
 * ```
 * u8 version (1) ‖ u32 chainId ‖ u64 H ‖ blockHash_H[32]
 * ‖ u64 nOut ‖ nOut × (oneTimeKey[32] ‖ commitment[32] ‖ u64 unlockHeight)      (72 B each, global-index order)
 * ‖ u64 nKi  ‖ nKi × keyImage[32]                                               (strictly ascending)
 * ‖ u32 len  ‖ encodeStakingState(state after H)                                (docs/consensus.md §5.5)
 * ‖ 32 × (u64 height ‖ hash[32])                                                (super-parent pointers after H − 1, level 0 first)
 * ‖ u32 nSets ‖ nSets × (u64 firstHeight ‖ validatorSetBytes)                   (the set in force at b + 1 when b ≥ 1, then each change in b + 2 ..= H + 1)
 * ‖ u32 len  ‖ encodeCascade(cascade)                                           (docs/cascade.md §5; tip c = H − D, or empty)
 * ‖ u8 nPeaks ‖ nPeaks × hash[32]                                               (header-MMR peaks over blocks 0 ..= b)
 * ‖ u64 nCum ‖ nCum × u64 cumulativeOutputs                                     (after each height 0 ..= b)
 * ‖ u32 nWin ‖ nWin × (u32 len ‖ header ‖ u32 len ‖ certificate)                (the recent window, heights b + 1 ..= H)
 * ‖ u32 len  ‖ block H                                                          (its wire bytes)
 * ```
 * b = the cascade's tip c, or 0 (genesis) while the cascade is empty (docs/sync.md §2).
 * Version 2 replaces version 1 (which carried no cascade; the client then downloaded headers 1 ..= H).
 * @module
 */
import {
  ByteWriter,
  Mmr,
  MemoryMmrBackend,
  compareBytes,
  decodeStakingState,
  emptyMmrRoot,
  encodeStakingState,
  equalBytes,
  headerLeafHash,
  kisetBuild,
  makeValidatorSet,
  mmrLeafHash,
  stakingStateHash,
  superParentsRoot,
  nextSuperParents,
  toHex,
  decodeHeader,
  peaks,
  validatorSetBytes,
  type BlockHeader,
  type StakingState,
  type SuperParents,
  type Validator,
  type ValidatorSet,
} from "@baios/consensus";
import type { Chain } from "../chain.ts";
import { decodeSuperParents } from "../store/keys.ts";

/** Snapshot format version. */
export const SNAPSHOT_VERSION = 2;
/** Bytes of one output entry: `oneTimeKey[32] ‖ commitment[32] ‖ u64 unlockHeight`. */
export const SNAPSHOT_OUTPUT_BYTES = 72;
/** Levels of super-parent pointers carried (docs/cascade.md §2). */
export const SNAPSHOT_POINTER_LEVELS = 32;

/** Why a snapshot or the header chain behind it was refused; the peer that served it is penalised. */
export type FastSyncErrorCode =
  | "SNAPSHOT_MALFORMED"
  | "SNAPSHOT_WRONG_BLOCK"
  | "SNAPSHOT_OUTPUT_ROOT_MISMATCH"
  | "SNAPSHOT_KEY_IMAGE_ROOT_MISMATCH"
  | "SNAPSHOT_STAKING_STATE_MISMATCH"
  | "SNAPSHOT_SUPER_PARENTS_MISMATCH"
  | "SNAPSHOT_VALIDATOR_SET_MISMATCH"
  | "SNAPSHOT_UNLOCK_HEIGHT"
  | "HEADER_CHAIN_BROKEN"
  | "HEADER_ROOT_MISMATCH"
  | "CERTIFICATE_INVALID"
  | "CASCADE_INVALID"
  | "CASCADE_WINDOW_MISMATCH"
  | "SNAPSHOT_OUTPUT_COUNTS"
  /** The certified validator-set changes from genesis (set-chain.ts, docs/sync.md §3.4) do not verify. */
  | "SET_CHAIN_INVALID"
  /** No peer served the set-change chain from genesis to the window start. */
  | "SET_CHAIN_UNAVAILABLE"
  /** The window's first header is not the one the certified set changes from genesis lead to (its set is not the certified one). */
  | "SET_CHAIN_MISMATCH";

/** A refused snapshot or header chain (docs/sync.md §3). */
export class FastSyncError extends Error {
  override readonly name = "FastSyncError";
  readonly code: FastSyncErrorCode;
  readonly reason: string;
  constructor(code: FastSyncErrorCode, reason: string) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
  }
}

/** One output as a snapshot carries it (the store's output record without the creating height, which headers give). */
export interface SnapshotOutput {
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** First height at which the output may be a ring member (u64). */
  unlockHeight: bigint;
}

/** A decoded snapshot (docs/sync.md §2). */
export interface Snapshot {
  chainId: number;
  /** The finalized height the state is after. */
  height: bigint;
  /** Hash of block H (32 bytes). */
  blockHash: Uint8Array;
  /** Every output, global index = position. */
  outputs: SnapshotOutput[];
  /** Every spent key image (32 bytes each), strictly ascending. */
  keyImages: Uint8Array[];
  /** The staking state after H. */
  staking: StakingState;
  /** Its canonical bytes (what `stakingStateHash` hashes). */
  stakingBytes: Uint8Array;
  /** Super-parent pointers after H − 1 (header H commits to them in `superParentsRoot`). */
  superParentsBefore: SuperParents;
  /**
   * The validator sets by first height ascending: when b ≥ 1, first the set in force at b + 1
   * (firstHeight = when it took over, ≤ b + 1), then each set that took over at b + 2 ..= H + 1
   * (b = 0: only changes at 2 ..= H + 1; the genesis set is known).
   */
  sets: { firstHeight: bigint; validators: Validator[] }[];
  /** `encodeCascade` of the server's cascade when it built the snapshot (tip c = H − D, or empty). */
  cascade: Uint8Array;
  /** Header-MMR peaks over blocks 0 ..= b (b + 1 leaves), left to right. */
  headerPeaks: Uint8Array[];
  /** Cumulative output count after each height 0 ..= b. */
  cumulativeOutputs: bigint[];
  /** Headers and certificates of heights b + 1 ..= H (wire bytes). */
  window: { header: Uint8Array; certificate: Uint8Array }[];
  /** Wire bytes of block H. */
  tipBlock: Uint8Array;
}

/** Encodes a snapshot (module docs). @throws RangeError on a field that does not fit */
export function encodeSnapshot(s: Snapshot): Uint8Array {
  const w = new ByteWriter(64 + s.outputs.length * SNAPSHOT_OUTPUT_BYTES + s.keyImages.length * 32 + s.stakingBytes.length + 40 * SNAPSHOT_POINTER_LEVELS);
  w.u8(SNAPSHOT_VERSION).u32(s.chainId).u64(s.height).bytes(s.blockHash, 32);
  w.u64(BigInt(s.outputs.length));
  for (const o of s.outputs) w.bytes(o.oneTimeKey, 32).bytes(o.commitment, 32).u64(o.unlockHeight);
  w.u64(BigInt(s.keyImages.length));
  for (const k of s.keyImages) w.bytes(k, 32);
  w.varBytes(s.stakingBytes);
  if (s.superParentsBefore.entries.length !== SNAPSHOT_POINTER_LEVELS) throw new RangeError(`${s.superParentsBefore.entries.length} pointer levels, expected ${SNAPSHOT_POINTER_LEVELS}`);
  for (const e of s.superParentsBefore.entries) w.u64(e.height).bytes(e.hash, 32);
  w.u32(s.sets.length);
  for (const set of s.sets) w.u64(set.firstHeight).bytes(validatorSetBytes(set.validators));
  w.varBytes(s.cascade);
  w.u8(s.headerPeaks.length);
  for (const pk of s.headerPeaks) w.bytes(pk, 32);
  w.u64(BigInt(s.cumulativeOutputs.length));
  for (const c of s.cumulativeOutputs) w.u64(c);
  w.u32(s.window.length);
  for (const x of s.window) w.varBytes(x.header).varBytes(x.certificate);
  w.varBytes(s.tipBlock);
  return w.finish();
}

/** A bounds-checked little-endian reader that fails with `SNAPSHOT_MALFORMED`. */
class Reader {
  #o = 0;
  readonly b: Uint8Array;
  constructor(b: Uint8Array) {
    this.b = b;
  }
  #need(n: number, what: string): number {
    if (n < 0 || this.#o + n > this.b.length) throw new FastSyncError("SNAPSHOT_MALFORMED", `${what}: needs ${n} bytes, ${this.b.length - this.#o} left at offset ${this.#o}`);
    const at = this.#o;
    this.#o += n;
    return at;
  }
  bytes(n: number, what: string): Uint8Array {
    const at = this.#need(n, what);
    return this.b.slice(at, at + n);
  }
  u8(what: string): number {
    return this.b[this.#need(1, what)] as number;
  }
  u32(what: string): number {
    const at = this.#need(4, what);
    return new DataView(this.b.buffer, this.b.byteOffset + at, 4).getUint32(0, true);
  }
  u64(what: string): bigint {
    const at = this.#need(8, what);
    return new DataView(this.b.buffer, this.b.byteOffset + at, 8).getBigUint64(0, true);
  }
  /** A count of items of `size` bytes each, bounded by the bytes left. */
  count(n: bigint, size: number, what: string): number {
    if (n * BigInt(size) > BigInt(this.b.length - this.#o)) throw new FastSyncError("SNAPSHOT_MALFORMED", `${what}: count ${n} exceeds the remaining bytes`);
    return Number(n);
  }
  /** `u32 len ‖ len bytes`. */
  varBytes(what: string): Uint8Array {
    return this.bytes(this.count(BigInt(this.u32(`${what}.length`)), 1, what), what);
  }
  end(): void {
    if (this.#o !== this.b.length) throw new FastSyncError("SNAPSHOT_MALFORMED", `${this.b.length - this.#o} trailing bytes`);
  }
}

/**
 * Strict decoder of {@link encodeSnapshot}: exact version, counts bounded by the bytes left, key
 * images strictly ascending, a staking state that `decodeStakingState` accepts, set changes at
 * strictly increasing heights, no trailing bytes.
 * @throws FastSyncError `SNAPSHOT_MALFORMED`
 */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const r = new Reader(bytes);
  const version = r.u8("version");
  if (version !== SNAPSHOT_VERSION) throw new FastSyncError("SNAPSHOT_MALFORMED", `version ${version}, expected ${SNAPSHOT_VERSION}`);
  const chainId = r.u32("chainId");
  const height = r.u64("height");
  const blockHash = r.bytes(32, "blockHash");
  const nOut = r.count(r.u64("nOut"), SNAPSHOT_OUTPUT_BYTES, "outputs");
  const outputs: SnapshotOutput[] = new Array(nOut);
  for (let i = 0; i < nOut; i++) outputs[i] = { oneTimeKey: r.bytes(32, "oneTimeKey"), commitment: r.bytes(32, "commitment"), unlockHeight: r.u64("unlockHeight") };
  const nKi = r.count(r.u64("nKi"), 32, "keyImages");
  const keyImages: Uint8Array[] = new Array(nKi);
  for (let i = 0; i < nKi; i++) {
    const k = r.bytes(32, "keyImage");
    if (i > 0 && compareBytes(keyImages[i - 1] as Uint8Array, k) >= 0) throw new FastSyncError("SNAPSHOT_MALFORMED", `keyImages[${i}] not strictly after keyImages[${i - 1}]`);
    keyImages[i] = k;
  }
  const stakingBytes = r.bytes(r.count(BigInt(r.u32("stakingLength")), 1, "staking"), "staking");
  let staking: StakingState;
  try {
    staking = decodeStakingState(stakingBytes);
  } catch (e) {
    throw new FastSyncError("SNAPSHOT_MALFORMED", `staking state: ${e instanceof Error ? e.message : String(e)}`);
  }
  const entries = [];
  for (let i = 0; i < SNAPSHOT_POINTER_LEVELS; i++) entries.push({ height: r.u64("pointer.height"), hash: r.bytes(32, "pointer.hash") });
  const nSets = r.count(BigInt(r.u32("nSets")), 12, "sets");
  const sets: Snapshot["sets"] = [];
  for (let i = 0; i < nSets; i++) {
    const firstHeight = r.u64("set.firstHeight");
    if (i > 0 && firstHeight <= (sets[i - 1] as { firstHeight: bigint }).firstHeight) throw new FastSyncError("SNAPSHOT_MALFORMED", `sets[${i}] not after sets[${i - 1}]`);
    const n = r.count(BigInt(r.u32("set.n")), 40, "set.validators");
    const validators: Validator[] = [];
    for (let j = 0; j < n; j++) validators.push({ publicKey: r.bytes(32, "set.publicKey"), stake: r.u64("set.stake") });
    sets.push({ firstHeight, validators });
  }
  const cascade = r.varBytes("cascade");
  const nPeaks = r.u8("nPeaks");
  const headerPeaks: Uint8Array[] = [];
  for (let i = 0; i < nPeaks; i++) headerPeaks.push(r.bytes(32, "headerPeak"));
  const nCum = r.count(r.u64("nCum"), 8, "cumulativeOutputs");
  const cumulativeOutputs: bigint[] = [];
  for (let i = 0; i < nCum; i++) cumulativeOutputs.push(r.u64("cumulativeOutput"));
  const nWin = r.count(BigInt(r.u32("nWin")), 8, "window");
  const window: Snapshot["window"] = [];
  for (let i = 0; i < nWin; i++) window.push({ header: r.varBytes("window.header"), certificate: r.varBytes("window.certificate") });
  const tipBlock = r.varBytes("tipBlock");
  r.end();
  return { chainId, height, blockHash, outputs, keyImages, staking, stakingBytes, superParentsBefore: { entries }, sets, cascade, headerPeaks, cumulativeOutputs, window, tipBlock };
}

/**
 * Builds the snapshot after finalized height `height` from a node's store (the state at the tip,
 * so `height` must be the tip: the store keeps only the current output set and key-image set),
 * with the cascade as it is at that tip (captured before the first await), the header-MMR peaks
 * and cumulative output counts up to its tip b, and the window b + 1 ..= H with certificates.
 * The validator sets come from the staking records `S` at b and at the window's changing heights.
 * @throws Error when `height` is not the tip, the chain keeps no cascade, or a record is missing
 *   (a pruning step or commit raced the reads: the caller retries)
 */
export async function buildSnapshot(chain: Chain, height: number): Promise<Snapshot> {
  const store = chain.store;
  const tip = store.tip;
  if (tip === undefined || tip.height !== height) throw new Error(`a snapshot is built at the tip (${tip?.height}), not at ${height}`);
  if (height < 1) throw new Error("no snapshot of genesis");
  const nc = chain.cascade;
  if (nc === undefined) throw new Error("this chain keeps no cascade");
  const cascade = nc.bytes(); // synchronous: the cascade at this very tip (c = H − D)
  const b = Math.max(0, nc.tipHeight);
  const outputs: SnapshotOutput[] = [];
  for (let i = 0; i < tip.outputs; i += 4096) {
    const idx = Array.from({ length: Math.min(4096, tip.outputs - i) }, (_, j) => i + j);
    for (const [j, o] of (await store.getOutputs(idx)).entries()) {
      if (o === undefined) throw new Error(`output ${i + j} missing`);
      outputs.push({ oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight: o.unlockHeight });
    }
  }
  const keyImages: Uint8Array[] = [];
  for await (const k of store.db.keys({ gt: Uint8Array.of(0x6b), lt: Uint8Array.of(0x6c) })) keyImages.push(k.slice(1));
  keyImages.sort(compareBytes);
  const rec = await store.getStaking(height);
  if (rec === undefined) throw new Error(`no staking record at ${height}`);
  const stakingBytes = rec.slice(8);
  const sp = await store.getSuperParents(height - 1);
  if (sp === undefined) throw new Error(`no super-parent pointers at ${height - 1}`);
  const sets: Snapshot["sets"] = [];
  if (b >= 1) {
    const sb = await store.getStaking(b);
    if (sb === undefined) throw new Error(`no staking record at the window start ${b}`);
    sets.push({ firstHeight: new DataView(sb.buffer, sb.byteOffset, 8).getBigUint64(0, true), validators: [...decodeStakingState(sb.subarray(8)).nextValidatorSet.validators] });
  }
  const window: Snapshot["window"] = [];
  for (let h = b + 1; h <= height; h++) {
    const [hb, cb] = [await store.getHeader(h), await store.getCertificate(h)];
    if (hb === undefined || cb === undefined) throw new Error(`header or certificate ${h} missing`);
    window.push({ header: hb, certificate: cb });
    const hd = decodeHeader(hb);
    if (equalBytes(hd.nextValidatorsHash, hd.validatorsHash)) continue;
    const s = await store.getStaking(h);
    if (s === undefined) throw new Error(`no staking record at the set change ${h}`);
    sets.push({ firstHeight: BigInt(h) + 1n, validators: [...decodeStakingState(s.subarray(8)).nextValidatorSet.validators] });
  }
  const headerPeaks: Uint8Array[] = [];
  for (const pk of peaks(BigInt(b) + 1n)) {
    const n = await chain.headerMmr.backend.get(pk.pos0);
    if (n === undefined) throw new Error(`header-MMR peak ${pk.pos0} missing`);
    headerPeaks.push(n);
  }
  const cumulativeOutputs = (await store.getCumulativeOutputsRange(0, b)).map(BigInt);
  if (cumulativeOutputs.length !== b + 1) throw new Error(`cumulative output counts 0..${b} incomplete`);
  const tipBlock = await store.getBlock(height);
  if (tipBlock === undefined) throw new Error(`block ${height} missing`);
  return {
    chainId: (await chain.header(0))!.chainId,
    height: BigInt(height),
    blockHash: tip.hash,
    outputs,
    keyImages,
    staking: decodeStakingState(stakingBytes),
    stakingBytes,
    superParentsBefore: { entries: decodeSuperParents(sp) },
    sets,
    cascade,
    headerPeaks,
    cumulativeOutputs,
    window,
    tipBlock,
  };
}

/** A finalized header with its certificate, as the `headers` protocol serves them. */
export interface CertifiedHeader {
  header: BlockHeader;
  hash: Uint8Array;
  certificate: import("@baios/consensus").FinalityCertificate;
}

/** What {@link verifySnapshot} rebuilt, ready to be written. */
export interface VerifiedSnapshot {
  snapshot: Snapshot;
  /** Output MMR over the snapshot's outputs (memory backend). */
  outputMmr: Mmr;
  /** Key-image set tree records (docs/protocol.md §15.2). */
  kisetWrites: { position: Uint8Array; record: Uint8Array }[];
  /** Super-parent pointers after H. */
  superParents: SuperParents;
}

/**
 * Checks a snapshot against the certified header H (docs/sync.md §3.2): chain id, height and
 * block hash; output MMR root and count = `outputRoot`/`outputCount`; the key-image set root =
 * `keyImageRoot`; `stakingStateHash(staking) = stakingStateHash`; the staking state's next set
 * hashes to `nextValidatorsHash`; `superParentsRoot(pointers after H − 1) = superParentsRoot`,
 * and the pointers after H are `nextSuperParents(those, H)`.
 * @throws FastSyncError with the first mismatch's code
 */
export async function verifySnapshot(s: Snapshot, header: BlockHeader, hash: Uint8Array): Promise<VerifiedSnapshot> {
  if (s.height !== header.height || !equalBytes(s.blockHash, hash) || s.chainId !== header.chainId) throw new FastSyncError("SNAPSHOT_WRONG_BLOCK", `snapshot of height ${s.height} ${toHex(s.blockHash).slice(0, 16)}, header ${header.height} ${toHex(hash).slice(0, 16)}`);
  if (BigInt(s.outputs.length) !== header.outputCount) throw new FastSyncError("SNAPSHOT_OUTPUT_ROOT_MISMATCH", `${s.outputs.length} outputs, header outputCount ${header.outputCount}`);
  const outputMmr = new Mmr(new MemoryMmrBackend());
  const leaves = s.outputs.map((o, i) => mmrLeafHash(BigInt(i), o.oneTimeKey, o.commitment));
  const appended = leaves.length === 0 ? { root: emptyMmrRoot() } : await outputMmr.append(leaves);
  if (!equalBytes(appended.root, header.outputRoot)) throw new FastSyncError("SNAPSHOT_OUTPUT_ROOT_MISMATCH", "the outputs' MMR root differs from outputRoot");
  const ki = kisetBuild(s.keyImages);
  if (!equalBytes(ki.root, header.keyImageRoot)) throw new FastSyncError("SNAPSHOT_KEY_IMAGE_ROOT_MISMATCH", "the key images' set root differs from keyImageRoot");
  if (!equalBytes(encodeStakingState(s.staking), s.stakingBytes) || !equalBytes(stakingStateHash(s.staking), header.stakingStateHash)) throw new FastSyncError("SNAPSHOT_STAKING_STATE_MISMATCH", "the staking state's hash differs from stakingStateHash");
  if (s.staking.height !== header.height) throw new FastSyncError("SNAPSHOT_STAKING_STATE_MISMATCH", `staking state of height ${s.staking.height}`);
  if (!equalBytes(s.staking.nextValidatorSet.hash, header.nextValidatorsHash)) throw new FastSyncError("SNAPSHOT_STAKING_STATE_MISMATCH", "the staking state's next set differs from nextValidatorsHash");
  if (!equalBytes(superParentsRoot(s.superParentsBefore), header.superParentsRoot)) throw new FastSyncError("SNAPSHOT_SUPER_PARENTS_MISMATCH", "the pointers after H − 1 differ from superParentsRoot");
  return { snapshot: s, outputMmr, kisetWrites: ki.writes, superParents: nextSuperParents(s.superParentsBefore, header, hash) };
}


/**
 * Bounds the outputs' unlock heights, which no header root covers (docs/sync.md §1): an output
 * created by block `h` (the first `h` whose cumulative output count exceeds its index) unlocks at
 * `h + 1` (tx output) or `h + coinbaseMaturity` (coinbase or unbond payout); a genesis output at
 * exactly the genesis coinbase's value.
 * @param cumulativeOutputs cumulative output count after each height 0 ..= H (verifyCascadeWindow)
 * @throws FastSyncError `SNAPSHOT_UNLOCK_HEIGHT`
 */
export function checkUnlockHeights(s: Snapshot, genesis: import("@baios/consensus").Block, cumulativeOutputs: readonly bigint[], coinbaseMaturity: bigint): void {
  const cb = genesis.coinbase.outputs;
  let h = 0;
  let end = BigInt(cb.length);
  for (const [i, o] of s.outputs.entries()) {
    while (BigInt(i) >= end) {
      h++;
      const next = cumulativeOutputs[h];
      if (next === undefined) throw new FastSyncError("SNAPSHOT_UNLOCK_HEIGHT", `output ${i} beyond the outputs of block ${h - 1}`);
      end = next;
    }
    const ok = h === 0 ? o.unlockHeight === (cb[i] as { unlockHeight: bigint }).unlockHeight : o.unlockHeight === BigInt(h) + 1n || o.unlockHeight === BigInt(h) + coinbaseMaturity;
    if (!ok) throw new FastSyncError("SNAPSHOT_UNLOCK_HEIGHT", `output ${i} of block ${h}: unlock height ${o.unlockHeight}`);
  }
}
