/**
 * Length-prefixed frames for request/response streams (docs/p2p.md §Request/response):
 * `u32be length ‖ body`. The length is read and checked against the cap BEFORE the body is
 * buffered, so a peer announcing a 4 GB body costs us 4 bytes of reading.
 * @module
 */
import { P2PError } from "./types.ts";

/** A chunk as libp2p streams yield it: bytes or a `Uint8ArrayList` (anything with `subarray()`). */
export type Chunk = Uint8Array | { subarray(): Uint8Array };

/** A pull reader over a stream's chunks that keeps leftovers between frames. */
export class FrameReader {
  readonly #it: AsyncIterator<Chunk>;
  #buf: Uint8Array = new Uint8Array(0);

  constructor(source: AsyncIterable<Chunk>) {
    this.#it = source[Symbol.asyncIterator]();
  }
  async #fill(n: number): Promise<void> {
    while (this.#buf.length < n) {
      const r = await this.#it.next();
      if (r.done === true) throw new P2PError("BAD_RESPONSE", `stream ended after ${this.#buf.length} of ${n} bytes`);
      const chunk = r.value instanceof Uint8Array ? r.value : r.value.subarray();
      const next = new Uint8Array(this.#buf.length + chunk.length);
      next.set(this.#buf);
      next.set(chunk, this.#buf.length);
      this.#buf = next;
    }
  }
  /** Reads exactly `n` bytes. */
  async bytes(n: number): Promise<Uint8Array> {
    await this.#fill(n);
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }
  /**
   * Reads one `u32be length ‖ body` frame.
   * @throws P2PError `TOO_LARGE` when the announced length exceeds `cap` (nothing more is read)
   */
  async frame(cap: number): Promise<Uint8Array> {
    const h = await this.bytes(4);
    const len = new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
    if (len > cap) throw new P2PError("TOO_LARGE", `frame of ${len} bytes exceeds the ${cap}-byte cap`);
    return this.bytes(len);
  }
}

/** `u32be(body.length) ‖ body`. */
export function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** Response status byte: 0 = ok (body = response), 1 = error (body = UTF-8 `CODE message`, ≤ 512 bytes). */
export const STATUS_OK = 0;
export const STATUS_ERROR = 1;
/** Cap on an error body, bytes. */
export const MAX_ERROR_BYTES = 512;

/** Encodes an error body `CODE message`, truncated to {@link MAX_ERROR_BYTES}. */
export function errorBody(code: string, message: string): Uint8Array {
  return new TextEncoder().encode(`${code} ${message}`).slice(0, MAX_ERROR_BYTES);
}
