/**
 * `@baios/crypto`: typed functions over the BAIOS cryptography core (Rust → WebAssembly).
 *
 * Only bytes and numbers cross the WebAssembly boundary. Every function checks lengths first,
 * then calls the core; a rejection becomes a {@link CryptoError} with a stable `code`
 * (docs/crypto.md §9). Scalars and points are 32-byte `Uint8Array`s (canonical ristretto255 and
 * little-endian scalar encodings, RFC 9496 §4.3); amounts and nonces are `bigint` u64 (amounts in
 * atomic units, 1 BAI = 10^8).
 *
 * Randomness: functions that need it take an optional 32-byte `seed`. Without it the core uses
 * getrandom's JS source (crypto.getRandomValues); with it, a ChaCha20 RNG seeded from it, which
 * makes test vectors reproducible. Never pass a seed in production.
 *
 * The module is synchronous and self-contained: it loads the WebAssembly when imported, so each
 * worker thread that imports it gets its own instance (see `crypto-wasm/test/worker-threads.test.ts`).
 * @module
 */
import { createRequire } from "node:module";
import { assertBytes, assertU64, CryptoError, fromWasmError } from "./errors.ts";

export { CryptoError, CRYPTO_ERROR_CODES, type CryptoErrorCode } from "./errors.ts";

/** The raw wasm-bindgen exports (generated into ../pkg by `scripts/build-wasm`). */
type Wasm = typeof import("../pkg/baios_crypto.js");
const require = createRequire(import.meta.url);
const wasm: Wasm = require("../pkg/baios_crypto.js") as Wasm;

/** Calls into WebAssembly, mapping core errors to {@link CryptoError}. */
function call<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fromWasmError(e);
  }
}

const concat = (what: string, items: readonly Uint8Array[], size: number): Uint8Array => {
  const out = new Uint8Array(items.length * size);
  items.forEach((x, i) => {
    assertBytes(`${what}[${i}]`, x, size);
    out.set(x, i * size);
  });
  return out;
};
const split = (bytes: Uint8Array, size: number): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
};
const seedArg = (seed: Uint8Array | undefined): Uint8Array | undefined => {
  if (seed !== undefined) assertBytes("seed", seed, 32);
  return seed;
};

/** Byte length of a scalar and of a point encoding. */
export const SCALAR_BYTES = 32;
/** Byte length of a ristretto255 point encoding. */
export const POINT_BYTES = 32;
/** Byte length of an MLSAG signature for a ring of `n`: `32 + 64·n` (docs/crypto.md §5). */
export const mlsagSignatureBytes = (n: number): number => 32 + 64 * n;

// ---------------------------------------------------------------- scalars, points, hashing

/** A uniformly random scalar (32 bytes). */
export function randomScalar(seed?: Uint8Array): Uint8Array {
  return call(() => wasm.scalar_random(seedArg(seed)));
}
/** Throws `NON_CANONICAL_SCALAR` / `INVALID_LENGTH` unless `s` is a canonical scalar. */
export function checkScalar(s: Uint8Array): void {
  assertBytes("scalar", s, 32);
  call(() => wasm.scalar_check(s));
}
/**
 * Throws `INVALID_POINT` / `INVALID_LENGTH` unless `p` is a canonical ristretto255 encoding, and
 * `IDENTITY_POINT` if it is the identity and `allowIdentity` is false (the default).
 */
export function checkPoint(p: Uint8Array, allowIdentity = false): void {
  assertBytes("point", p, 32);
  call(() => wasm.point_check(p, allowIdentity));
}
/** `a + b mod ℓ`. @throws CryptoError on non-canonical input */
export function scalarAdd(a: Uint8Array, b: Uint8Array): Uint8Array {
  return call(() => wasm.scalar_add(a, b));
}
/** `a − b mod ℓ`. @throws CryptoError on non-canonical input */
export function scalarSub(a: Uint8Array, b: Uint8Array): Uint8Array {
  return call(() => wasm.scalar_sub(a, b));
}
/** `s·G` for the ristretto255 base point G. @throws CryptoError */
export function scalarMultBase(s: Uint8Array): Uint8Array {
  return call(() => wasm.scalar_mult_base(s));
}
/** `s·P`. @throws CryptoError on a bad scalar or point */
export function scalarMult(s: Uint8Array, p: Uint8Array): Uint8Array {
  return call(() => wasm.scalar_mult(s, p));
}
/** `P + Q`. @throws CryptoError */
export function pointAdd(p: Uint8Array, q: Uint8Array): Uint8Array {
  return call(() => wasm.point_add(p, q));
}
/** `P − Q`. @throws CryptoError */
export function pointSub(p: Uint8Array, q: Uint8Array): Uint8Array {
  return call(() => wasm.point_sub(p, q));
}
/**
 * `H64(tag, data)`: SHA-512 over `u8(len(tag)) ‖ tag ‖ data` (docs/crypto.md §2), 64 bytes.
 * The one hashing helper of the chain; consensus hashes use its first 32 bytes ({@link h32}).
 */
export function h64(tag: string, data: Uint8Array): Uint8Array {
  return call(() => wasm.h64(new TextEncoder().encode(tag), data));
}
/** The first 32 bytes of {@link h64}: the chain's 32-byte hash (tx ids, block hashes, roots). */
export function h32(tag: string, data: Uint8Array): Uint8Array {
  return h64(tag, data).slice(0, 32);
}
/** `Hs(tag, data)`: {@link h64} reduced mod ℓ (32-byte scalar). */
export function hashToScalar(tag: string, data: Uint8Array): Uint8Array {
  return call(() => wasm.hash_to_scalar(new TextEncoder().encode(tag), data));
}
/** RFC 9380 hash_to_ristretto255 with expand_message_xmd(SHA-512). @throws `INVALID_DST` */
export function hashToPoint(dst: string, msg: Uint8Array): Uint8Array {
  return call(() => wasm.hash_to_point(new TextEncoder().encode(dst), msg));
}

// ---------------------------------------------------------------- Pedersen commitments

/** The value generator H (docs/crypto.md §3), 32 bytes. */
export function generatorH(): Uint8Array {
  return wasm.generator_h();
}
/** `C = mask·G + value·H`; `value` in atomic units. @throws CryptoError on a bad mask */
export function commit(value: bigint, mask: Uint8Array): Uint8Array {
  assertU64("value", value);
  assertBytes("mask", mask, 32);
  return call(() => wasm.pedersen_commit(value, mask));
}
/**
 * The balance check `Σ pseudoOuts == Σ outputs + fee·H` (docs/crypto.md §3).
 * @returns whether it balances
 * @throws CryptoError when an encoding is invalid or the identity
 */
export function balanceCheck(pseudoOuts: readonly Uint8Array[], outputs: readonly Uint8Array[], fee: bigint): boolean {
  assertU64("fee", fee);
  return call(() => wasm.balance_check(concat("pseudoOuts", pseudoOuts, 32), concat("outputs", outputs, 32), fee));
}

// ---------------------------------------------------------------- keys and stealth addresses

/** A wallet's keys (docs/crypto.md §4): secrets a, b and the address (A, B). 32 bytes each. */
export interface WalletKeys {
  viewSecret: Uint8Array;
  spendSecret: Uint8Array;
  viewPublic: Uint8Array;
  spendPublic: Uint8Array;
}
/** Derives the wallet keys from a 32-byte seed: `b = Hs(spend-key, seed)`, `a = Hs(view-key, b)`. */
export function walletKeysFromSeed(seed: Uint8Array): WalletKeys {
  assertBytes("seed", seed, 32);
  const k = call(() => wasm.wallet_keys_from_seed(seed));
  return { viewSecret: k.slice(0, 32), spendSecret: k.slice(32, 64), viewPublic: k.slice(64, 96), spendPublic: k.slice(96, 128) };
}

/** One output as the sender makes it (docs/crypto.md §4). */
export interface MadeOutput {
  /** One-time address `P = s·G + B` (32 bytes). */
  oneTimeKey: Uint8Array;
  /** `C = y·G + v·H` (32 bytes). */
  commitment: Uint8Array;
  /** View tag, 0..255. */
  viewTag: number;
  /** Amount XOR mask (8 bytes). */
  encryptedAmount: Uint8Array;
  /** The commitment mask y (32 bytes), needed by the sender for balance and range proof. */
  mask: Uint8Array;
}
/**
 * Makes output `index` of a transaction with tx secret key `r` to address `(A, B)`.
 * @throws CryptoError on invalid keys (identity, non-canonical)
 */
export function makeOutput(txSecret: Uint8Array, viewPublic: Uint8Array, spendPublic: Uint8Array, index: number, amount: bigint): MadeOutput {
  assertBytes("txSecret", txSecret, 32);
  assertBytes("viewPublic", viewPublic, 32);
  assertBytes("spendPublic", spendPublic, 32);
  assertU64("amount", amount);
  const o = call(() => wasm.make_output(txSecret, viewPublic, spendPublic, BigInt(index), amount));
  return { oneTimeKey: o.slice(0, 32), commitment: o.slice(32, 64), viewTag: o[64] ?? 0, encryptedAmount: o.slice(65, 73), mask: o.slice(73, 105) };
}

/** An output as it appears on chain, for scanning. */
export interface ChainOutput {
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  viewTag: number;
  encryptedAmount: Uint8Array;
}
/** An output a wallet found to be its own. */
export interface OwnedOutput {
  /** Position of the output in its transaction. */
  index: number;
  /** Amount in atomic units. */
  amount: bigint;
  /** Commitment mask y (32 bytes). */
  mask: Uint8Array;
}
/**
 * Scans one transaction's outputs with the view secret `a` and spend public key `B` (works for
 * a view-only wallet). Computes `D = a·R` once, then per output checks the view tag (one hash)
 * before the full derivation unless `useViewTags` is false; an output is reported only when
 * `P − s·G == B` and the decrypted amount opens the commitment.
 * @throws CryptoError when `a`, `B` or `R` is invalid
 */
export function scanOutputs(viewSecret: Uint8Array, spendPublic: Uint8Array, txPublic: Uint8Array, outputs: readonly ChainOutput[], useViewTags = true): OwnedOutput[] {
  assertBytes("viewSecret", viewSecret, 32);
  assertBytes("spendPublic", spendPublic, 32);
  assertBytes("txPublic", txPublic, 32);
  const packed = new Uint8Array(outputs.length * 73);
  outputs.forEach((o, i) => {
    assertBytes("oneTimeKey", o.oneTimeKey, 32);
    assertBytes("commitment", o.commitment, 32);
    assertBytes("encryptedAmount", o.encryptedAmount, 8);
    packed.set(o.oneTimeKey, i * 73);
    packed.set(o.commitment, i * 73 + 32);
    packed[i * 73 + 64] = o.viewTag;
    packed.set(o.encryptedAmount, i * 73 + 65);
  });
  const r = call(() => wasm.scan_outputs(viewSecret, spendPublic, txPublic, packed, useViewTags));
  const found: OwnedOutput[] = [];
  const view = new DataView(r.buffer, r.byteOffset, r.byteLength);
  for (let off = 0; off < r.length; off += 44) {
    found.push({ index: view.getUint32(off, true), amount: view.getBigUint64(off + 4, true), mask: r.slice(off + 12, off + 44) });
  }
  return found;
}
/** The one-time secret `x = s + b` of output `index` (32 bytes). @throws CryptoError */
export function oneTimeSecret(viewSecret: Uint8Array, spendSecret: Uint8Array, txPublic: Uint8Array, index: number): Uint8Array {
  return call(() => wasm.one_time_secret(viewSecret, spendSecret, txPublic, BigInt(index)));
}

/**
 * View tag (0..255) of output `index` for the shared point `D` (`a·R` or `r·A`), docs/crypto.md §4.
 * @throws CryptoError when `D` is not a valid encoding
 */
export function viewTag(sharedPoint: Uint8Array, index: number): number {
  return call(() => wasm.view_tag(sharedPoint, BigInt(index)));
}
/**
 * Ownership check given the shared point `D` (`a·R` for the receiver, `r·A` for a sender's
 * payment proof): returns `s_i` (32 bytes) when `P − s_i·G == B`, else `undefined`. Works for
 * public-amount outputs (coinbase, premine) too.
 * @throws CryptoError on invalid encodings
 */
export function matchOutput(sharedPoint: Uint8Array, spendPublic: Uint8Array, index: number, oneTimeKey: Uint8Array): Uint8Array | undefined {
  const s = call(() => wasm.match_output(sharedPoint, spendPublic, BigInt(index), oneTimeKey));
  return s.length === 32 ? s : undefined;
}
/**
 * Decrypts an 8-byte encrypted amount with `s_i` and checks that it opens `commitment`.
 * @returns the amount (atomic units) and mask `y_i`, or `undefined` when it does not open
 * @throws CryptoError on invalid encodings
 */
export function openAmount(derivationScalar: Uint8Array, encryptedAmount: Uint8Array, commitment: Uint8Array): { amount: bigint; mask: Uint8Array } | undefined {
  const r = call(() => wasm.open_amount(derivationScalar, encryptedAmount, commitment));
  if (r.length !== 40) return undefined;
  return { amount: new DataView(r.buffer, r.byteOffset, 8).getBigUint64(0, true), mask: r.slice(8, 40) };
}

// ---------------------------------------------------------------- key images and MLSAG

/** Key image `I = x·Hp(P)` (32 bytes, docs/crypto.md §5). @throws CryptoError */
export function keyImage(oneTimeSecret: Uint8Array, oneTimeKey: Uint8Array): Uint8Array {
  return call(() => wasm.key_image(oneTimeSecret, oneTimeKey));
}
/** What an MLSAG signs over: the ring, the pseudo-output and the message (32 bytes). */
export interface MlsagRing {
  message: Uint8Array;
  ringKeys: readonly Uint8Array[];
  ringCommitments: readonly Uint8Array[];
  pseudoOut: Uint8Array;
}
/**
 * Signs with the ring member at `secretIndex`: `x` is its one-time secret, `z` the difference
 * of masks (real input mask − pseudo-output mask). Signature: `32 + 64·n` bytes.
 * @throws CryptoError `SIGNER_INDEX`, `SIGNER_MISMATCH`, `RING_SIZE`, encoding errors
 */
export function mlsagSign(ring: MlsagRing, secretIndex: number, x: Uint8Array, z: Uint8Array, seed?: Uint8Array): Uint8Array {
  return call(() =>
    wasm.mlsag_sign(ring.message, concat("ringKeys", ring.ringKeys, 32), concat("ringCommitments", ring.ringCommitments, 32), ring.pseudoOut, secretIndex, x, z, seedArg(seed)),
  );
}
/**
 * Verifies an MLSAG (docs/crypto.md §5).
 * @throws CryptoError `INVALID_SIGNATURE`, `DUPLICATE_RING_MEMBER`, `RING_SIZE`, `IDENTITY_POINT`, …
 */
export function mlsagVerify(ring: MlsagRing, keyImage: Uint8Array, signature: Uint8Array): void {
  call(() => wasm.mlsag_verify(ring.message, concat("ringKeys", ring.ringKeys, 32), concat("ringCommitments", ring.ringCommitments, 32), ring.pseudoOut, keyImage, signature));
}
/**
 * {@link mlsagVerify} without this instance's ring-member cache, whatever its configuration
 * (for comparisons and benchmarks). Same result and errors.
 * @throws CryptoError as {@link mlsagVerify}
 */
export function mlsagVerifyUncached(ring: MlsagRing, keyImage: Uint8Array, signature: Uint8Array): void {
  call(() => wasm.mlsag_verify_uncached(ring.message, concat("ringKeys", ring.ringKeys, 32), concat("ringCommitments", ring.ringCommitments, 32), ring.pseudoOut, keyImage, signature));
}

/** Counters of the ring-member cache of this WebAssembly instance (one per thread). */
export interface RingCacheStats {
  /** Ring members found in the cache. */
  hits: number;
  /** Ring members decoded (not found). */
  misses: number;
  /** Entries held now (≤ capacity). */
  entries: number;
  /** The bound, entries (0 = off). */
  capacity: number;
}

/**
 * Sets this instance's bounded LRU cache of decoded ring members `(P, Hp(P), C)`, keyed by the
 * exact 64 bytes `enc(P) ‖ enc(C)`, which {@link mlsagVerify} uses; it never changes a verdict
 * (crypto-wasm/src/ring_cache.rs). About 0.6 KB per entry. `0` (the default) turns it off and
 * frees it; a smaller bound evicts the least recently used entries. Each worker thread has its
 * own instance, so each configures its own cache.
 * @throws RangeError if `capacity` is not an integer in 0..2^32−1
 */
export function ringCacheConfigure(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 0xffffffff) throw new RangeError(`ring cache capacity must be an integer in 0..4294967295, got ${capacity}`);
  wasm.ring_cache_configure(capacity);
}

/** Hits, misses, entries and capacity of this instance's ring-member cache (all 0 when off). */
export function ringCacheStats(): RingCacheStats {
  const [hits, misses, entries, capacity] = Array.from(wasm.ring_cache_stats(), Number);
  return { hits: hits ?? 0, misses: misses ?? 0, entries: entries ?? 0, capacity: capacity ?? 0 };
}

// ---------------------------------------------------------------- range proofs

/** Proves that every amount is in [0, 2^64) (Bulletproofs+, 1..=16 amounts). @throws CryptoError */
export function rangeProve(amounts: readonly bigint[], masks: readonly Uint8Array[], seed?: Uint8Array): Uint8Array {
  amounts.forEach((a, i) => assertU64(`amounts[${i}]`, a));
  return call(() => wasm.range_prove(BigUint64Array.from(amounts), concat("masks", masks, 32), seedArg(seed)));
}
/**
 * Builds the range-proof generator tables for up to `maxAmounts` (1..16) amounts now, instead of
 * during the first verification. Call once per worker thread at start-up; idempotent.
 */
export function rangeWarmUp(maxAmounts = 2): void {
  wasm.range_warm_up(maxAmounts);
}
/** Verifies one aggregated range proof. @throws CryptoError `INVALID_RANGE_PROOF`, … */
export function rangeVerify(commitments: readonly Uint8Array[], proof: Uint8Array): void {
  call(() => wasm.range_verify(concat("commitments", commitments, 32), proof));
}
/**
 * Verifies many range proofs with one multiscalar multiplication (a block's worth).
 * @throws CryptoError with `index` set to the first failing item
 */
export function rangeBatchVerify(items: readonly { commitments: readonly Uint8Array[]; proof: Uint8Array }[]): void {
  const counts = Uint32Array.from(items.map((i) => i.commitments.length));
  const proofLens = Uint32Array.from(items.map((i) => i.proof.length));
  const commitments = concat("commitments", items.flatMap((i) => i.commitments), 32);
  const proofs = new Uint8Array(proofLens.reduce((a, b) => a + b, 0));
  let off = 0;
  for (const it of items) {
    proofs.set(it.proof, off);
    off += it.proof.length;
  }
  try {
    wasm.range_batch_verify(counts, commitments, proofLens, proofs);
  } catch (e) {
    const err = fromWasmError(e);
    const m = /item (\d+)/.exec(err.reason);
    throw new CryptoError(err.code, err.reason, m?.[1] !== undefined ? Number(m[1]) : undefined);
  }
}

// ---------------------------------------------------------------- Tx-PoW

/** The calibrated default Tx-PoW target (32 bytes, big-endian; ~0.5 s median in WASM). */
export const DEFAULT_TXPOW_TARGET: Uint8Array = wasm.txpow_default_target();
/** `SHA3-256(u8(14) ‖ "BAIOS/v1/txpow" ‖ txid ‖ u64le(nonce))` (docs/crypto.md §7). */
export function txPowHash(txid: Uint8Array, nonce: bigint): Uint8Array {
  assertBytes("txid", txid, 32);
  assertU64("nonce", nonce);
  return wasm.txpow_hash(txid, nonce);
}
/** @throws CryptoError `POW_INSUFFICIENT` when the hash is above `target` */
export function txPowVerify(txid: Uint8Array, nonce: bigint, target: Uint8Array): void {
  assertBytes("txid", txid, 32);
  assertBytes("target", target, 32);
  assertU64("nonce", nonce);
  call(() => wasm.txpow_verify(txid, nonce, target));
}
/**
 * Tries nonces `start, start+1, …` for at most `maxIterations` hashes.
 * @returns the first nonce that meets `target`, or `undefined` (call again from `start + maxIterations`)
 */
export function txPowMine(txid: Uint8Array, target: Uint8Array, start: bigint, maxIterations: number): bigint | undefined {
  assertBytes("txid", txid, 32);
  assertBytes("target", target, 32);
  const r = wasm.txpow_mine(txid, target, start, BigInt(maxIterations));
  return r === undefined ? undefined : BigInt(r);
}
/** Expected number of hashes for `target`: `2^256 / (target + 1)`. */
export function txPowExpectedHashes(target: Uint8Array): number {
  let t = 0n;
  for (const b of target) t = (t << 8n) | BigInt(b);
  return Number((1n << 256n) / (t + 1n));
}

// ---------------------------------------------------------------- Ed25519 (validator votes)

/** Ed25519 public key (32 bytes) of a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  assertBytes("seed", seed, 32);
  return wasm.ed25519_public_key(seed);
}
/** Ed25519 signature (64 bytes) of `msg` (RFC 8032 §5.1.6). */
export function ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  assertBytes("seed", seed, 32);
  return wasm.ed25519_sign(seed, msg);
}
/**
 * Strict verification (RFC 8032 §5.1.7 plus rejection of small-order keys and non-canonical S).
 * @throws CryptoError `INVALID_SIGNATURE`, `WEAK_KEY`, `INVALID_POINT`, `INVALID_LENGTH`
 */
export function ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, signature: Uint8Array): void {
  call(() => wasm.ed25519_verify(publicKey, msg, signature));
}

// ------------------------------------------------ subaddresses and wallet proofs (issue 12)

/** A subaddress's public keys and scalar (docs/crypto.md §11). */
export interface SubaddressKeys {
  /** View key `C = a·D` (32 bytes; `A` for (0, 0)). */
  viewPublic: Uint8Array;
  /** Spend key `D = B + m·G` (32 bytes; `B` for (0, 0)). */
  spendPublic: Uint8Array;
  /** Subaddress scalar `m = Hs("BAIOS/v1/subaddress", enc(a) ‖ u32le(i) ‖ u32le(j))` (zero for (0, 0)). */
  scalar: Uint8Array;
}
const assertU32 = (what: string, n: number): void => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new CryptoError("INVALID_LENGTH", `${what} must be an integer in 0..2^32-1`);
};
/**
 * Subaddress (account `i`, index `j`) of view secret `a` and spend key `B` (docs/crypto.md §11;
 * Monero's subaddress scheme). (0, 0) is the main address.
 * @throws CryptoError on invalid encodings or indices outside u32
 */
export function subaddressKeys(viewSecret: Uint8Array, spendPublic: Uint8Array, account: number, index: number): SubaddressKeys {
  assertU32("account", account);
  assertU32("index", index);
  const r = call(() => wasm.subaddress_keys(viewSecret, spendPublic, account, index));
  return { viewPublic: r.slice(0, 32), spendPublic: r.slice(32, 64), scalar: r.slice(64, 96) };
}
/**
 * Scanning step for a subaddress table: the spend key `P − s·G` (32 bytes) output `index` was
 * sent to, and `s` (32 bytes), given the shared point `a·R` (docs/crypto.md §11).
 * @throws CryptoError on invalid encodings
 */
export function recoverSpendKey(sharedPoint: Uint8Array, index: number, oneTimeKey: Uint8Array): { spendPublic: Uint8Array; s: Uint8Array } {
  const r = call(() => wasm.recover_spend_key(sharedPoint, BigInt(index), oneTimeKey));
  return { spendPublic: r.slice(0, 32), s: r.slice(32, 64) };
}
/**
 * Outgoing-payment proof `enc(K) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.1): proves the shared
 * point `K` of tx key `R` for `address` (64 bytes `enc(A|C) ‖ enc(B|D)`) without revealing `r`.
 * @throws CryptoError on invalid encodings
 */
export function txProof(txSecret: Uint8Array, txid: Uint8Array, address: Uint8Array, isSubaddress: boolean, message: Uint8Array, seed?: Uint8Array): Uint8Array {
  return call(() => wasm.tx_proof(txSecret, txid, address, isSubaddress, message, seedArg(seed)));
}
/**
 * Checks a tx proof; returns the shared point `K` (32 bytes) to scan the tx's outputs with.
 * @throws CryptoError `INVALID_SIGNATURE` when it does not verify; decoding errors
 */
export function checkTxProof(txPublic: Uint8Array, txid: Uint8Array, address: Uint8Array, isSubaddress: boolean, message: Uint8Array, proof: Uint8Array): Uint8Array {
  return call(() => wasm.check_tx_proof(txPublic, txid, address, isSubaddress, message, proof));
}
/**
 * Signed key image `enc(I) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.2) for one-time secret `x` of `P`.
 * @throws CryptoError `SIGNER_MISMATCH` when `x·G ≠ P`; decoding errors
 */
export function keyImageProof(oneTimeSecret: Uint8Array, oneTimeKey: Uint8Array, ctx: Uint8Array, seed?: Uint8Array): Uint8Array {
  return call(() => wasm.key_image_proof(oneTimeSecret, oneTimeKey, ctx, seedArg(seed)));
}
/**
 * Verifies a signed key image for `P` over `ctx`; returns the key image (32 bytes).
 * @throws CryptoError `INVALID_SIGNATURE`; decoding errors
 */
export function checkKeyImageProof(oneTimeKey: Uint8Array, ctx: Uint8Array, proof: Uint8Array): Uint8Array {
  return call(() => wasm.check_key_image_proof(oneTimeKey, ctx, proof));
}
/** Reserve-proof derivation proof `enc(a·R) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.3). @throws CryptoError */
export function derivationProof(viewSecret: Uint8Array, txPublic: Uint8Array, ctx: Uint8Array, seed?: Uint8Array): Uint8Array {
  return call(() => wasm.derivation_proof(viewSecret, txPublic, ctx, seedArg(seed)));
}
/** Verifies a derivation proof against `A` and `R`; returns `K = a·R` (32 bytes). @throws CryptoError */
export function checkDerivationProof(viewPublic: Uint8Array, txPublic: Uint8Array, ctx: Uint8Array, proof: Uint8Array): Uint8Array {
  return call(() => wasm.check_derivation_proof(viewPublic, txPublic, ctx, proof));
}
