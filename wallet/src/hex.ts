/** Hex helpers (lower case, no prefix): the wallet's names for @baios/consensus' `toHex`/`fromHex` (on @noble/hashes' utilities). @module */
import { fromHex, toHex } from "@baios/consensus";

/** Lower-case hex of bytes. */
export const bytesToHex = (b: Uint8Array): string => toHex(b);
/** Decodes hex (either case, no `0x`, even length). @throws Error `invalid hex` otherwise */
export function hexToBytes(h: string): Uint8Array {
  try {
    return fromHex(h);
  } catch {
    throw new Error("invalid hex");
  }
}
/** Byte-wise equality (not constant-time: for public data only). */
export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
