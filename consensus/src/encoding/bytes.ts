/**
 * Byte helpers for the canonical encoding: fixed-width little-endian integers and
 * fixed-length byte strings (docs/protocol.md §1). Pure TypeScript, no WebAssembly.
 * @module
 */
import { U32_MAX, U64_MAX } from "../constants.ts";
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from "@noble/hashes/utils.js";

/** An append-only byte buffer writing fixed-width little-endian integers. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Appends one byte (0..=255). @throws RangeError */
  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`u8 out of range: ${v}`);
    this.reserve(1);
    this.buf[this.len++] = v;
    return this;
  }

  /** Appends `u32le(v)` (4 bytes). @throws RangeError */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new RangeError(`u32 out of range: ${v}`);
    this.reserve(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
    return this;
  }

  /** Appends `u64le(v)` (8 bytes). @throws RangeError */
  u64(v: bigint): this {
    if (typeof v !== "bigint" || v < 0n || v > U64_MAX) throw new RangeError(`u64 out of range: ${String(v)}`);
    this.reserve(8);
    this.view.setBigUint64(this.len, v, true);
    this.len += 8;
    return this;
  }

  /** Appends raw bytes; with `length`, checks it first. @throws RangeError on a wrong length */
  bytes(b: Uint8Array, length?: number): this {
    if (length !== undefined && b.length !== length) throw new RangeError(`expected ${length} bytes, got ${b.length}`);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Appends `u32le(len(b)) ‖ b` (a variable-length byte string). */
  varBytes(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** `u64le(v)` as 8 bytes. */
export function u64le(v: bigint): Uint8Array {
  return new ByteWriter(8).u64(v).finish();
}

/** `u32le(v)` as 4 bytes. */
export function u32le(v: number): Uint8Array {
  return new ByteWriter(4).u32(v).finish();
}

/** Concatenation of byte strings. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Constant-length byte equality (not constant-time; consensus data is public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte comparison: negative, 0 or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Lower-case hex of bytes (2 characters per byte, no `0x`): @noble/hashes' `bytesToHex`. The one
 * hex encoder of the TypeScript packages (node and wallet import it from here).
 */
export function toHex(b: Uint8Array): string {
  return nobleBytesToHex(b);
}

/** Bytes of a hex string (even length, [0-9a-fA-F], no `0x`): @noble/hashes' `hexToBytes`. @throws TypeError "invalid hex string" on bad input */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError("invalid hex string");
  return nobleHexToBytes(hex);
}

/** The ristretto255 / ed25519 group order ℓ = 2^252 + 27742317777372353535851937790883648493. */
export const GROUP_ORDER = (1n << 252n) + 27742317777372353535851937790883648493n;

/** Little-endian integer value of bytes. */
export function leToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] ?? 0);
  return v;
}

/** Whether a 32-byte little-endian scalar encoding is canonical (`< ℓ`, docs/crypto.md §1). Pure TS. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  return s.length === 32 && leToBigint(s) < GROUP_ORDER;
}

/** The scalar 1 (32 bytes little-endian): the mask of coinbase and premine commitments. */
export const SCALAR_ONE: Uint8Array = (() => {
  const b = new Uint8Array(32);
  b[0] = 1;
  return b;
})();

/** 32 zero bytes (the genesis parent hash). */
export const ZERO_HASH: Uint8Array = new Uint8Array(32);
