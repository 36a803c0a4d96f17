/**
 * Typed errors of the independent verifier (docs/crypto.md §9).
 *
 * The codes are the stable strings of the spec's error table; the vector files name them in
 * the `error` field of invalid cases, and the tests compare them verbatim.
 *
 * @module
 */

/** Every error code of docs/crypto.md §9, as a readonly tuple (the source of {@link ErrorCode}). */
export const ERROR_CODES = [
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

/** One of the stable error codes of docs/crypto.md §9. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The single error type thrown by every rejecting check of the verifier.
 *
 * `code` is the docs/crypto.md §9 code; `message` is free text for humans (not stable).
 */
export class CryptoError extends Error {
  /** Stable error code (docs/crypto.md §9). */
  readonly code: ErrorCode;

  /**
   * @param code - the §9 error code.
   * @param message - human-readable detail (which field, which length...).
   */
  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "CryptoError";
    this.code = code;
  }
}

/**
 * True iff `s` is one of the §9 error codes.
 *
 * @param s - any string (e.g. the `error` field of a vector).
 */
export function isErrorCode(s: string): s is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(s);
}
