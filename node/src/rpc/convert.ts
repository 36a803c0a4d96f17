/**
 * Wire conventions of the JSON-RPC API (docs/node.md §Conventions):
 * - bytes (hashes, keys, commitments, proofs, encoded txs) are lowercase hex strings, no `0x`;
 * - u64 amounts and fees are decimal strings (they exceed 2^53);
 * - heights, global output indices, counts, sizes and times (ms) are JSON numbers (≤ 2^53 − 1).
 * Parameter parsers throw INVALID_PARAMS.
 * @module
 */
import { invalidParams } from "./errors.ts";
import { toHex } from "@baios/consensus";

/** Encodes bytes as lowercase hex without `0x` (2 characters per byte): the RPC's byte convention (docs/node.md §Conventions). */
export const hex = (b: Uint8Array): string => toHex(b);

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

/** Parses a lowercase hex string; `len` checks the decoded byte length. */
export function parseHex(v: unknown, name: string, len?: number): Uint8Array {
  if (typeof v !== "string" || !HEX_RE.test(v)) throw invalidParams(`${name}: expected a lowercase hex string`);
  if (len !== undefined && v.length !== 2 * len) throw invalidParams(`${name}: expected ${len} bytes`);
  return Uint8Array.from(Buffer.from(v, "hex"));
}
/** Parses a non-negative safe integer (heights, indices, counts). */
export function parseUint(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw invalidParams(`${name}: expected a non-negative integer`);
  return v;
}
/** Parses a u64 decimal string. */
export function parseU64String(v: unknown, name: string): bigint {
  if (typeof v !== "string" || !/^(0|[1-9]\d{0,19})$/.test(v)) throw invalidParams(`${name}: expected a decimal string`);
  const n = BigInt(v);
  if (n >= 1n << 64n) throw invalidParams(`${name}: above 2^64 - 1`);
  return n;
}
/** Params must be a JSON object (by-name params). */
export function paramsObject(p: unknown): Record<string, unknown> {
  if (p === undefined || p === null) return {};
  if (typeof p !== "object" || Array.isArray(p)) throw invalidParams("params: expected an object (by-name parameters)");
  return p as Record<string, unknown>;
}
/** A u64 bigint as a JSON number (heights, indices); throws above 2^53 − 1. */
export function num(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("value above 2^53 - 1");
  return Number(v);
}
