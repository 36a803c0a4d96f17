/**
 * Mnemonic ↔ wallet seed ↔ keys.
 *
 * Decision (docs/wallet.md §1): a wallet mnemonic is a **24-word BIP39 mnemonic** (English word
 * list, @scure/bip39) and the 32-byte wallet seed is its **entropy** (the 256 bits the words
 * encode), not the 64-byte PBKDF2 BIP39 seed. So the seed and the words convert both ways
 * exactly, restoring needs no passphrase and no slow KDF, and the same 24 words give the same
 * wallet everywhere. The keys follow docs/crypto.md §4: `b = Hs(spend-key, seed)`,
 * `a = Hs(view-key, b)`, `(A, B) = (a·G, b·G)`.
 * @module
 */
import { entropyToMnemonic, generateMnemonic, mnemonicToEntropy, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { checkPoint, walletKeysFromSeed, type WalletKeys } from "@baios/crypto";
import { decodeAddress, decodeAnyAddress, encodeAddress, type Address, type AnyAddress, type Network } from "./address.ts";

export type { WalletKeys } from "@baios/crypto";

/** A mnemonic or seed was rejected (docs/wallet.md §1): not 24 words, an unknown word or a bad BIP-39 checksum, or a seed that is not 32 bytes. */
export class MnemonicError extends Error {
  override name = "MnemonicError";
}

/** A fresh random 24-word mnemonic (256 bits of entropy from the OS RNG). */
export function newMnemonic(): string {
  return generateMnemonic(wordlist, 256);
}

/** Normalizes whitespace and case of typed words. */
export function normalizeMnemonic(m: string): string {
  return m.trim().toLowerCase().split(/\s+/).join(" ");
}

/** The 32-byte wallet seed of a 24-word mnemonic. @throws MnemonicError on a bad word or checksum */
export function mnemonicToSeed(mnemonic: string): Uint8Array {
  const m = normalizeMnemonic(mnemonic);
  const n = m.split(" ").length;
  if (n !== 24) throw new MnemonicError(`a wallet mnemonic has 24 words, got ${n}`);
  if (!validateMnemonic(m, wordlist)) throw new MnemonicError("invalid mnemonic (unknown word or bad checksum)");
  return mnemonicToEntropy(m, wordlist);
}

/** The 24-word mnemonic of a 32-byte wallet seed. */
export function seedToMnemonic(seed: Uint8Array): string {
  if (seed.length !== 32) throw new MnemonicError("a wallet seed has 32 bytes");
  return entropyToMnemonic(seed, wordlist);
}

/** The wallet keys of a seed. */
export function keysFromSeed(seed: Uint8Array): WalletKeys {
  return walletKeysFromSeed(seed);
}

/** The wallet keys (a, b, A, B; 32 bytes each) of a 24-word mnemonic: the seed is its BIP-39 entropy (docs/wallet.md §1), keys per docs/crypto.md §4. @throws MnemonicError on a wrong word count, an unknown word or a bad checksum */
export function keysFromMnemonic(mnemonic: string): WalletKeys {
  return walletKeysFromSeed(mnemonicToSeed(mnemonic));
}

/** The bech32m address (BIP-350) of the keys `(A, B)` (32 bytes each) on `network`. @throws AddressError when a key is not 32 bytes */
export function addressOf(keys: { viewPublic: Uint8Array; spendPublic: Uint8Array }, network: Network): string {
  return encodeAddress({ network, viewPublic: keys.viewPublic, spendPublic: keys.spendPublic });
}

/** Decodes a standard address or a subaddress (`<prefix>sub1…`) and checks both keys are valid non-identity ristretto255 points. @throws AddressError; CryptoError */
export function parseAnyAddress(text: string, expected?: Network): AnyAddress {
  const a = decodeAnyAddress(text, expected);
  checkPoint(a.viewPublic);
  checkPoint(a.spendPublic);
  return a;
}

/** Decodes an address and checks both keys are valid non-identity ristretto255 points. */
export function parseAddress(text: string, expected?: Network): Address {
  const a = decodeAddress(text, expected);
  checkPoint(a.viewPublic);
  checkPoint(a.spendPublic);
  return a;
}

/**
 * The deterministic devnet wallet mnemonics: wallet `i` has seed
 * `SHA-256("BAIOS/v1/devnet-wallet" ‖ u32le(i))`. Public knowledge, devnet only: the devnet
 * genesis funds the addresses of wallets 0..n−1.
 */
export function devnetMnemonic(i: number): string {
  const tag = new TextEncoder().encode("BAIOS/v1/devnet-wallet");
  const data = new Uint8Array(tag.length + 4);
  data.set(tag);
  new DataView(data.buffer).setUint32(tag.length, i, true);
  return seedToMnemonic(sha256(data));
}
