/**
 * The consensus write-ahead log (docs/node.md §Double-sign protection and the consensus WAL;
 * docs/consensus.md §6): every consensus message the BFT driver feeds to the engine for the
 * current height is appended here first, so a restarted validator replays them and resumes the
 * height where it stopped (CometBFT `consensus/wal.go` is the model: `#ENDHEIGHT` markers,
 * CRC-framed records, repair of a torn tail).
 *
 * File `<dataDir>/consensus.wal`: a 12-byte header (ASCII `BAIOSWAL` ‖ u32le version 1), then
 * frames `u32le length ‖ u32le crc ‖ u8 type ‖ payload[length]`, where `length` is the payload
 * size in bytes (≤ {@link WAL_MAX_PAYLOAD}) and `crc` is CRC-32 (IEEE 802.3, `zlib.crc32`) of
 * `u32le length ‖ u8 type ‖ payload`. Payloads by type ({@link WalRecordType}):
 * - `PROPOSAL`, `VOTE`: a received signed proposal / vote in its wire encoding (docs/consensus.md
 *   §2.1), as the driver received it;
 * - `TIMEOUT`: {@link encodeTimeout} (13 bytes: u64le height ‖ u32le round ‖ u8 step);
 * - `OWN_MESSAGE`: a message this validator signed, wire encoding (always fsync'ed);
 * - `END_HEIGHT`: u64le height (8 bytes), written once height `h` is committed (always fsync'ed).
 *
 * Crash recovery: {@link ConsensusWal.open} scans the frames; the first frame that is incomplete,
 * longer than {@link WAL_MAX_PAYLOAD} or fails its CRC marks a torn tail (a crash mid-write, or
 * unsynced pages lost at power failure) and the file is truncated there (`recovered`).
 * Rotation and bound: appending `END_HEIGHT h` rewrites the file durably (temp, fsync, rename,
 * fsync dir) to the header and that marker, dropping every older height; so the file holds at
 * most one marker plus the records of the heights after it, and appends that would make it
 * larger than `maxBytes` (default {@link WAL_DEFAULT_MAX_BYTES} = 64 MiB) are refused with
 * `WAL_FULL` (the marker itself is always accepted).
 * @module
 */
import { mkdirSync } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { writeFileDurable } from "./durable-file.ts";
import { acquireFileLock, type FileLock } from "./file-lock.ts";

/** The WAL file's name inside the data directory. */
export const WAL_FILE = "consensus.wal";
/** Header size in bytes (magic `BAIOSWAL`, u32le version). */
export const WAL_HEADER_BYTES = 12;
/** Frame overhead in bytes (u32le length, u32le crc, u8 type). */
export const WAL_FRAME_OVERHEAD = 9;
/** Largest payload of one record (bytes): 1 MiB. */
export const WAL_MAX_PAYLOAD = 1 << 20;
/** Default bound of the file size (bytes): 64 MiB. */
export const WAL_DEFAULT_MAX_BYTES = 64 << 20;
const MAGIC = new TextEncoder().encode("BAIOSWAL");
const VERSION = 1;

/** Record types (the frame's `type` byte). */
export const WalRecordType = { PROPOSAL: 1, VOTE: 2, TIMEOUT: 3, OWN_MESSAGE: 4, END_HEIGHT: 5 } as const;
/** A record type byte, 1..5. */
export type WalRecordType = (typeof WalRecordType)[keyof typeof WalRecordType];
const isType = (t: number): t is WalRecordType => t >= 1 && t <= 5;

/** One WAL record. */
export interface WalRecord {
  type: WalRecordType;
  payload: Uint8Array;
}

/** Error codes of the WAL and their meaning. */
export const WAL_ERRORS = {
  WAL_CORRUPT: "bad header (not a BAIOS WAL / unknown version), or a frame with a valid CRC but an unknown type or a malformed END_HEIGHT (not a torn tail: never repaired silently)",
  WAL_LOCKED: "another process (or another WAL in this process) holds the WAL's lock",
  WAL_FULL: "the append would make the file larger than maxBytes",
  WAL_INVALID_RECORD: "unknown type, payload larger than WAL_MAX_PAYLOAD, or END_HEIGHT/TIMEOUT payload of the wrong size",
  WAL_WRITE_FAILED: "a write, fsync or rotation failed; the WAL refuses appends until reopened (which repairs the tail)",
  WAL_CLOSED: "the WAL was closed",
} as const;
/** A {@link WalError} code. */
export type WalErrorCode = keyof typeof WAL_ERRORS;

/** A WAL failure. `code` is stable, `reason` says what was found where. */
export class WalError extends Error {
  override name = "WalError";
  readonly code: WalErrorCode;
  readonly reason: string;
  constructor(code: WalErrorCode, reason: string, options?: ErrorOptions) {
    super(`${code}: ${reason}`, options);
    this.code = code;
    this.reason = reason;
  }
}

/** `END_HEIGHT` payload: u64le height (8 bytes). */
export function encodeEndHeight(height: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, height, true);
  return b;
}
/** Reads an `END_HEIGHT` payload. @throws WalError `WAL_INVALID_RECORD` (not 8 bytes) */
export function decodeEndHeight(p: Uint8Array): bigint {
  if (p.length !== 8) throw new WalError("WAL_INVALID_RECORD", `END_HEIGHT payload is ${p.length} bytes, expected 8`);
  return new DataView(p.buffer, p.byteOffset, 8).getBigUint64(0, true);
}

/** A timeout event (`step`: 0 propose, 1 prevote, 2 precommit). */
export interface WalTimeout {
  height: bigint;
  round: number;
  step: 0 | 1 | 2;
}
/** `TIMEOUT` payload: u64le height ‖ u32le round ‖ u8 step (13 bytes). */
export function encodeTimeout(t: WalTimeout): Uint8Array {
  const b = new Uint8Array(13);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, t.height, true);
  v.setUint32(8, t.round, true);
  v.setUint8(12, t.step);
  return b;
}
/** Reads a `TIMEOUT` payload. @throws WalError `WAL_INVALID_RECORD` (not 13 bytes, step > 2) */
export function decodeTimeout(p: Uint8Array): WalTimeout {
  const v = new DataView(p.buffer, p.byteOffset, p.length);
  if (p.length !== 13 || v.getUint8(12) > 2) throw new WalError("WAL_INVALID_RECORD", "TIMEOUT payload is not 13 bytes with a step 0..2");
  return { height: v.getBigUint64(0, true), round: v.getUint32(8, true), step: v.getUint8(12) as 0 | 1 | 2 };
}

/** The frame of a record (9 + payload bytes). @throws WalError `WAL_INVALID_RECORD` */
export function encodeWalFrame(r: WalRecord): Uint8Array {
  if (!isType(r.type)) throw new WalError("WAL_INVALID_RECORD", `unknown record type ${String(r.type)}`);
  if (r.payload.length > WAL_MAX_PAYLOAD) throw new WalError("WAL_INVALID_RECORD", `payload of ${r.payload.length} bytes exceeds ${WAL_MAX_PAYLOAD}`);
  if (r.type === WalRecordType.END_HEIGHT) decodeEndHeight(r.payload);
  if (r.type === WalRecordType.TIMEOUT) decodeTimeout(r.payload);
  const f = new Uint8Array(WAL_FRAME_OVERHEAD + r.payload.length);
  const v = new DataView(f.buffer);
  v.setUint32(0, r.payload.length, true);
  f[8] = r.type;
  f.set(r.payload, 9);
  v.setUint32(4, frameCrc(f), true);
  return f;
}

/** CRC-32 of `length ‖ type ‖ payload` of a frame whose bytes start at f[0]. */
function frameCrc(f: Uint8Array): number {
  return crc32(f.subarray(8), crc32(f.subarray(0, 4)));
}

function header(): Uint8Array {
  const h = new Uint8Array(WAL_HEADER_BYTES);
  h.set(MAGIC, 0);
  new DataView(h.buffer).setUint32(8, VERSION, true);
  return h;
}

/** Result of scanning `bytes` from `WAL_HEADER_BYTES`: the end of the valid frames and the last marker. */
interface Scan {
  validEnd: number;
  records: number;
  lastMarker: { offset: number; height: bigint } | undefined;
}

function scan(bytes: Uint8Array, path: string): Scan {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let off = WAL_HEADER_BYTES;
  let records = 0;
  let lastMarker: Scan["lastMarker"];
  for (;;) {
    if (off + WAL_FRAME_OVERHEAD > bytes.length) break;
    const len = v.getUint32(off, true);
    if (len > WAL_MAX_PAYLOAD || off + WAL_FRAME_OVERHEAD + len > bytes.length) break;
    const frame = bytes.subarray(off, off + WAL_FRAME_OVERHEAD + len);
    if (v.getUint32(off + 4, true) !== frameCrc(frame)) break;
    const type = frame[8]!;
    if (!isType(type)) throw new WalError("WAL_CORRUPT", `${path}: record at byte ${off} has unknown type ${type} (written by a newer node?)`);
    if (type === WalRecordType.END_HEIGHT) {
      if (len !== 8) throw new WalError("WAL_CORRUPT", `${path}: END_HEIGHT at byte ${off} has ${len} payload bytes`);
      lastMarker = { offset: off, height: decodeEndHeight(frame.subarray(9)) };
    }
    off += frame.length;
    records++;
  }
  return { validEnd: off, records, lastMarker };
}

/** What {@link ConsensusWal.open} found. */
export interface WalRecovery {
  /** Bytes cut off a torn tail (0 after a clean shutdown). */
  truncatedBytes: number;
  /** Complete records in the file as found (before rotation). */
  records: number;
}

/**
 * The consensus WAL. Single writer (`<path>.lock`); appends are serialised in call order.
 */
export class ConsensusWal {
  readonly path: string;
  readonly maxBytes: number;
  /** What opening repaired. */
  readonly recovered: WalRecovery;
  #lock: FileLock | undefined;
  #fh: FileHandle | undefined;
  #size: number;
  #replayFrom: number;
  #lastEndHeight: bigint | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #failed: unknown;

  private constructor(path: string, maxBytes: number, lock: FileLock, fh: FileHandle, size: number, replayFrom: number, lastEnd: bigint | undefined, recovered: WalRecovery) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.#lock = lock;
    this.#fh = fh;
    this.#size = size;
    this.#replayFrom = replayFrom;
    this.#lastEndHeight = lastEnd;
    this.recovered = recovered;
  }

  /**
   * Opens (creating if missing or empty) the WAL at `path` (normally `<dataDir>/consensus.wal`):
   * takes the lock, truncates a torn tail (fsync'ed), and if the last `END_HEIGHT` marker is not
   * the first record, finishes the rotation that a crash interrupted.
   * @throws WalError `WAL_LOCKED`, `WAL_CORRUPT`; `fs` errors
   */
  static async open(path: string, opts: { maxBytes?: number } = {}): Promise<ConsensusWal> {
    const maxBytes = opts.maxBytes ?? WAL_DEFAULT_MAX_BYTES;
    mkdirSync(dirname(path), { recursive: true });
    const lock = await acquireFileLock(`${path}.lock`, (pid) => new WalError("WAL_LOCKED", `${path} is in use by ${pid === process.pid ? "this process (already open)" : pid > 0 ? `process ${pid}` : "another process"}`));
    try {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        bytes = new Uint8Array(0);
      }
      if (bytes.length === 0) {
        bytes = header();
        await writeFileDurable(path, bytes);
      }
      const h = header();
      if (bytes.length < WAL_HEADER_BYTES || !h.every((x, i) => bytes[i] === x)) throw new WalError("WAL_CORRUPT", `${path}: not a BAIOS consensus WAL of version ${VERSION} (bad header)`);
      const s = scan(bytes, path);
      const recovered = { truncatedBytes: bytes.length - s.validEnd, records: s.records };
      if (s.lastMarker !== undefined && s.lastMarker.offset > WAL_HEADER_BYTES) {
        // a crash between the marker's fsync and the rotation: finish it
        await writeFileDurable(path, concat(h, bytes.subarray(s.lastMarker.offset, s.validEnd)));
        s.validEnd -= s.lastMarker.offset - WAL_HEADER_BYTES;
        s.lastMarker.offset = WAL_HEADER_BYTES;
      }
      const fh = await open(path, "r+");
      try {
        if ((await fh.stat()).size !== s.validEnd) {
          await fh.truncate(s.validEnd);
          await fh.sync();
        }
      } catch (e) {
        await fh.close();
        throw e;
      }
      const replayFrom = s.lastMarker === undefined ? WAL_HEADER_BYTES : s.lastMarker.offset + WAL_FRAME_OVERHEAD + 8;
      return new ConsensusWal(path, maxBytes, lock, fh, s.validEnd, replayFrom, s.lastMarker?.height, recovered);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** The height of the last `END_HEIGHT` marker, or `undefined` if there is none. */
  get lastEndHeight(): bigint | undefined {
    return this.#lastEndHeight;
  }

  /** The file size in bytes (header and complete frames). */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a record. With `sync` (forced for `OWN_MESSAGE` and `END_HEIGHT`) it resolves only
   * after `fdatasync`. `END_HEIGHT` then rotates the file (module doc).
   * @throws WalError `WAL_INVALID_RECORD`, `WAL_FULL`, `WAL_WRITE_FAILED` (also for every later
   *   append), `WAL_CLOSED`
   */
  append(record: WalRecord, opts: { sync?: boolean } = {}): Promise<void> {
    let frame: Uint8Array;
    try {
      frame = encodeWalFrame(record);
    } catch (e) {
      return Promise.reject(e);
    }
    const run = this.#queue.then(() => this.#append(record.type, frame, opts.sync === true));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Appends the `END_HEIGHT` marker of `height` (fsync'ed) and rotates. Same errors as {@link append}. */
  endHeight(height: bigint): Promise<void> {
    return this.append({ type: WalRecordType.END_HEIGHT, payload: encodeEndHeight(height) });
  }

  async #append(type: WalRecordType, frame: Uint8Array, sync: boolean): Promise<void> {
    if (this.#failed !== undefined) throw new WalError("WAL_WRITE_FAILED", `an earlier write to ${this.path} failed; reopen the WAL`, { cause: this.#failed });
    const fh = this.#fh;
    if (fh === undefined) throw new WalError("WAL_CLOSED", `${this.path} is closed`);
    const marker = type === WalRecordType.END_HEIGHT;
    if (!marker && this.#size + frame.length > this.maxBytes) throw new WalError("WAL_FULL", `${this.path}: ${this.#size} + ${frame.length} bytes exceeds maxBytes ${this.maxBytes}`);
    try {
      let off = 0;
      while (off < frame.length) off += (await fh.write(frame, off, frame.length - off, this.#size + off)).bytesWritten;
      if (sync || marker || type === WalRecordType.OWN_MESSAGE) await fh.datasync();
      this.#size += frame.length;
      if (marker) {
        this.#fh = undefined;
        await fh.close();
        await writeFileDurable(this.path, concat(header(), frame));
        this.#fh = await open(this.path, "r+");
        this.#size = WAL_HEADER_BYTES + frame.length;
        this.#replayFrom = this.#size;
        this.#lastEndHeight = decodeEndHeight(frame.subarray(9));
      }
    } catch (e) {
      this.#failed = e;
      throw new WalError("WAL_WRITE_FAILED", `appending to ${this.path} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The records after the last `END_HEIGHT` marker, in append order (those appended before the
   * call; run it before new appends). Reads the file afresh.
   * @throws WalError `WAL_CLOSED`; `fs` errors
   */
  async *replay(): AsyncIterable<WalRecord> {
    await this.#queue;
    if (this.#fh === undefined) throw new WalError("WAL_CLOSED", `${this.path} is closed`);
    const from = this.#replayFrom;
    const end = this.#size;
    const bytes = new Uint8Array(end - from);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await this.#fh.read(bytes, got, bytes.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const v = new DataView(bytes.buffer);
    for (let off = 0; off + WAL_FRAME_OVERHEAD <= got; ) {
      const len = v.getUint32(off, true);
      yield { type: bytes[off + 8] as WalRecordType, payload: bytes.slice(off + 9, off + 9 + len) };
      off += WAL_FRAME_OVERHEAD + len;
    }
  }

  /** Waits for pending appends, closes the file and releases the lock. Idempotent. */
  async close(): Promise<void> {
    await this.#queue;
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close();
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a, 0);
  r.set(b, a.length);
  return r;
}
