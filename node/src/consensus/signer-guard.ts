/**
 * Double-sign protection for a validator key (docs/node.md §Double-sign protection and the
 * consensus WAL; docs/consensus.md §6). Modelled on CometBFT's `privval` `FilePVLastSignState`
 * (`priv_validator_state.json`): the last signed height/round/step, the hash of the signed
 * message and the signature are kept in one small file, replaced durably *before* a new signature
 * is handed to the caller, so a signature can never leave the process without its record on disk.
 *
 * Rules for a request `(h, r, s)` against the last signed `(H, R, S)` (lexicographic order,
 * step `proposal 0 < prevote 1 < precommit 2`):
 * - lower → `DOUBLE_SIGN_REGRESSION`;
 * - equal and the same message hash → the stored signature again (idempotent re-sign after a
 *   restart, e.g. when the WAL replays our own vote); equal and another message (or no message
 *   recorded, after an operator reset) → `DOUBLE_SIGN_CONFLICT`;
 * - higher → sign, write the record (temp file, fsync, rename, fsync dir), then return.
 *
 * File `<dataDir>/validator-state.bin`, {@link VALIDATOR_STATE_BYTES} = 124 bytes, little-endian:
 *
 * | offset | bytes | field |
 * |---|---|---|
 * | 0   | 8  | magic, ASCII `BAIOS-VS` |
 * | 8   | 2  | u16 version = 1 |
 * | 10  | 1  | u8 step (0 proposal, 1 prevote, 2 precommit) |
 * | 11  | 1  | u8 flags: bit 0 = message hash and signature present (0 after an operator reset); other bits 0 |
 * | 12  | 4  | u32 round |
 * | 16  | 8  | u64 height |
 * | 24  | 32 | message hash (the 32-byte signed digest, docs/consensus.md §2.1; zeros when flag 0 is clear) |
 * | 56  | 64 | signature (Ed25519, 64 bytes; zeros when flag 0 is clear) |
 * | 120 | 4  | u32 CRC-32 (IEEE 802.3, `zlib.crc32`) of bytes 0..119 |
 *
 * A file of another size, magic, version, CRC, step or flags is *corrupt*: {@link SignerGuard.open}
 * throws `STATE_CORRUPT` and never resets it silently; recovery is {@link SignerGuard.resetState}
 * (docs/node.md). The file is guarded by the lock file `<path>.lock` (./file-lock.ts).
 * @module
 */
import { readFile, rename } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { writeFileDurable } from "./durable-file.ts";
import { acquireFileLock, type FileLock } from "./file-lock.ts";

/** The state file's name inside the data directory. */
export const VALIDATOR_STATE_FILE = "validator-state.bin";
/** Size of the state file (bytes). */
export const VALIDATOR_STATE_BYTES = 124;
/** Magic at offset 0 (ASCII `BAIOS-VS`). */
const MAGIC = new TextEncoder().encode("BAIOS-VS");
const VERSION = 1;
const FLAG_HAS_MESSAGE = 1;
const U64_MAX = (1n << 64n) - 1n;

/** The step of a signed consensus message, in signing order within a round. */
export const SignStep = { PROPOSAL: 0, PREVOTE: 1, PRECOMMIT: 2 } as const;
/** 0 proposal, 1 prevote, 2 precommit. */
export type SignStep = (typeof SignStep)[keyof typeof SignStep];

/** Height (u64), round (u32) and step of a message to sign. */
export interface HeightRoundStep {
  height: bigint;
  round: number;
  step: SignStep;
}

/** The last signed position with its message hash (32 bytes) and signature (64 bytes); both undefined after an operator reset. */
export interface SignedState extends HeightRoundStep {
  messageHash: Uint8Array | undefined;
  signature: Uint8Array | undefined;
}

/** Error codes of the guard and their meaning. */
export const SIGNER_GUARD_ERRORS = {
  DOUBLE_SIGN_REGRESSION: "request for a height/round/step below the last signed one",
  DOUBLE_SIGN_CONFLICT: "request for the last signed height/round/step with a different message (or after a reset, with any message)",
  STATE_CORRUPT: "the state file has a wrong size, magic, version, CRC, step or flags (never reset silently)",
  STATE_MISSING: "no state file and open() was called with create: false",
  STATE_LOCKED: "another process (or another guard in this process) holds the state file's lock",
  STATE_WRITE_FAILED: "persisting a new record failed; the guard refuses to sign until reopened",
  INVALID_REQUEST: "height, round, step or message hash out of range (u64, u32, 0..2, 32 bytes)",
  INVALID_SIGNATURE: "signFn returned something other than 64 bytes",
  CLOSED: "the guard was closed",
} as const;
/** A {@link SignerGuardError} code. */
export type SignerGuardErrorCode = keyof typeof SIGNER_GUARD_ERRORS;

/** A refused signing request or an unusable state file. `code` is stable, `reason` names the values involved. */
export class SignerGuardError extends Error {
  override name = "SignerGuardError";
  readonly code: SignerGuardErrorCode;
  readonly reason: string;
  constructor(code: SignerGuardErrorCode, reason: string, options?: ErrorOptions) {
    super(`${code}: ${reason}`, options);
    this.code = code;
    this.reason = reason;
  }
}

/** Lexicographic order of (height, round, step): negative, 0 or positive. */
export function compareHrs(a: HeightRoundStep, b: HeightRoundStep): number {
  if (a.height !== b.height) return a.height < b.height ? -1 : 1;
  if (a.round !== b.round) return a.round < b.round ? -1 : 1;
  return a.step - b.step;
}

const fmt = (x: HeightRoundStep): string => `(h=${x.height}, r=${x.round}, s=${x.step})`;

function checkHrs(x: HeightRoundStep): void {
  if (typeof x.height !== "bigint" || x.height < 0n || x.height > U64_MAX) throw new SignerGuardError("INVALID_REQUEST", `height ${String(x.height)} is not a u64`);
  if (!Number.isInteger(x.round) || x.round < 0 || x.round > 0xffffffff) throw new SignerGuardError("INVALID_REQUEST", `round ${x.round} is not a u32`);
  if (x.step !== 0 && x.step !== 1 && x.step !== 2) throw new SignerGuardError("INVALID_REQUEST", `step ${String(x.step)} is not 0, 1 or 2`);
}

/** Encodes a record (124 bytes, layout in the module doc). */
export function encodeValidatorState(s: SignedState): Uint8Array {
  checkHrs(s);
  const b = new Uint8Array(VALIDATOR_STATE_BYTES);
  const v = new DataView(b.buffer);
  b.set(MAGIC, 0);
  v.setUint16(8, VERSION, true);
  v.setUint8(10, s.step);
  const has = s.messageHash !== undefined && s.signature !== undefined;
  v.setUint8(11, has ? FLAG_HAS_MESSAGE : 0);
  v.setUint32(12, s.round, true);
  v.setBigUint64(16, s.height, true);
  if (has) {
    if (s.messageHash!.length !== 32 || s.signature!.length !== 64) throw new SignerGuardError("INVALID_REQUEST", "message hash must be 32 bytes and signature 64 bytes");
    b.set(s.messageHash!, 24);
    b.set(s.signature!, 56);
  }
  v.setUint32(120, crc32(b.subarray(0, 120)), true);
  return b;
}

/** Decodes a record. @throws SignerGuardError `STATE_CORRUPT` */
export function decodeValidatorState(b: Uint8Array): SignedState {
  const bad = (why: string): never => {
    throw new SignerGuardError("STATE_CORRUPT", why);
  };
  if (b.length !== VALIDATOR_STATE_BYTES) bad(`size ${b.length} bytes, expected ${VALIDATOR_STATE_BYTES}`);
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  if (!MAGIC.every((x, i) => b[i] === x)) bad("bad magic (not a BAIOS validator state file)");
  if (v.getUint16(8, true) !== VERSION) bad(`version ${v.getUint16(8, true)}, this node reads ${VERSION}`);
  if (v.getUint32(120, true) !== crc32(b.subarray(0, 120))) bad("CRC-32 mismatch");
  const step = v.getUint8(10);
  if (step > 2) bad(`step ${step}`);
  const flags = v.getUint8(11);
  if ((flags & ~FLAG_HAS_MESSAGE) !== 0) bad(`flags ${flags}`);
  const has = flags === FLAG_HAS_MESSAGE;
  return {
    height: v.getBigUint64(16, true),
    round: v.getUint32(12, true),
    step: step as SignStep,
    messageHash: has ? b.slice(24, 56) : undefined,
    signature: has ? b.slice(56, 120) : undefined,
  };
}

const lockPathOf = (path: string): string => `${path}.lock`;
const lockedError = (path: string) => (pid: number) =>
  new SignerGuardError("STATE_LOCKED", `${path} is in use by ${pid === process.pid ? "this process (already open)" : pid > 0 ? `process ${pid}` : "another process"}; one process per validator key`);

/** Reads the state file: the record, `undefined` when there is none. @throws SignerGuardError `STATE_CORRUPT` */
async function readState(path: string): Promise<SignedState | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    return decodeValidatorState(bytes);
  } catch (e) {
    if (e instanceof SignerGuardError) throw new SignerGuardError("STATE_CORRUPT", `${path}: ${e.reason}; see docs/node.md §Double-sign protection for the recovery`);
    throw e;
  }
}

const copy = (s: SignedState): SignedState => ({ ...s, messageHash: s.messageHash?.slice(), signature: s.signature?.slice() });

/**
 * The double-sign guard of one validator key. Single writer: holds `<path>.lock` from
 * {@link open} to {@link close}. Requests are serialised in call order.
 */
export class SignerGuard {
  readonly path: string;
  #lock: FileLock | undefined;
  #last: SignedState | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #failed: unknown;

  private constructor(path: string, lock: FileLock, last: SignedState | undefined) {
    this.path = path;
    this.#lock = lock;
    this.#last = last;
  }

  /**
   * Takes the lock and reads the state file at `path` (normally `<dataDir>/validator-state.bin`),
   * creating the parent directory if needed. A missing file means "nothing signed yet" unless
   * `create` is false. Nothing is written until the first signature.
   * @throws SignerGuardError `STATE_LOCKED`, `STATE_CORRUPT`, `STATE_MISSING`; `fs` errors
   */
  static async open(path: string, opts: { create?: boolean } = {}): Promise<SignerGuard> {
    mkdirSync(dirname(path), { recursive: true });
    const lock = await acquireFileLock(lockPathOf(path), lockedError(path));
    try {
      const last = await readState(path);
      if (last === undefined && opts.create === false) throw new SignerGuardError("STATE_MISSING", `${path} does not exist`);
      return new SignerGuard(path, lock, last);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /**
   * Operator recovery for a corrupt or lost state file (docs/node.md): writes a record "signed
   * up to `hrs`, message unknown", so every request at or below `hrs` is refused. A corrupt file
   * is kept as `<path>.corrupt-<ms since epoch>`. Takes the lock; the node must be stopped.
   * @throws SignerGuardError `DOUBLE_SIGN_REGRESSION` when a readable record is already above
   *   `hrs` (it is never lowered), `STATE_LOCKED`, `INVALID_REQUEST`
   */
  static async resetState(path: string, hrs: HeightRoundStep): Promise<void> {
    checkHrs(hrs);
    mkdirSync(dirname(path), { recursive: true });
    const lock = await acquireFileLock(lockPathOf(path), lockedError(path));
    try {
      let current: SignedState | undefined;
      try {
        current = await readState(path);
      } catch (e) {
        if (!(e instanceof SignerGuardError && e.code === "STATE_CORRUPT")) throw e;
        await rename(path, `${path}.corrupt-${Date.now()}`);
      }
      if (current !== undefined && compareHrs(current, hrs) > 0) throw new SignerGuardError("DOUBLE_SIGN_REGRESSION", `the record ${fmt(current)} is above ${fmt(hrs)}; it is never lowered`);
      await writeFileDurable(path, encodeValidatorState({ ...hrs, messageHash: undefined, signature: undefined }));
    } finally {
      await lock.release();
    }
  }

  /** The last signed state (a copy), or `undefined` when nothing was signed with this file. */
  get last(): SignedState | undefined {
    return this.#last === undefined ? undefined : copy(this.#last);
  }

  /**
   * Signs `messageHash` (32 bytes) at `hrs` through `signFn` if the rules in the module doc allow
   * it, and returns the 64-byte signature only after the new record is durable.
   * @throws SignerGuardError `DOUBLE_SIGN_REGRESSION`, `DOUBLE_SIGN_CONFLICT`, `INVALID_REQUEST`,
   *   `INVALID_SIGNATURE`, `STATE_WRITE_FAILED` (also for every later call), `CLOSED`; whatever
   *   `signFn` throws (the state is then unchanged)
   */
  sign(hrs: HeightRoundStep, messageHash: Uint8Array, signFn: () => Uint8Array): Promise<Uint8Array> {
    const req = { height: hrs.height, round: hrs.round, step: hrs.step };
    const hash = messageHash.slice();
    const run = this.#queue.then(() => this.#sign(req, hash, signFn));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sign(hrs: HeightRoundStep, hash: Uint8Array, signFn: () => Uint8Array): Promise<Uint8Array> {
    if (this.#lock === undefined) throw new SignerGuardError("CLOSED", `${this.path} guard is closed`);
    if (this.#failed !== undefined) throw new SignerGuardError("STATE_WRITE_FAILED", `an earlier write of ${this.path} failed; reopen the guard`, { cause: this.#failed });
    checkHrs(hrs);
    if (hash.length !== 32) throw new SignerGuardError("INVALID_REQUEST", `message hash is ${hash.length} bytes, expected 32`);
    const last = this.#last;
    if (last !== undefined) {
      const c = compareHrs(hrs, last);
      if (c < 0) throw new SignerGuardError("DOUBLE_SIGN_REGRESSION", `${fmt(hrs)} is below the last signed ${fmt(last)}`);
      if (c === 0) {
        if (last.messageHash !== undefined && last.signature !== undefined && last.messageHash.every((x, i) => x === hash[i])) return last.signature.slice();
        throw new SignerGuardError("DOUBLE_SIGN_CONFLICT", `${fmt(hrs)} was already signed ${last.messageHash === undefined ? "(message unknown after a reset)" : "for another message"}`);
      }
    }
    const sig = signFn();
    if (!(sig instanceof Uint8Array) || sig.length !== 64) throw new SignerGuardError("INVALID_SIGNATURE", `signFn returned ${sig instanceof Uint8Array ? `${sig.length} bytes` : typeof sig}, expected 64 bytes`);
    const next: SignedState = { ...hrs, messageHash: hash, signature: sig.slice() };
    try {
      await writeFileDurable(this.path, encodeValidatorState(next));
    } catch (e) {
      this.#failed = e;
      throw new SignerGuardError("STATE_WRITE_FAILED", `writing ${this.path} failed: ${(e as Error).message}`, { cause: e });
    }
    this.#last = next;
    return next.signature!.slice();
  }

  /** Waits for pending requests, then releases the lock. Idempotent; later `sign` calls throw `CLOSED`. */
  async close(): Promise<void> {
    await this.#queue;
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }
}
