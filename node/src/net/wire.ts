/**
 * Payload encodings of the node's gossip topics and request/response protocols
 * (docs/node.md §Network protocols). All integers big-endian; every length is checked against
 * the remaining bytes before it is used, and the whole payload against its cap before decoding
 * (the transport checks the cap first too).
 *
 * | payload | layout |
 * |---|---|
 * | block gossip | `u32 blockLen ‖ block ‖ certificate` (wire bytes, protocol.md §10) |
 * | range request (`headers`, `blocks`) | `u64 from ‖ u32 count` (12 bytes) |
 * | status response | `u64 height ‖ hash[32] ‖ u64 tail` (48 bytes; 40 without the tail from an older node: tail 0) |
 * | headers / blocks response | `u32 n ‖ n × (u32 len ‖ header-or-block ‖ u32 len ‖ certificate)` |
 * @module
 */
import { ConsensusError } from "@baios/consensus";

/** A malformed payload: the peer's fault (`REJECT`). */
function malformed(what: string): never {
  throw new ConsensusError("BLOCK_MALFORMED", `${what}: malformed network payload`);
}

/** `u32 aLen ‖ a ‖ b`. */
export function encodePair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + a.length + b.length);
  new DataView(out.buffer).setUint32(0, a.length);
  out.set(a, 4);
  out.set(b, 4 + a.length);
  return out;
}

/** Inverse of {@link encodePair}. @throws ConsensusError `BLOCK_MALFORMED` */
export function decodePair(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  if (bytes.length < 4) malformed("pair");
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (n > bytes.length - 4) malformed("pair");
  return [bytes.subarray(4, 4 + n), bytes.subarray(4 + n)];
}

/** Range request `u64 from ‖ u32 count`. */
export function encodeRange(from: number, count: number): Uint8Array {
  const out = new Uint8Array(12);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(from));
  v.setUint32(8, count);
  return out;
}

/** Inverse of {@link encodeRange}. @throws ConsensusError `BLOCK_MALFORMED` (not 12 bytes, `from` beyond 2^53) */
export function decodeRange(bytes: Uint8Array): { from: number; count: number } {
  if (bytes.length !== 12) malformed("range request");
  const v = new DataView(bytes.buffer, bytes.byteOffset, 12);
  const from = v.getBigUint64(0);
  if (from > BigInt(Number.MAX_SAFE_INTEGER)) malformed("range request");
  return { from: Number(from), count: v.getUint32(8) };
}

/**
 * Status response `u64 height ‖ hash[32] ‖ u64 tail` (48 bytes): the finalized tip and the lowest
 * height whose block body the node serves (docs/pruning.md); without `tail`, the 40-byte form of
 * nodes before pruning.
 */
export function encodeStatus(height: number, hash: Uint8Array, tail?: number): Uint8Array {
  const out = new Uint8Array(tail === undefined ? 40 : 48);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(height));
  out.set(hash, 8);
  if (tail !== undefined) v.setBigUint64(40, BigInt(tail));
  return out;
}

/** Inverse of {@link encodeStatus}; a 40-byte answer (no tail) has tail 0. @throws ConsensusError `BLOCK_MALFORMED` (length, a height above 2^53 − 1, tail above height) */
export function decodeStatus(bytes: Uint8Array): { height: number; hash: Uint8Array; tail: number } {
  if (bytes.length !== 40 && bytes.length !== 48) malformed("status");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const h = v.getBigUint64(0);
  const t = bytes.length === 48 ? v.getBigUint64(40) : 0n;
  if (h > BigInt(Number.MAX_SAFE_INTEGER) || t > h) malformed("status");
  return { height: Number(h), hash: bytes.slice(8, 40), tail: Number(t) };
}

/** `u32 n ‖ n × (u32 len ‖ a ‖ u32 len ‖ b)`. */
export function encodePairs(items: readonly [Uint8Array, Uint8Array][]): Uint8Array {
  let size = 4;
  for (const [a, b] of items) size += 8 + a.length + b.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, items.length);
  let o = 4;
  for (const [a, b] of items) {
    v.setUint32(o, a.length);
    out.set(a, o + 4);
    o += 4 + a.length;
    v.setUint32(o, b.length);
    out.set(b, o + 4);
    o += 4 + b.length;
  }
  return out;
}

/** Inverse of {@link encodePairs}; at most `maxItems`. @throws ConsensusError `BLOCK_MALFORMED` */
export function decodePairs(bytes: Uint8Array, maxItems: number): [Uint8Array, Uint8Array][] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) malformed("list");
  const n = v.getUint32(0);
  if (n > maxItems) malformed("list");
  const out: [Uint8Array, Uint8Array][] = [];
  let o = 4;
  const take = (): Uint8Array => {
    if (o + 4 > bytes.length) malformed("list");
    const len = v.getUint32(o);
    if (len > bytes.length - o - 4) malformed("list");
    const x = bytes.subarray(o + 4, o + 4 + len);
    o += 4 + len;
    return x;
  };
  for (let i = 0; i < n; i++) out.push([take(), take()]);
  if (o !== bytes.length) malformed("list");
  return out;
}
