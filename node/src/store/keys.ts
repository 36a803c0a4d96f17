/**
 * The key layout of the chain database (one LevelDB, binary keys, one-byte prefixes).
 * Heights and indices are u64 big-endian so that keys sort numerically. See docs/node.md §Data directory.
 *
 * | prefix | key                       | value                                                   |
 * |--------|---------------------------|---------------------------------------------------------|
 * | `M`    | `M` ‖ name (ASCII)        | meta records: `tip`, `version`, `genesis`               |
 * | `h`    | `h` ‖ u64be(height)       | header (canonical consensus encoding)                   |
 * | `H`    | `H` ‖ hash(32)            | u64be(height): header/block hash → height               |
 * | `b`    | `b` ‖ u64be(height)       | block (canonical consensus encoding)                    |
 * | `c`    | `c` ‖ u64be(height)       | finality certificate (canonical encoding)               |
 * | `g`    | `g` ‖ u64be(height)       | u64be cumulative output count after the block           |
 * | `o`    | `o` ‖ u64be(globalIndex)  | output record (see `encodeOutputRecord`)                |
 * | `k`    | `k` ‖ keyImage(32)        | u64be(height) of the spending block                     |
 * | `n`    | `n` ‖ u64be(position)     | MMR node hash (32)                                      |
 * | `t`    | `t` ‖ txid(32)            | u64be(height) ‖ u32be(position in block)               |
 * | `x`    | `x` ‖ u64be(height)       | the block's txids, concatenated (32 each, block order)  |
 * @module
 */

export const P_META = 0x4d; // M
export const P_HEADER = 0x68; // h
export const P_HASH = 0x48; // H
export const P_BLOCK = 0x62; // b
export const P_CERT = 0x63; // c
export const P_CUMOUT = 0x67; // g
export const P_OUTPUT = 0x6f; // o
export const P_KEYIMAGE = 0x6b; // k
export const P_MMR = 0x6e; // n
export const P_TX = 0x74; // t
export const P_TXIDS = 0x78; // x

/** The on-disk schema version (bump on any layout change). */
export const SCHEMA_VERSION = 1;

export function u64be(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}
export function readU64be(b: Uint8Array, off = 0): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("u64 above 2^53");
  return Number(v);
}
export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}
export function readU32be(b: Uint8Array, off = 0): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off);
}

function prefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 1);
  const out = new Uint8Array(len);
  out[0] = prefix;
  let off = 1;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const metaKey = (name: string): Uint8Array => prefixed(P_META, new TextEncoder().encode(name));
export const headerKey = (height: number): Uint8Array => prefixed(P_HEADER, u64be(height));
export const hashKey = (hash: Uint8Array): Uint8Array => prefixed(P_HASH, hash);
export const blockKey = (height: number): Uint8Array => prefixed(P_BLOCK, u64be(height));
export const certKey = (height: number): Uint8Array => prefixed(P_CERT, u64be(height));
export const cumOutKey = (height: number): Uint8Array => prefixed(P_CUMOUT, u64be(height));
export const outputKey = (index: number): Uint8Array => prefixed(P_OUTPUT, u64be(index));
export const keyImageKey = (ki: Uint8Array): Uint8Array => prefixed(P_KEYIMAGE, ki);
export const mmrKey = (pos: number): Uint8Array => prefixed(P_MMR, u64be(pos));
export const txKey = (txid: Uint8Array): Uint8Array => prefixed(P_TX, txid);
export const txidsKey = (height: number): Uint8Array => prefixed(P_TXIDS, u64be(height));

/** `[prefix, prefix+1)`: the key range of one prefix, for iteration. */
export function prefixRange(prefix: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) };
}

/** One output as stored: what a ring member needs plus where it was made. */
export interface StoredOutput {
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** Height of the block that created it. */
  height: number;
  /** First height at which it may be a ring member (coinbase: height + maturity; others: height + 1). */
  unlockHeight: bigint;
}

/** `oneTimeKey(32) ‖ commitment(32) ‖ u64be(height) ‖ u64be(unlockHeight)`: 80 bytes. */
export function encodeOutputRecord(o: StoredOutput): Uint8Array {
  const out = new Uint8Array(80);
  out.set(o.oneTimeKey, 0);
  out.set(o.commitment, 32);
  out.set(u64be(o.height), 64);
  out.set(u64be(o.unlockHeight), 72);
  return out;
}
export function decodeOutputRecord(b: Uint8Array): StoredOutput {
  if (b.length !== 80) throw new RangeError(`output record: ${b.length} bytes, expected 80`);
  const unlockHeight = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(72);
  return { oneTimeKey: b.slice(0, 32), commitment: b.slice(32, 64), height: readU64be(b, 64), unlockHeight };
}

/** The tip pointer, written in the same batch as the block it points to. */
export interface TipRecord {
  height: number;
  hash: Uint8Array;
  /** Outputs in the output set after this block (= MMR leaf count). */
  outputs: number;
  /** Key images spent up to and including this block. */
  keyImages: number;
  /** MMR node count after this block. */
  mmrNodes: number;
}
/** `u64be height ‖ hash(32) ‖ u64be outputs ‖ u64be keyImages ‖ u64be mmrNodes`: 64 bytes. */
export function encodeTip(t: TipRecord): Uint8Array {
  const out = new Uint8Array(64);
  out.set(u64be(t.height), 0);
  out.set(t.hash, 8);
  out.set(u64be(t.outputs), 40);
  out.set(u64be(t.keyImages), 48);
  out.set(u64be(t.mmrNodes), 56);
  return out;
}
export function decodeTip(b: Uint8Array): TipRecord {
  if (b.length !== 64) throw new RangeError(`tip record: ${b.length} bytes, expected 64`);
  return { height: readU64be(b, 0), hash: b.slice(8, 40), outputs: readU64be(b, 40), keyImages: readU64be(b, 48), mmrNodes: readU64be(b, 56) };
}
