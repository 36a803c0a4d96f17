/**
 * Block proof of work and difficulty (docs/protocol.md §5.2, docs/consensus.md §4.1, §4.3).
 *
 * The block hash IS the PoW hash: `blockHash = h32("BAIOS/v1/block", headerBytes)` (488 bytes,
 * the `u64le powNonce` last), read as a 256-bit big-endian integer, must be `≤ header.blockTarget`.
 * The target retargets every block toward the genesis `blockTimeMs` ({@link nextBlockTarget});
 * the superblock level of a hash is {@link powLevel} (Minima's Tx-PoW levels, issue 9).
 * Integer arithmetic only (bigint), no floating point.
 * @module
 */
import { sha512 } from "@noble/hashes/sha2.js";
import { MAX_POW_LEVEL, TAGS, U64_MAX } from "./constants.ts";
import { ConsensusError } from "./errors.ts";
import type { ChainParams } from "./params.ts";
import type { BlockHeader } from "./types.ts";
import { toHex } from "./encoding/bytes.ts";
import { HEADER_NONCE_OFFSET, headerBytes } from "./encoding/canonical.ts";
import { blockHash } from "./hashes.ts";

/** A 32-byte big-endian string as an unsigned integer (0..2^256−1). @throws RangeError unless 32 bytes */
export function targetToBigInt(b: Uint8Array): bigint {
  if (b.length !== 32) throw new RangeError(`expected 32 bytes, got ${b.length}`);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** An integer in 0..2^256−1 as 32 big-endian bytes. @throws RangeError outside that range */
export function bigIntToTarget(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw new RangeError("target out of the 256-bit range");
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Whether `hash ≤ target`, both 32 bytes read as big-endian integers (a bytewise comparison). */
export function meetsTarget(hash: Uint8Array, target: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const a = hash[i] as number;
    const b = target[i] as number;
    if (a !== b) return a < b;
  }
  return true;
}

/**
 * Checks a header's PoW: `blockHash(header) ≤ header.blockTarget` (big-endian).
 * @param hash the header's block hash if already computed (32 bytes)
 * @throws ConsensusError `BLOCK_BAD_POW`
 */
export function checkBlockPow(header: BlockHeader, hash: Uint8Array = blockHash(header)): void {
  if (!meetsTarget(hash, header.blockTarget)) throw new ConsensusError("BLOCK_BAD_POW", `block hash ${toHex(hash).slice(0, 16)}… is above blockTarget ${toHex(header.blockTarget).slice(0, 16)}…`);
}

/**
 * Superblock level of a PoW hash (docs/consensus.md §4.1): `⌊log₂(target / hash)⌋`, i.e. the
 * largest `L` with `hash · 2^L ≤ target`, capped at 63 (also for a zero hash).
 * @returns 0..=63, or −1 when `hash > target` (the hash does not meet the target at all)
 */
export function powLevel(hash: Uint8Array, target: Uint8Array): number {
  const h = targetToBigInt(hash);
  const t = targetToBigInt(target);
  if (h > t) return -1;
  if (h === 0n) return MAX_POW_LEVEL;
  const q = t / h; // ≥ 1
  const level = q.toString(2).length - 1;
  return level > MAX_POW_LEVEL ? MAX_POW_LEVEL : level;
}

/**
 * The block target a child of `parent` must carry (docs/protocol.md §5.2, docs/consensus.md §4.3).
 * With `T = blockTimeMs`, `t = parent.blockTarget` and
 * `Δ = clamp(parent.timeMs − grandparentTimeMs, 0, 4·T)`:
 * `t' = ⌊t · (7·T + Δ) / (8·T)⌋` (= `t + t·(Δ − T)/(8·T)` rounded down), then clamped to
 * `[⌊t/2⌋, 2·t]` and to `[1, blockTargetMax]`. A block exactly `T` after its parent keeps the
 * target; a faster one makes it harder (down to 7/8), a slower one easier (up to 11/8).
 * The child of genesis (no grandparent) keeps genesis's target.
 * @param grandparentTimeMs `timeMs` of the parent's parent (ms), `undefined` iff the parent is genesis
 * @returns the 32-byte big-endian target
 * @throws Error when the parent is not genesis and no grandparent time is given (a caller bug)
 */
export function nextBlockTarget(parent: BlockHeader, grandparentTimeMs: bigint | undefined, params: ChainParams): Uint8Array {
  const t = targetToBigInt(parent.blockTarget);
  const max = targetToBigInt(params.blockTargetMax);
  let next: bigint;
  if (grandparentTimeMs === undefined) {
    if (parent.height !== 0n) throw new Error(`nextBlockTarget: the grandparent time of a child of height ${parent.height + 1n} is needed`);
    next = t;
  } else {
    const T = BigInt(params.blockTimeMs);
    let d = parent.timeMs - grandparentTimeMs;
    if (d < 0n) d = 0n;
    if (d > 4n * T) d = 4n * T;
    next = (t * (7n * T + d)) / (8n * T);
    const lo = t / 2n;
    const hi = 2n * t;
    if (next < lo) next = lo;
    if (next > hi) next = hi;
  }
  if (next > max) next = max;
  if (next < 1n) next = 1n;
  return bigIntToTarget(next);
}

/** Options of {@link mineBlock}. */
export interface MineOptions {
  /** Most nonces to try in this call (≥ 0); keep it small (e.g. 2^14) to yield between calls. */
  maxTries: number;
  /** First nonce to try (u64; default the header's `powNonce`). Continue with `startNonce + maxTries`. */
  startNonce?: bigint;
}

/**
 * Grinds `powNonce` until the block hash meets `header.blockTarget` (docs/protocol.md §5.2).
 * Synchronous and bounded by `maxTries`, so a caller can yield to its event loop between calls.
 * Hashes with a SHA-512 midstate of the first 480 header bytes (the same `h32` as
 * {@link blockHash}); the header is not modified.
 * @returns a copy of the header with the winning nonce, or `undefined` when none of the tried
 *   nonces (`startNonce .. startNonce + maxTries − 1`, stopping at 2^64 − 1) meets the target
 * @throws RangeError when a header field does not fit its width
 */
export function mineBlock(header: BlockHeader, opts: MineOptions): BlockHeader | undefined {
  const bytes = headerBytes(header);
  const tag = new TextEncoder().encode(TAGS.block);
  const mid = sha512.create().update(Uint8Array.of(tag.length)).update(tag).update(bytes.subarray(0, HEADER_NONCE_OFFSET));
  const target = header.blockTarget;
  const nonceBytes = new Uint8Array(8);
  const view = new DataView(nonceBytes.buffer);
  const digest = new Uint8Array(64);
  let nonce = opts.startNonce ?? header.powNonce;
  for (let i = 0; i < opts.maxTries && nonce <= U64_MAX; i++, nonce++) {
    view.setBigUint64(0, nonce, true);
    const h = mid.clone();
    h.update(nonceBytes).digestInto(digest);
    if (meetsTarget(digest, target)) return { ...header, powNonce: nonce };
  }
  return undefined;
}

/**
 * {@link mineBlock} in chunks of `chunk` nonces from the header's `powNonce`, yielding to the
 * event loop (`setImmediate`) between chunks, until a nonce meets the target or `shouldStop()`
 * returns true.
 * @returns the mined header, or `undefined` when stopped (or the nonce space ran out)
 */
export async function mineBlockYielding(header: BlockHeader, opts: { chunk?: number; shouldStop?: () => boolean } = {}): Promise<BlockHeader | undefined> {
  const chunk = opts.chunk ?? 4096;
  let start = header.powNonce;
  while (start <= U64_MAX) {
    if (opts.shouldStop?.() === true) return undefined;
    const mined = mineBlock(header, { maxTries: chunk, startNonce: start });
    if (mined !== undefined) return mined;
    start += BigInt(chunk);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return undefined;
}
