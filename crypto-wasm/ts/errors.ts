/**
 * Typed errors of the cryptography core.
 *
 * The Rust crate returns `CryptoError` values whose message is `"CODE: reason"` (codes in
 * docs/crypto.md §9). {@link fromWasmError} turns what WebAssembly throws into a
 * {@link CryptoError} with that code, so callers switch on `err.code`, never on message text.
 * @module
 */

/** Every error code the core can raise (docs/crypto.md §9). */
export const CRYPTO_ERROR_CODES = [
  "INVALID_LENGTH",
  "NON_CANONICAL_SCALAR",
  "INVALID_POINT",
  "IDENTITY_POINT",
  "INVALID_DST",
  "RING_SIZE",
  "DUPLICATE_RING_MEMBER",
  "SIGNER_INDEX",
  "SIGNER_MISMATCH",
  "INVALID_SIGNATURE",
  "AGGREGATION_SIZE",
  "INVALID_RANGE_PROOF",
  "WEAK_KEY",
  "POW_INSUFFICIENT",
] as const;

/** A stable error code of the cryptography core. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(CRYPTO_ERROR_CODES);

/**
 * An input was rejected by the cryptography core.
 * `code` is stable (docs/crypto.md §9); `reason` is human-readable detail.
 * Plain data, so it survives `structuredClone` across worker threads via {@link CryptoError.toJSON}.
 */
export class CryptoError extends Error {
  /** The stable error code. */
  readonly code: CryptoErrorCode;
  /** Human-readable detail, e.g. which field was wrong. */
  readonly reason: string;
  /** For batch operations: the index of the item that failed, when known. */
  readonly index: number | undefined;

  constructor(code: CryptoErrorCode, reason: string, index?: number) {
    super(`${code}: ${reason}`);
    this.name = "CryptoError";
    this.code = code;
    this.reason = reason;
    this.index = index;
  }

  /** Serialisable form, for crossing worker-thread boundaries. */
  toJSON(): { name: "CryptoError"; code: CryptoErrorCode; reason: string; index?: number } {
    return this.index === undefined
      ? { name: "CryptoError", code: this.code, reason: this.reason }
      : { name: "CryptoError", code: this.code, reason: this.reason, index: this.index };
  }
}

/**
 * Converts anything thrown by the WebAssembly module into a {@link CryptoError}.
 * A message without a known code is re-thrown unchanged: it is a bug, not bad input.
 * @throws the original value when it is not a core error
 */
export function fromWasmError(e: unknown): CryptoError {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(msg);
  if (m && m[1] !== undefined && m[2] !== undefined && CODES.has(m[1])) {
    return new CryptoError(m[1] as CryptoErrorCode, m[2]);
  }
  throw e;
}

/** Length check used by every wrapper function before calling into WebAssembly. */
export function assertBytes(what: string, value: Uint8Array, length?: number): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new CryptoError("INVALID_LENGTH", `${what} must be ${length} bytes, got ${value.length}`);
  }
}

/** Range check for u64 amounts and nonces (atomic units). */
export function assertU64(what: string, value: bigint): void {
  if (typeof value !== "bigint") throw new TypeError(`${what} must be a bigint`);
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError(`${what} must be in [0, 2^64), got ${value}`);
  }
}
