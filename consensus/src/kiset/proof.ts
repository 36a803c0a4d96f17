/**
 * Key-image proofs against a key-image set root (docs/protocol.md §15.4): membership (the key
 * image is spent) and non-membership (unspent). A light client needs only this module and `h32`.
 *
 * Byte layout ({@link encodeKisetProof}), d = depth of the node where the key's path ends:
 * ```
 * u8 kind            0 = member (the leaf of the key), 1 = empty subtree, 2 = another key's leaf
 * u16le d            0..256
 * bitmap[⌈d/8⌉]      bit j−1 (MSB first) set iff the sibling at depth j (1..d) is non-empty;
 *                    padding bits 0; bit d−1 set when d > 0 (the deepest sibling is never empty)
 * siblings           32 bytes per set bit, depth 1 first (none is 32 zero bytes)
 * otherKey[32]       kind 2 only: the key (kisetKey) of the leaf found
 * ```
 * Size: 3 + ⌈d/8⌉ + 32·(non-empty siblings) (+ 32): about 3 + 32·log2(n) bytes at n keys.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { kisetCommonPrefixBits, kisetKeyBit, KISET_EMPTY, KISET_MAX_DEPTH, kisetKey, kisetLeafHash, kisetNodeHash, kisetRequire32 } from "./hash.ts";

/**
 * A key-image proof. `siblings[j − 1]` is the hash of the sibling at depth j (1..depth) of the
 * path node, {@link KISET_EMPTY} for an empty one; `siblings.length` is the depth of the node
 * where the path ends: the key's own leaf (`member`), an empty subtree (`empty`) or the leaf of
 * `otherKey` (`other`), which shares the path's first `depth` bits.
 */
export type KisetProof =
  | { kind: "member"; siblings: Uint8Array[] }
  | { kind: "empty"; siblings: Uint8Array[] }
  | { kind: "other"; siblings: Uint8Array[]; otherKey: Uint8Array };

const KIND_CODE = { member: 0, empty: 1, other: 2 } as const;

/** Largest encoded proof: 3 + 32 + 256·32 + 32 = 8259 bytes. */
export const KISET_MAX_PROOF_BYTES = 3 + 32 + KISET_MAX_DEPTH * 32 + 32;

function malformed(reason: string): ConsensusError {
  return new ConsensusError("KISET_PROOF_MALFORMED", reason);
}

/** Canonical bytes of a proof (layout in the module doc). @throws ConsensusError `KISET_PROOF_MALFORMED` when the proof breaks a rule of the layout */
export function encodeKisetProof(p: KisetProof): Uint8Array {
  const d = p.siblings.length;
  if (d > KISET_MAX_DEPTH) throw malformed(`depth ${d} above 256`);
  const nonEmpty = p.siblings.filter((s) => !equalBytes(s, KISET_EMPTY));
  const bm = (d + 7) >> 3;
  const out = new Uint8Array(3 + bm + 32 * nonEmpty.length + (p.kind === "other" ? 32 : 0));
  out[0] = KIND_CODE[p.kind];
  out[1] = d & 0xff;
  out[2] = d >> 8;
  let off = 3 + bm;
  p.siblings.forEach((s, i) => {
    if (s.length !== 32) throw malformed(`siblings[${i}] is ${s.length} bytes`);
    if (equalBytes(s, KISET_EMPTY)) return;
    out[3 + (i >> 3)] = (out[3 + (i >> 3)] as number) | (0x80 >> (i & 7));
    out.set(s, off);
    off += 32;
  });
  if (d > 0 && equalBytes(p.siblings[d - 1] as Uint8Array, KISET_EMPTY)) throw malformed("deepest sibling is empty");
  if (p.kind === "other") {
    if (p.otherKey.length !== 32) throw malformed("otherKey is not 32 bytes");
    out.set(p.otherKey, off);
  }
  return out;
}

/**
 * Strict parse of {@link encodeKisetProof} bytes: exactly one encoding per proof.
 * @throws ConsensusError `KISET_PROOF_MALFORMED`: shorter than 3 bytes, kind above 2, depth above 256,
 *   padding bits set, deepest sibling marked empty, a listed sibling of 32 zero bytes, wrong length
 */
export function decodeKisetProof(b: Uint8Array): KisetProof {
  if (b.length < 3) throw malformed(`${b.length} bytes, at least 3 needed`);
  if (b.length > KISET_MAX_PROOF_BYTES) throw malformed(`${b.length} bytes, above ${KISET_MAX_PROOF_BYTES}`);
  const kind = b[0] as number;
  if (kind > 2) throw malformed(`unknown kind ${kind}`);
  const d = (b[1] as number) | ((b[2] as number) << 8);
  if (d > KISET_MAX_DEPTH) throw malformed(`depth ${d} above 256`);
  const bm = (d + 7) >> 3;
  if (b.length < 3 + bm) throw malformed("truncated bitmap");
  if ((d & 7) !== 0 && ((b[2 + bm] as number) & (0xff >> (d & 7))) !== 0) throw malformed("bitmap padding bits set");
  const bit = (i: number): boolean => (((b[3 + (i >> 3)] as number) >> (7 - (i & 7))) & 1) === 1;
  if (d > 0 && !bit(d - 1)) throw malformed("deepest sibling marked empty");
  let count = 0;
  for (let i = 0; i < d; i++) if (bit(i)) count++;
  const want = 3 + bm + 32 * count + (kind === 2 ? 32 : 0);
  if (b.length !== want) throw malformed(`${b.length} bytes, expected ${want}`);
  const siblings: Uint8Array[] = [];
  let off = 3 + bm;
  for (let i = 0; i < d; i++) {
    if (!bit(i)) {
      siblings.push(KISET_EMPTY);
      continue;
    }
    const s = b.slice(off, off + 32);
    if (equalBytes(s, KISET_EMPTY)) throw malformed(`sibling at depth ${i + 1} is 32 zero bytes (must be a 0 bit)`);
    siblings.push(s);
    off += 32;
  }
  if (kind === 0) return { kind: "member", siblings };
  if (kind === 1) return { kind: "empty", siblings };
  return { kind: "other", siblings, otherKey: b.slice(off, off + 32) };
}

/**
 * Verifies a key-image proof against a key-image set root: recomputes the root from the node
 * where the key's path ends (leaf hash of the key, 32 zero bytes, or leaf hash of `otherKey`)
 * and the siblings, bottom-up, taking left/right from the key's bits.
 * @param root the key-image set root (32 bytes), e.g. from a finalized header
 * @param keyImage the key image asked about (32 bytes)
 * @param proof a {@link KisetProof} or its bytes (strictly decoded first)
 * @returns `{ spent: true }` for a membership proof, `{ spent: false }` for a non-membership proof
 * @throws ConsensusError `KISET_MALFORMED` (root / key image not 32 bytes), `KISET_PROOF_MALFORMED`,
 *   `KISET_PROOF_INVALID` (the root differs, or `otherKey` equals the key or leaves its path)
 */
export function verifyKeyImageProof(root: Uint8Array, keyImage: Uint8Array, proof: KisetProof | Uint8Array): { spent: boolean } {
  kisetRequire32(root, "root");
  const key = kisetKey(keyImage);
  const p = proof instanceof Uint8Array ? decodeKisetProof(proof) : proof;
  const d = p.siblings.length;
  if (d > KISET_MAX_DEPTH) throw malformed(`depth ${d} above 256`);
  let acc: Uint8Array;
  if (p.kind === "member") acc = kisetLeafHash(key);
  else if (p.kind === "empty") acc = KISET_EMPTY;
  else {
    kisetRequire32(p.otherKey, "otherKey");
    if (equalBytes(p.otherKey, key)) throw new ConsensusError("KISET_PROOF_INVALID", "non-membership proof names the queried key as the other leaf");
    if (kisetCommonPrefixBits(p.otherKey, key) < d) throw new ConsensusError("KISET_PROOF_INVALID", `the other leaf does not share the first ${d} bits of the key's path`);
    acc = kisetLeafHash(p.otherKey);
  }
  for (let j = d; j >= 1; j--) {
    const s = p.siblings[j - 1] as Uint8Array;
    if (s.length !== 32) throw malformed(`siblings[${j - 1}] is ${s.length} bytes`);
    acc = kisetKeyBit(key, j - 1) === 0 ? kisetNodeHash(acc, s) : kisetNodeHash(s, acc);
  }
  if (!equalBytes(acc, root)) throw new ConsensusError("KISET_PROOF_INVALID", "recomputed key-image set root differs from the given root");
  return { spent: p.kind === "member" };
}
