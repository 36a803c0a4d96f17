/**
 * Hashing and domain separation, docs/crypto.md §2: `H64`, `Hs` and `hash_to_point`
 * (RFC 9380 `hash_to_ristretto255`), plus the table of tags.
 *
 * @module
 */
import { ristretto255_hasher } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { ascii, concat, modL, leToBigint, type Point } from "./encoding.ts";
import { CryptoError } from "./errors.ts";

/** Domain-separation tags and DSTs of docs/crypto.md §2 (ASCII). */
export const TAGS = {
  /** DST of the Pedersen generator `H` (hash_to_point). */
  pedersenH: "BAIOS-v1-PedersenH_ristretto255_XMD:SHA-512_R255MAP_RO_",
  /** DST of the key-image base `Hp(P)` (hash_to_point). */
  keyImage: "BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_",
  /** Wallet spend key from the 32-byte seed (Hs). */
  spendKey: "BAIOS/v1/spend-key",
  /** Wallet view key from enc(b) (Hs). */
  viewKey: "BAIOS/v1/view-key",
  /** Output derivation scalar from enc(D) ‖ u64le(i) (Hs). */
  derive: "BAIOS/v1/derive",
  /** View tag from enc(D) ‖ u64le(i) (H64, first byte). */
  viewTag: "BAIOS/v1/view-tag",
  /** Amount mask from enc(s_i) (H64, first 8 bytes). */
  amount: "BAIOS/v1/amount",
  /** Commitment mask from enc(s_i) (Hs). */
  commitmentMask: "BAIOS/v1/commitment-mask",
  /** MLSAG ring digest μ (H64). */
  mlsagRing: "BAIOS/v1/mlsag-ring",
  /** MLSAG challenge (Hs). */
  mlsagChallenge: "BAIOS/v1/mlsag-challenge",
  /** Tx-PoW (SHA3-256 with the same 1-byte length prefix, §7). */
  txpow: "BAIOS/v1/txpow",
} as const;

/**
 * `H64(tag, data) = SHA-512(u8(len(tag)) ‖ tag ‖ data)` (docs/crypto.md §2).
 *
 * @param tag - ASCII tag, 0..255 bytes.
 * @param data - the concatenated fixed-width fields.
 * @returns 64 bytes.
 * @throws {@link CryptoError} `INVALID_LENGTH` if the tag is longer than 255 bytes;
 *   TypeError if it is not ASCII.
 */
export function h64(tag: string, data: Uint8Array): Uint8Array {
  const t = ascii(tag);
  if (t.length > 255) throw new CryptoError("INVALID_LENGTH", `tag is ${t.length} bytes (max 255)`);
  return sha512(concat(Uint8Array.of(t.length), t, data));
}

/**
 * `Hs(tag, data) = H64(tag, data)` read little-endian, reduced mod ℓ (wide reduction of a
 * 512-bit integer; docs/crypto.md §2).
 *
 * @param tag - ASCII tag, 0..255 bytes.
 * @param data - the concatenated fixed-width fields.
 * @returns a scalar in `[0, ℓ)`.
 * @throws {@link CryptoError} `INVALID_LENGTH` (tag > 255 bytes).
 */
export function hs(tag: string, data: Uint8Array): bigint {
  return modL(leToBigint(h64(tag, data)));
}

/**
 * `hash_to_point(DST, msg)`: RFC 9380 `hash_to_ristretto255` (Appendix B) =
 * `expand_message_xmd(msg, DST, 64)` with SHA-512 (RFC 9380 §5.3.1), then the RFC 9496 §4.3.4
 * one-way map (two Elligator maps, added). Delegates to noble's `ristretto255_hasher.hashToCurve`
 * with a custom DST, after our own DST check (noble would silently hash an oversize DST per
 * RFC 9380 §5.3.3, which docs/crypto.md §2 forbids).
 *
 * @param dst - ASCII domain-separation tag, 1..=255 bytes.
 * @param msg - any message.
 * @returns a ristretto255 point.
 * @throws {@link CryptoError} `INVALID_DST` (empty or > 255 bytes); TypeError on non-ASCII.
 */
export function hashToPoint(dst: string, msg: Uint8Array): Point {
  const d = ascii(dst);
  if (d.length < 1 || d.length > 255) throw new CryptoError("INVALID_DST", `DST is ${d.length} bytes (need 1..=255)`);
  return ristretto255_hasher.hashToCurve(msg, { DST: d });
}

/**
 * RFC 9380 §5.3.1 `expand_message_xmd` with H = SHA-512 (b = 64, r = 128 bytes), written
 * here from the RFC on noble's SHA-512 so that noble's own `expand_message_xmd` (used by
 * {@link hashToPoint}) can be cross-checked against it and against RFC 9380 Appendix K.3.
 *
 * @param msg - message.
 * @param dst - DST bytes, 1..=255 (the oversize-DST rule of §5.3.3 is not implemented).
 * @param lenInBytes - output length, 1..=255·64 and ≤ 65535.
 * @returns `lenInBytes` uniform bytes.
 * @throws {@link CryptoError} `INVALID_DST` (DST length), RangeError (bad `lenInBytes`).
 */
export function expandMessageXmdSha512(msg: Uint8Array, dst: Uint8Array, lenInBytes: number): Uint8Array {
  if (dst.length < 1 || dst.length > 255) throw new CryptoError("INVALID_DST", `DST is ${dst.length} bytes (need 1..=255)`);
  const ell = Math.ceil(lenInBytes / 64);
  if (!Number.isInteger(lenInBytes) || lenInBytes < 1 || ell > 255 || lenInBytes > 65535) throw new RangeError("bad len_in_bytes");
  const dstPrime = concat(dst, Uint8Array.of(dst.length));
  const msgPrime = concat(new Uint8Array(128), msg, Uint8Array.of(lenInBytes >> 8, lenInBytes & 0xff), Uint8Array.of(0), dstPrime);
  const b0 = sha512(msgPrime);
  const blocks: Uint8Array[] = [sha512(concat(b0, Uint8Array.of(1), dstPrime))];
  for (let i = 2; i <= ell; i++) {
    const prev = blocks[i - 2] as Uint8Array;
    blocks.push(sha512(concat(b0.map((v, k) => v ^ (prev[k] as number)), Uint8Array.of(i), dstPrime)));
  }
  return concat(...blocks).subarray(0, lenInBytes);
}
