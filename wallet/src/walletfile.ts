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
 * changed KDF parameter or nonce fails authentication like a wrong password does. A new salt and
 * nonce are drawn on every save. The file is written atomically (temp file + rename), mode 0600.
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { scrypt } from "@noble/hashes/scrypt.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
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

interface Envelope {
  format: "baios-wallet";
  version: 1;
  kdf: { name: "scrypt"; N: number; r: number; p: number; dkLen: 32; salt: string };
  cipher: { name: "xchacha20poly1305"; nonce: string };
  ciphertext?: string;
}

/** A wallet file cannot be decrypted: not JSON, unknown format or version, unsupported KDF parameters, or failed authentication ("wrong password or corrupted wallet file"). */
export class WalletFileError extends Error {
  override name = "WalletFileError";
}

const headerBytes = (e: Envelope): Uint8Array =>
  new TextEncoder().encode(JSON.stringify({ format: e.format, version: e.version, kdf: e.kdf, cipher: e.cipher }));

function deriveKey(password: string, kdf: Envelope["kdf"]): Uint8Array {
  return scrypt(password.normalize("NFKC"), hexToBytes(kdf.salt), { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32, maxmem: 2 ** 31 });
}

/** Encrypts `plaintext` under `password`; returns the file text. */
export function encryptWallet(plaintext: Uint8Array, password: string, params: ScryptParams = DEFAULT_SCRYPT): string {
  const env: Envelope = {
    format: "baios-wallet",
    version: 1,
    kdf: { name: "scrypt", N: params.N, r: params.r, p: params.p, dkLen: 32, salt: bytesToHex(randomBytes(32)) },
    cipher: { name: "xchacha20poly1305", nonce: bytesToHex(randomBytes(24)) },
  };
  const key = deriveKey(password, env.kdf);
  const ct = xchacha20poly1305(key, hexToBytes(env.cipher.nonce), headerBytes(env)).encrypt(plaintext);
  key.fill(0);
  env.ciphertext = Buffer.from(ct).toString("base64");
  return JSON.stringify(env, null, 2) + "\n";
}

/** Decrypts file text. @throws WalletFileError on a wrong password, a tampered file or a bad format */
export function decryptWallet(fileText: string, password: string): Uint8Array {
  let env: Envelope;
  try {
    env = JSON.parse(fileText) as Envelope;
  } catch {
    throw new WalletFileError("not a wallet file (invalid JSON)");
  }
  if (env.format !== "baios-wallet" || env.version !== 1 || env.kdf?.name !== "scrypt" || env.cipher?.name !== "xchacha20poly1305" || typeof env.ciphertext !== "string") {
    throw new WalletFileError("not a baios wallet file (unknown format or version)");
  }
  const { N, r, p } = env.kdf;
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 22 || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new WalletFileError("wallet file has unsupported KDF parameters");
  }
  const key = deriveKey(password, env.kdf);
  try {
    return xchacha20poly1305(key, hexToBytes(env.cipher.nonce), headerBytes(env)).decrypt(new Uint8Array(Buffer.from(env.ciphertext, "base64")));
  } catch {
    throw new WalletFileError("wrong password or corrupted wallet file");
  } finally {
    key.fill(0);
  }
}

/** Encrypts `plaintext` ({@link encryptWallet}) and writes it atomically: temp file `<path>.tmp-<pid>` with mode 0600, then rename. @throws Node fs errors (e.g. ENOENT when the directory is missing) */
export function writeWalletFile(path: string, plaintext: Uint8Array, password: string, params: ScryptParams = DEFAULT_SCRYPT): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, encryptWallet(plaintext, password, params), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Reads and decrypts a wallet file ({@link decryptWallet}). @throws WalletFileError on a wrong password, a tampered file or a bad format; Node fs errors (e.g. ENOENT) */
export function readWalletFile(path: string, password: string): Uint8Array {
  return decryptWallet(readFileSync(path, "utf8"), password);
}
