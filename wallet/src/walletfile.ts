/**
 * The encrypted wallet file (docs/wallet.md §3).
 *
 * A JSON envelope:
 * ```json
 * { "format": "baios-wallet", "version": 1,
 *   "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "dkLen": 32, "salt": "<32 bytes hex>" },
 *   "cipher": { "name": "xchacha20poly1305", "nonce": "<24 bytes hex>" },
 *   "ciphertext": "<base64>" }
 * ```
 * key = scrypt(password, salt, N = 2^17, r = 8, p = 1) (128 MiB, ~0.5 s), then XChaCha20-Poly1305
 * with a random 24-byte nonce; the associated data is the envelope without `ciphertext`, so a
 * changed KDF parameter or nonce fails authentication like a wrong password does. A fresh nonce
 * is drawn on every save; a fresh salt (and key) on every {@link writeWalletFile} and whenever a
 * wallet is saved under a new path, password or cost ({@link FileKey} is reused between the
 * saves of one open wallet so that saving after every state change stays cheap). The file is
 * written atomically (temp file + rename), mode 0600, in a directory created 0700.
 *
 * The envelope's structure is validated with a valibot schema before any key is derived, so a
 * damaged file says what is wrong ("wallet file is corrupt: `kdf.salt` is missing"); every
 * failure of {@link decryptWallet} is a {@link WalletFileError}.
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { scryptSync } from "node:crypto";
import { randomBytes } from "@noble/hashes/utils.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import * as v from "valibot";
import { bytesToHex, hexToBytes } from "./hex.ts";

/** scrypt cost parameters (RFC 7914 §2) of the wallet-file KDF; the derived key is always 32 bytes. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two (files accept 2..2^22; default 2^17). */
  N: number;
  /** Block size (files accept 1..32; default 8); memory ≈ 128·N·r bytes. */
  r: number;
  /** Parallelization (files accept 1..16; default 1). */
  p: number;
}
/** Default KDF cost: scrypt N = 2^17, r = 8, p = 1 (128 MiB of memory). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** A cheap cost for tests and throw-away devnet wallets only. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
/** Largest scrypt memory (128·N·r bytes) a wallet file may ask for: 1 GiB. */
export const MAX_SCRYPT_MEMORY = 2 ** 30;

/** Why a wallet file cannot be used ({@link WalletFileError.code}). */
export type WalletFileErrorCode =
  /** The file's structure is damaged (not JSON, a field missing or of the wrong shape, a bad state). */
  | "CORRUPT"
  /** A format, version or KDF parameter this code does not support. */
  | "UNSUPPORTED"
  /** Authentication failed: wrong password, or the ciphertext, nonce or a KDF parameter was changed. */
  | "WRONG_PASSWORD"
  /** Another process holds the wallet file's lock (src/lock.ts). */
  | "IN_USE"
  /** This process lost the lock (it went stale and another process took it), so it must not write. */
  | "LOCK_LOST";

/**
 * A wallet file cannot be used: `code` says why ({@link WalletFileErrorCode}) and the message
 * names what is wrong, e.g. "wallet file is corrupt: `kdf.salt` is missing",
 * "wrong password or corrupted wallet file", "wallet file is in use by another process".
 */
export class WalletFileError extends Error {
  override name = "WalletFileError";
  readonly code: WalletFileErrorCode;
  constructor(code: WalletFileErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const hexBytes = (n: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${2 * n}}$`), `must be ${n} bytes of lowercase hex`));

/** The envelope's schema (docs/wallet.md §3). Unknown extra fields are refused too. */
const EnvelopeSchema = v.strictObject({
  format: v.literal("baios-wallet", 'must be "baios-wallet"'),
  version: v.number("must be a number"),
  kdf: v.strictObject({
    name: v.literal("scrypt", 'must be "scrypt"'),
    N: v.pipe(v.number("must be a number"), v.integer("must be an integer")),
    r: v.pipe(v.number("must be a number"), v.integer("must be an integer")),
    p: v.pipe(v.number("must be a number"), v.integer("must be an integer")),
    dkLen: v.literal(32, "must be 32"),
    salt: hexBytes(32),
  }),
  cipher: v.strictObject({
    name: v.literal("xchacha20poly1305", 'must be "xchacha20poly1305"'),
    nonce: hexBytes(24),
  }),
  ciphertext: v.pipe(v.string("must be a string"), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"), v.minLength(16, "is too short (no authentication tag)")),
});
type Envelope = v.InferOutput<typeof EnvelopeSchema>;
type Kdf = Envelope["kdf"];

/** "`a.b` is missing" / "`a.b` must be …" for the first valibot issue. */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = (issue.path ?? []).map((p) => String(p.key)).join(".");
  const where = path === "" ? "the file" : `\`${path}\``;
  if (issue.received === "undefined") return `${where} is missing`;
  if (issue.type === "strict_object" && issue.expected === "never") return `unexpected field ${where}`;
  return `${where} ${issue.message.startsWith("Invalid") ? `is invalid (expected ${issue.expected ?? "?"}, got ${issue.received})` : issue.message}`;
}

/** A derived file key: the envelope's `kdf` (with its salt) and the 32-byte scrypt output. Secret. */
export interface FileKey {
  kdf: Kdf;
  key: Uint8Array;
}

const headerBytes = (kdf: Kdf, nonce: string): Uint8Array =>
  new TextEncoder().encode(JSON.stringify({ format: "baios-wallet", version: 1, kdf, cipher: { name: "xchacha20poly1305", nonce } }));

function checkCost(N: number, r: number, p: number): void {
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 22 || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r > MAX_SCRYPT_MEMORY) {
    throw new WalletFileError("UNSUPPORTED", `wallet file has unsupported KDF parameters (N ${N}, r ${r}, p ${p})`);
  }
}

function scryptKey(password: string, kdf: Kdf): Uint8Array {
  // node:crypto's scrypt (OpenSSL, RFC 7914): the same bytes as @noble/hashes' scrypt (checked in
  // walletfile.test.ts), ~25% faster, which matters once per wallet command (docs/wallet.md §3)
  const key = scryptSync(Buffer.from(password.normalize("NFKC"), "utf8"), hexToBytes(kdf.salt), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: MAX_SCRYPT_MEMORY + 2 ** 20 });
  return new Uint8Array(key.buffer, key.byteOffset, key.length);
}

/** Derives a new {@link FileKey} (fresh 32-byte salt) for `password` at cost `params`. @throws WalletFileError `UNSUPPORTED` for a cost outside the accepted range */
export function newFileKey(password: string, params: ScryptParams = DEFAULT_SCRYPT): FileKey {
  checkCost(params.N, params.r, params.p);
  const kdf: Kdf = { name: "scrypt", N: params.N, r: params.r, p: params.p, dkLen: 32, salt: bytesToHex(randomBytes(32)) };
  return { kdf, key: scryptKey(password, kdf) };
}

/** Encrypts `plaintext` under an already derived key with a fresh nonce; returns the file text. */
export function encryptWithKey(plaintext: Uint8Array, fk: FileKey): string {
  const nonce = bytesToHex(randomBytes(24));
  const ct = xchacha20poly1305(fk.key, hexToBytes(nonce), headerBytes(fk.kdf, nonce)).encrypt(plaintext);
  const env: Envelope = { format: "baios-wallet", version: 1, kdf: fk.kdf, cipher: { name: "xchacha20poly1305", nonce }, ciphertext: Buffer.from(ct).toString("base64") };
  return JSON.stringify(env, null, 2) + "\n";
}

/** Encrypts `plaintext` under `password` with a fresh salt and nonce; returns the file text. */
export function encryptWallet(plaintext: Uint8Array, password: string, params: ScryptParams = DEFAULT_SCRYPT): string {
  const fk = newFileKey(password, params);
  try {
    return encryptWithKey(plaintext, fk);
  } finally {
    fk.key.fill(0);
  }
}

/**
 * Validates the envelope (structure first, then format, version and KDF cost), derives the key and
 * decrypts. Returns the plaintext and the derived key (for cheap re-saves).
 * @throws WalletFileError `CORRUPT` (not JSON, a field missing, of the wrong type or shape),
 *   `UNSUPPORTED` (another version, a KDF cost outside N 2..2^22, r 1..32, p 1..16, 1 GiB),
 *   `WRONG_PASSWORD` (authentication failed); never anything else
 */
export function openWalletText(fileText: string, password: string): { plaintext: Uint8Array; fileKey: FileKey } {
  let raw: unknown;
  try {
    raw = JSON.parse(fileText);
  } catch {
    throw new WalletFileError("CORRUPT", "wallet file is corrupt: not JSON");
  }
  const parsed = v.safeParse(EnvelopeSchema, raw);
  if (!parsed.success) throw new WalletFileError("CORRUPT", `wallet file is corrupt: ${describeIssue(parsed.issues[0])}`);
  const env = parsed.output;
  if (env.version !== 1) throw new WalletFileError("UNSUPPORTED", `unsupported wallet file version ${env.version}`);
  checkCost(env.kdf.N, env.kdf.r, env.kdf.p);
  let key: Uint8Array;
  try {
    key = scryptKey(password, env.kdf);
  } catch (e) {
    throw new WalletFileError("UNSUPPORTED", `wallet file has unsupported KDF parameters: ${(e as Error).message}`);
  }
  try {
    const plaintext = xchacha20poly1305(key, hexToBytes(env.cipher.nonce), headerBytes(env.kdf, env.cipher.nonce)).decrypt(new Uint8Array(Buffer.from(env.ciphertext, "base64")));
    return { plaintext, fileKey: { kdf: env.kdf, key } };
  } catch {
    key.fill(0);
    throw new WalletFileError("WRONG_PASSWORD", "wrong password or corrupted wallet file");
  }
}

/** Decrypts file text ({@link openWalletText} without the key). @throws WalletFileError only */
export function decryptWallet(fileText: string, password: string): Uint8Array {
  const { plaintext, fileKey } = openWalletText(fileText, password);
  fileKey.key.fill(0);
  return plaintext;
}

/** Creates the directory that holds `path` (and missing parents) with mode 0700, the wallet directory (docs/wallet.md §3). Existing directories are left as they are. */
export function ensureWalletDir(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
}

/** Writes file text atomically: temp file `<path>.tmp-<pid>` with mode 0600, then rename; creates a missing directory 0700. @throws Node fs errors */
export function writeWalletText(path: string, text: string): void {
  ensureWalletDir(path);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Encrypts `plaintext` ({@link encryptWallet}, fresh salt and nonce) and writes it atomically ({@link writeWalletText}). @throws Node fs errors; WalletFileError `UNSUPPORTED` for a bad cost */
export function writeWalletFile(path: string, plaintext: Uint8Array, password: string, params: ScryptParams = DEFAULT_SCRYPT): void {
  writeWalletText(path, encryptWallet(plaintext, password, params));
}

/** Reads and decrypts a wallet file ({@link decryptWallet}). @throws WalletFileError on a wrong password, a tampered file or a bad format; Node fs errors (e.g. ENOENT) */
export function readWalletFile(path: string, password: string): Uint8Array {
  return decryptWallet(readFileSync(path, "utf8"), password);
}
