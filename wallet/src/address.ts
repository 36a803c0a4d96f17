/**
 * Addresses: bech32m (BIP 350) with a chain prefix.
 *
 * - standard address: human-readable part `baios` (mainnet), `baiostest` (testnet) or `baiosdev`
 *   (devnet); payload `version (1 byte, 0x01) ‖ A (32) ‖ B (32)` = 65 bytes → 119–122 characters.
 * - view key (view-only export): prefix `<network>view`, payload `0x01 ‖ a (32) ‖ B (32)`.
 *
 * The bech32m checksum rejects mistyped strings (every error of up to 4 characters is detected
 * within bech32's design length; beyond it a random corruption passes with probability ~2^-30).
 * This module does not check that A and B are valid ristretto255 points; {@link parseAddress} in
 * wallet code does that with `checkPoint` (see keys.ts).
 * @module
 */
import { bech32m } from "@scure/base";

/** A BAIOS network; it selects the bech32m address prefix (docs/wallet.md §2). */
export type Network = "mainnet" | "testnet" | "devnet";
/** All networks, in a fixed order. */
export const NETWORKS: readonly Network[] = ["mainnet", "testnet", "devnet"];
/** bech32m (BIP-350) human-readable part of standard addresses per network; view-key exports append `view` (docs/wallet.md §2). */
export const ADDRESS_PREFIX: Readonly<Record<Network, string>> = { mainnet: "baios", testnet: "baiostest", devnet: "baiosdev" };
/** Payload version byte (0x01): the first of the 65 payload bytes `version ‖ key[32] ‖ key[32]` of addresses and view keys. */
export const ADDRESS_VERSION = 0x01;

/** A standard address `(A, B)` (docs/crypto.md §4); bech32m-encoded (BIP-350) it is 116–120 characters. Keys are not point-checked here (`parseAddress` in keys.ts does). */
export interface Address {
  /** Network named by the prefix. */
  network: Network;
  /** View public key A (32 bytes). */
  viewPublic: Uint8Array;
  /** Spend public key B (32 bytes). */
  spendPublic: Uint8Array;
}

/** A view-key export `(a, B)` for a view-only wallet (prefix `<address prefix>view`, e.g. `baiosview1…`). Secret: reveals every incoming payment, cannot spend. */
export interface ViewKey {
  /** Network named by the prefix. */
  network: Network;
  /** View secret a (32 bytes). */
  viewSecret: Uint8Array;
  /** Spend public key B (32 bytes). */
  spendPublic: Uint8Array;
}

/** An address or view key failed to encode or decode: bad bech32m checksum or characters, unknown prefix, payload not 65 bytes, unsupported version, another network than expected, or keys not 32 bytes. */
export class AddressError extends Error {
  override name = "AddressError";
}

function encodePayload(prefix: string, a: Uint8Array, b: Uint8Array): string {
  if (a.length !== 32 || b.length !== 32) throw new AddressError("keys must be 32 bytes");
  const payload = new Uint8Array(65);
  payload[0] = ADDRESS_VERSION;
  payload.set(a, 1);
  payload.set(b, 33);
  return bech32m.encode(prefix, bech32m.toWords(payload), false);
}

function decodePayload(text: string, prefixes: Readonly<Record<Network, string>>, what: string): { network: Network; first: Uint8Array; second: Uint8Array } {
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(text.trim(), false);
  } catch (e) {
    throw new AddressError(`invalid ${what} (bad checksum or characters): ${(e as Error).message}`);
  }
  const network = NETWORKS.find((n) => prefixes[n] === decoded.prefix);
  if (network === undefined) throw new AddressError(`invalid ${what}: unknown prefix "${decoded.prefix}"`);
  const bytes = bech32m.fromWordsUnsafe(decoded.words);
  if (!bytes || bytes.length !== 65) throw new AddressError(`invalid ${what}: payload must be 65 bytes`);
  if (bytes[0] !== ADDRESS_VERSION) throw new AddressError(`invalid ${what}: unsupported version ${bytes[0]}`);
  return { network, first: bytes.slice(1, 33), second: bytes.slice(33, 65) };
}

/** Encodes `(A, B)` for `network`. */
export function encodeAddress(addr: Address): string {
  return encodePayload(ADDRESS_PREFIX[addr.network], addr.viewPublic, addr.spendPublic);
}

/**
 * Decodes an address; throws {@link AddressError} on a bad checksum, unknown prefix, wrong
 * length or version, or (when `expected` is given) another network.
 */
export function decodeAddress(text: string, expected?: Network): Address {
  const { network, first, second } = decodePayload(text, ADDRESS_PREFIX, "address");
  if (expected !== undefined && network !== expected) throw new AddressError(`address is for ${network}, expected ${expected}`);
  return { network, viewPublic: first, spendPublic: second };
}

/** bech32m human-readable part of subaddresses per network (docs/wallet.md §2.1): the address prefix followed by `sub` (`baiossub1…`), payload `0x01 ‖ C (32) ‖ D (32)`. */
export const SUBADDRESS_PREFIX: Readonly<Record<Network, string>> = {
  mainnet: `${ADDRESS_PREFIX.mainnet}sub`,
  testnet: `${ADDRESS_PREFIX.testnet}sub`,
  devnet: `${ADDRESS_PREFIX.devnet}sub`,
};

/** Encodes a subaddress `(C, D)` (docs/crypto.md §11) for `network` (prefix {@link SUBADDRESS_PREFIX}). */
export function encodeSubaddress(addr: Address): string {
  return encodePayload(SUBADDRESS_PREFIX[addr.network], addr.viewPublic, addr.spendPublic);
}

/** A standard address or a subaddress, and which (`subaddress: true` for `<prefix>sub1…`). */
export interface AnyAddress extends Address {
  subaddress: boolean;
}

/**
 * Decodes a standard address or a subaddress.
 * @throws AddressError on a bad checksum, unknown prefix, wrong length or version, or another network than `expected`
 */
export function decodeAnyAddress(text: string, expected?: Network): AnyAddress {
  const t = text.trim();
  const hrp = t.slice(0, Math.max(0, t.lastIndexOf("1"))).toLowerCase();
  if (!Object.values(SUBADDRESS_PREFIX).includes(hrp)) return { ...decodeAddress(t, expected), subaddress: false };
  const { network, first, second } = decodePayload(t, SUBADDRESS_PREFIX, "subaddress");
  if (expected !== undefined && network !== expected) throw new AddressError(`subaddress is for ${network}, expected ${expected}`);
  return { network, viewPublic: first, spendPublic: second, subaddress: true };
}

const VIEW_PREFIX: Readonly<Record<Network, string>> = {
  mainnet: `${ADDRESS_PREFIX.mainnet}view`,
  testnet: `${ADDRESS_PREFIX.testnet}view`,
  devnet: `${ADDRESS_PREFIX.devnet}view`,
};

/** Encodes a view key `(a, B)` for a view-only wallet. This string is secret (it reveals incoming payments). */
export function encodeViewKey(k: ViewKey): string {
  return encodePayload(VIEW_PREFIX[k.network], k.viewSecret, k.spendPublic);
}

/**
 * Decodes a view-key export (bech32m per BIP-350, payload `0x01 ‖ a[32] ‖ B[32]`). Neither key is
 * checked to be a canonical scalar / valid point.
 * @throws AddressError on a bad checksum, unknown prefix, wrong length or version, or (when `expected` is given) another network
 */
export function decodeViewKey(text: string, expected?: Network): ViewKey {
  const { network, first, second } = decodePayload(text, VIEW_PREFIX, "view key");
  if (expected !== undefined && network !== expected) throw new AddressError(`view key is for ${network}, expected ${expected}`);
  return { network, viewSecret: first, spendPublic: second };
}
