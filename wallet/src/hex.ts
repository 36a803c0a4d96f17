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

const NIBBLE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[65 + i] = t[97 + i] = 10 + i;
  return t;
})();

/**
 * Decodes `hex` (either case, no `0x`) into `dst` at `offset`, exactly `length` bytes, without
 * allocating (the scanner packs many outputs into one buffer).
 * @throws Error `invalid hex` when `hex` is not `2·length` hex digits
 */
export function hexInto(dst: Uint8Array, offset: number, hex: string, length: number): void {
  if (hex.length !== 2 * length) throw new Error("invalid hex");
  for (let i = 0; i < length; i++) {
    const hi = NIBBLE[hex.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error("invalid hex");
    dst[offset + i] = (hi << 4) | lo;
  }
}
