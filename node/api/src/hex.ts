/**
 * Hex encoding of byte arguments for the RPC, without Node's `Buffer` (the main entry of
 * `@baios/api` runs in browsers).
 * @module
 */

/** Lowercase hex of `b`, two characters per byte; a string is taken to be hex already and returned as is. */
export function hexOf(b: Uint8Array | string): string {
  if (typeof b === "string") return b;
  let s = "";
  for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16);
  return s;
}
