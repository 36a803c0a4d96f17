/**
 * A strict, bounded cursor over wire bytes (docs/protocol.md §10). Every read checks that the
 * bytes are there; every count is checked against the bytes that remain *before* anything is
 * allocated for it; {@link WireReader.end} rejects trailing bytes. Every failure is a
 * {@link ConsensusError} with the reader's code and the path of the field and its byte offset
 * in the reason, e.g. `inputs[0].ring: count 70000 exceeds remaining bytes (needs 560000, 300 left at offset 44)`.
 *
 * The reader only enforces the layout (lengths, counts, no trailing bytes). Value rules
 * (ring order, versions, limits from ChainParams) are validation (src/validation/).
 * @module
 */
import { ConsensusError, type ConsensusErrorCode } from "../errors.ts";

/** Reads fixed-width little-endian fields and length-prefixed items from a byte string. */
export class WireReader {
  /** The error code of every failure. */
  readonly code: ConsensusErrorCode;
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly base: number;
  private pos = 0;

  /**
   * @param data the bytes to read (not copied; decoded byte fields are copies)
   * @param code the error code of every failure (`TX_MALFORMED`, `BLOCK_MALFORMED`, `CERT_MALFORMED`)
   * @param base byte offset of `data` inside the outer message, for error messages only
   */
  constructor(data: Uint8Array, code: ConsensusErrorCode, base = 0) {
    this.code = code;
    this.base = base;
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.data.length - this.pos;
  }

  /** Offset of the cursor inside the outer message. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** A rejection with this reader's code: `path: what`. */
  fail(path: string, what: string): ConsensusError {
    return new ConsensusError(this.code, `${path}: ${what}`);
  }

  private need(n: number, path: string): void {
    if (n > this.remaining) throw this.fail(path, `truncated: needs ${n} bytes, ${this.remaining} left at offset ${this.offset}`);
  }

  /** One byte, 0..=255. */
  u8(path: string): number {
    this.need(1, path);
    return this.data[this.pos++] as number;
  }

  /** `u32le`, 0..=2^32−1. */
  u32(path: string): number {
    this.need(4, path);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** `u64le` as a bigint, 0..=2^64−1. */
  u64(path: string): bigint {
    this.need(8, path);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Exactly `n` bytes, copied (a plain `Uint8Array` detached from the input buffer). */
  bytes(n: number, path: string): Uint8Array {
    this.need(n, path);
    const out = new Uint8Array(this.data.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** `u32le len ‖ len bytes`, the length checked against the remaining bytes first. */
  varBytes(path: string): Uint8Array {
    const n = this.u32(`${path}.length`);
    if (n > this.remaining) throw this.fail(path, `length ${n} exceeds remaining bytes (${this.remaining} left at offset ${this.offset})`);
    return this.bytes(n, path);
  }

  /**
   * A `u32le` item count, rejected unless `count · minItemBytes` fits in the remaining bytes,
   * so a count can never make the decoder allocate more than the input's size.
   * @param minItemBytes the smallest possible encoding of one item (≥ 1)
   */
  count(path: string, minItemBytes: number): number {
    const n = this.u32(`${path}.count`);
    const needs = n * minItemBytes; // ≤ 2^32 · 2^16 < 2^53: exact
    if (needs > this.remaining) throw this.fail(path, `count ${n} exceeds remaining bytes (needs ≥ ${needs}, ${this.remaining} left at offset ${this.offset})`);
    return n;
  }

  /**
   * A reader over the next `n` bytes (which this reader skips), for a length-prefixed item that
   * must be consumed exactly.
   */
  sub(n: number, path: string): WireReader {
    this.need(n, path);
    const r = new WireReader(this.data.subarray(this.pos, this.pos + n), this.code, this.offset);
    this.pos += n;
    return r;
  }

  /** Rejects trailing bytes: everything must have been read. */
  end(path: string): void {
    if (this.remaining !== 0) throw this.fail(path, `${this.remaining} trailing bytes at offset ${this.offset}`);
  }
}
