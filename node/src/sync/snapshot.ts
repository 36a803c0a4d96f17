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
 * ‖ u32 nSets ‖ nSets × (u64 firstHeight ‖ validatorSetBytes)                   (each set change in 2 ..= H + 1)
 * ```
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
export const SNAPSHOT_VERSION = 1;
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
  | "CERTIFICATE_INVALID";

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
  /** The validator sets that took over at heights 2 ..= H + 1, by first height ascending. */
  sets: { firstHeight: bigint; validators: Validator[] }[];
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
  r.end();
  return { chainId, height, blockHash, outputs, keyImages, staking, stakingBytes, superParentsBefore: { entries }, sets };
}

/**
 * Builds the snapshot after finalized height `height` from a node's store (the state at the tip,
 * so `height` must be the tip: the store keeps only the current output set and key-image set).
 * The validator sets at each change come from the staking records `S` at the changing heights.
 * @throws Error when `height` is not the tip or a record is missing
 */
export async function buildSnapshot(chain: Chain, height: number): Promise<Snapshot> {
  const store = chain.store;
  const tip = store.tip;
  if (tip === undefined || tip.height !== height) throw new Error(`a snapshot is built at the tip (${tip?.height}), not at ${height}`);
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
  if (height < 1) throw new Error("no snapshot of genesis");
  const sp = await store.getSuperParents(height - 1);
  if (sp === undefined) throw new Error(`no super-parent pointers at ${height - 1}`);
  const sets: Snapshot["sets"] = [];
  for (let h = 1; h <= height; h++) {
    const hd = await chain.header(h);
    if (hd === undefined) throw new Error(`header ${h} missing`);
    if (equalBytes(hd.nextValidatorsHash, hd.validatorsHash)) continue;
    const s = await store.getStaking(h);
    if (s === undefined) throw new Error(`no staking record at the set change ${h}`);
    sets.push({ firstHeight: BigInt(h) + 1n, validators: [...decodeStakingState(s.subarray(8)).nextValidatorSet.validators] });
  }
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
  };
}

/** A finalized header with its certificate, as the `headers` protocol serves them. */
export interface CertifiedHeader {
  header: BlockHeader;
  hash: Uint8Array;
  certificate: import("@baios/consensus").FinalityCertificate;
}

/** What {@link verifyHeaderChain} proves: the hashes of blocks 0 ..= H and the header MMR after H. */
export interface VerifiedHeaders {
  /** Block hashes 0 ..= H. */
  hashes: Uint8Array[];
  /** Header MMR over blocks 0 ..= H (memory backend: what the store's `m` records hold). */
  headerMmr: Mmr;
}

/**
 * Checks headers 1 ..= H (docs/sync.md §3.1): each links to its parent (`height`, `parentHash`,
 * `validatorsHash = parent.nextValidatorsHash`), its `headerRoot` is the MMR of the earlier
 * hashes, and its certificate verifies against the set in force. The genesis set is trusted;
 * when a header announces a new `nextValidatorsHash`, the next set is the snapshot's set for that
 * height, accepted only if its hash equals the certified `nextValidatorsHash`.
 * @throws FastSyncError `HEADER_CHAIN_BROKEN`, `HEADER_ROOT_MISMATCH`, `CERTIFICATE_INVALID`, `SNAPSHOT_VALIDATOR_SET_MISMATCH`
 */
export async function verifyHeaderChain(genesis: BlockHeader, genesisHash: Uint8Array, genesisValidators: readonly Validator[], headers: readonly CertifiedHeader[], sets: Snapshot["sets"], verifyCert: (c: CertifiedHeader, set: ValidatorSet) => void): Promise<VerifiedHeaders> {
  const headerMmr = new Mmr(new MemoryMmrBackend());
  const hashes: Uint8Array[] = [genesisHash];
  let root = (await headerMmr.append([headerLeafHash(0n, genesisHash)])).root;
  let parent = genesis;
  let set = makeValidatorSet(genesisValidators);
  if (!equalBytes(set.hash, genesis.validatorsHash)) throw new FastSyncError("HEADER_CHAIN_BROKEN", "genesis validators do not hash to the genesis validatorsHash");
  const byHeight = new Map(sets.map((s) => [s.firstHeight, s.validators]));
  for (const [i, c] of headers.entries()) {
    const h = c.header;
    const want = BigInt(i) + 1n;
    if (h.height !== want) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${i} has height ${h.height}, expected ${want}`);
    if (!equalBytes(h.parentHash, hashes[i] as Uint8Array)) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${want}: parentHash is not the hash of ${want - 1n}`);
    if (!equalBytes(h.validatorsHash, parent.nextValidatorsHash)) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${want}: validatorsHash differs from the parent's nextValidatorsHash`);
    if (!equalBytes(h.headerRoot, root)) throw new FastSyncError("HEADER_ROOT_MISMATCH", `header ${want}: headerRoot differs from the MMR of the ${want} earlier hashes`);
    if (!equalBytes(h.validatorsHash, set.hash)) {
      const next = byHeight.get(want);
      if (next === undefined) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `no validator set for the change at height ${want}`);
      let ns: ValidatorSet;
      try {
        ns = makeValidatorSet(next);
      } catch (e) {
        throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `set at ${want}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!equalBytes(ns.hash, h.validatorsHash)) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `the set for height ${want} does not hash to the certified validatorsHash`);
      set = ns;
    }
    try {
      verifyCert(c, set);
    } catch (e) {
      throw new FastSyncError("CERTIFICATE_INVALID", `header ${want}: ${e instanceof Error ? e.message : String(e)}`);
    }
    hashes.push(c.hash);
    root = (await headerMmr.append([headerLeafHash(want, c.hash)])).root;
    parent = h;
  }
  return { hashes, headerMmr };
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
 * created by block `h` (the first `h` whose `outputCount` exceeds its index) unlocks at
 * `h + 1` (tx output) or `h + coinbaseMaturity` (coinbase or unbond payout); a genesis output at
 * exactly the genesis coinbase's value.
 * @throws FastSyncError `SNAPSHOT_UNLOCK_HEIGHT`
 */
export function checkUnlockHeights(s: Snapshot, genesis: import("@baios/consensus").Block, headers: readonly CertifiedHeader[], coinbaseMaturity: bigint): void {
  const cb = genesis.coinbase.outputs;
  let h = 0;
  let end = BigInt(cb.length);
  for (const [i, o] of s.outputs.entries()) {
    while (BigInt(i) >= end) {
      h++;
      const hd = headers[h - 1];
      if (hd === undefined) throw new FastSyncError("SNAPSHOT_UNLOCK_HEIGHT", `output ${i} beyond the outputs of block ${h - 1}`);
      end = hd.header.outputCount;
    }
    const ok = h === 0 ? o.unlockHeight === (cb[i] as { unlockHeight: bigint }).unlockHeight : o.unlockHeight === BigInt(h) + 1n || o.unlockHeight === BigInt(h) + coinbaseMaturity;
    if (!ok) throw new FastSyncError("SNAPSHOT_UNLOCK_HEIGHT", `output ${i} of block ${h}: unlock height ${o.unlockHeight}`);
  }
}
