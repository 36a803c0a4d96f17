/**
 * Byte encodings of docs/crypto.md §1: 32-byte canonical little-endian scalars, 32-byte
 * ristretto255 points (RFC 9496 §4.3), fixed-width little-endian integers, and strict hex.
 *
 * Built on `@noble/curves` only; nothing here is shared with the Rust crate.
 *
 * @module
 */
import { ristretto255 } from "@noble/curves/ed25519.js";
import { CryptoError } from "./errors.ts";

/** The ristretto255 point class of `@noble/curves`. */
export const Point = ristretto255.Point;

/** A ristretto255 group element (noble `RistrettoPoint`). */
export type Point = InstanceType<typeof ristretto255.Point>;

/** The group order ℓ = 2^252 + 27742317777372353535851937790883648493 (docs/crypto.md §1). */
export const L: bigint = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The ristretto255 base point `G` (docs/crypto.md §1). */
export const G: Point = Point.BASE;

/** The identity element (encodes as 32 zero bytes). */
export const IDENTITY: Point = Point.ZERO;

/**
 * Throws `INVALID_LENGTH` unless `bytes.length === len`.
 *
 * @param bytes - the byte string.
 * @param len - the required length in bytes.
 * @param what - field name for the message.
 * @throws {@link CryptoError} `INVALID_LENGTH`.
 */
export function expectLength(bytes: Uint8Array, len: number, what: string): void {
  if (bytes.length !== len) {
    throw new CryptoError("INVALID_LENGTH", `${what}: expected ${len} bytes, got ${bytes.length}`);
  }
}

/**
 * Little-endian bytes → unsigned bigint (any length).
 *
 * @param bytes - little-endian integer.
 */
export function leToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
}

/**
 * Big-endian bytes → unsigned bigint (any length).
 *
 * @param bytes - big-endian integer.
 */
export function beToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * Unsigned bigint → `len` little-endian bytes.
 *
 * @param n - integer with `0 ≤ n < 2^(8·len)`.
 * @param len - output length in bytes.
 * @throws RangeError if `n` does not fit (a programming error, not a §9 rejection).
 */
export function bigintToLe(n: bigint, len: number): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * len)) throw new RangeError(`integer does not fit in ${len} bytes`);
  const out = new Uint8Array(len);
  let x = n;
  for (let i = 0; i < len; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * `u64le(n)`: 8-byte little-endian (docs/crypto.md notation).
 *
 * @param n - integer in `[0, 2^64)`.
 * @throws RangeError outside that range.
 */
export function u64le(n: bigint): Uint8Array {
  return bigintToLe(n, 8);
}

/**
 * `u32le(n)`: 4-byte little-endian (docs/crypto.md notation).
 *
 * @param n - integer in `[0, 2^32)`.
 * @throws RangeError outside that range.
 */
export function u32le(n: number): Uint8Array {
  return bigintToLe(BigInt(n), 4);
}

/**
 * `enc(s)`: the 32-byte little-endian encoding of a scalar (docs/crypto.md §1).
 *
 * @param s - scalar in `[0, ℓ)`.
 * @throws RangeError if `s` is not reduced (a programming error).
 */
export function encodeScalar(s: bigint): Uint8Array {
  if (s < 0n || s >= L) throw new RangeError("scalar not reduced mod ℓ");
  return bigintToLe(s, 32);
}

/**
 * Decodes a canonical scalar (docs/crypto.md §1): 32 bytes little-endian, integer `< ℓ`,
 * no clamping, no reduction.
 *
 * @param bytes - 32-byte encoding.
 * @param what - field name for the error message.
 * @returns the scalar as a bigint in `[0, ℓ)`.
 * @throws {@link CryptoError} `INVALID_LENGTH` (not 32 bytes), `NON_CANONICAL_SCALAR` (`≥ ℓ`).
 */
export function decodeScalar(bytes: Uint8Array, what = "scalar"): bigint {
  expectLength(bytes, 32, what);
  const s = leToBigint(bytes);
  if (s >= L) throw new CryptoError("NON_CANONICAL_SCALAR", `${what}: encoding is ≥ ℓ`);
  return s;
}

/**
 * `enc(P)`: the 32-byte ristretto255 encoding (RFC 9496 §4.3.2).
 *
 * @param p - a group element.
 */
export function encodePoint(p: Point): Uint8Array {
  return p.toBytes();
}

/**
 * Decodes a ristretto255 point (RFC 9496 §4.3.1, docs/crypto.md §1). noble's `fromBytes`
 * rejects non-canonical field elements, negative `s` and invalid encodings; every such
 * exception becomes `INVALID_POINT`. As a belt-and-braces check the decoded point must
 * re-encode to the same bytes.
 *
 * @param bytes - 32-byte encoding.
 * @param what - field name for the error message.
 * @param allowIdentity - accept the identity (32 zero bytes); default false (keys,
 *   commitments, pseudo-outputs, ring members and key images reject it, §1).
 * @throws {@link CryptoError} `INVALID_LENGTH`, `INVALID_POINT`, `IDENTITY_POINT`.
 */
export function decodePoint(bytes: Uint8Array, what = "point", allowIdentity = false): Point {
  expectLength(bytes, 32, what);
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
  } catch (e) {
    throw new CryptoError("INVALID_POINT", `${what}: ${(e as Error).message}`);
  }
  if (!bytesEqual(p.toBytes(), bytes)) {
    throw new CryptoError("INVALID_POINT", `${what}: decoding does not round-trip`);
  }
  if (!allowIdentity && p.is0()) throw new CryptoError("IDENTITY_POINT", `${what}: identity`);
  return p;
}

/**
 * `k·P` for a public or test scalar (variable time; this verifier never holds live keys).
 * Accepts `k = 0` (gives the identity), unlike noble's constant-time `multiply`.
 *
 * @param p - point.
 * @param k - scalar in `[0, ℓ)`.
 */
export function mul(p: Point, k: bigint): Point {
  return p.multiplyUnsafe(k);
}

/**
 * `k·G`.
 *
 * @param k - scalar in `[0, ℓ)`.
 */
export function mulBase(k: bigint): Point {
  return G.multiplyUnsafe(k);
}

/**
 * Reduces an integer mod ℓ into `[0, ℓ)`.
 *
 * @param n - any integer (may be negative).
 */
export function modL(n: bigint): bigint {
  const r = n % L;
  return r < 0n ? r + L : r;
}

/**
 * Byte-string equality (not constant time; verification only).
 *
 * @param a - first string.
 * @param b - second string.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Concatenation `a ‖ b ‖ …`.
 *
 * @param parts - byte strings.
 */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Strict lowercase-hex decoding (test-vectors/README.md: "All byte strings are lowercase hex").
 *
 * @param hex - even-length string over `[0-9a-f]` (may be empty).
 * @throws TypeError on any other input (a malformed vector file, not a §9 rejection).
 */
export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new TypeError(`not lowercase even-length hex: ${JSON.stringify(hex.slice(0, 80))}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Lowercase hex encoding.
 *
 * @param bytes - any byte string.
 */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * ASCII string → bytes; rejects non-ASCII so a tag can never have two encodings.
 *
 * @param s - ASCII text (tags, DSTs).
 * @throws TypeError on a non-ASCII character.
 */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new TypeError(`non-ASCII character in ${JSON.stringify(s)}`);
    out[i] = c;
  }
  return out;
}
