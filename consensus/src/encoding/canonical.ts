/**
 * The canonical byte encoding that consensus hashes are taken over (docs/protocol.md §3–§9).
 * Fixed-width little-endian integers (`u32le`, `u64le`), 32-byte keys, and `u32le` counts and
 * lengths before every variable-length item, so each encoding is injective. Pure TypeScript.
 *
 * These functions only serialise; they check widths (RangeError on a value that does not fit),
 * not consensus rules. Validation lives in src/validation/.
 * @module
 */
import { TX_VERSION_BOND } from "../constants.ts";
import type { BlockHeader, Coinbase, FinalityCertificate, Tx, Unbond, Validator } from "../types.ts";
import { ByteWriter } from "./bytes.ts";

/** Byte length of {@link headerBytes}: 488 (version 2). */
export const HEADER_BYTES = 488;
/** Offset of the `u64le powNonce` in the header bytes: 480 (the last 8 bytes). */
export const HEADER_NONCE_OFFSET = 480;
/** Byte length of the stake field of a bond tx: `validator[32] ‖ u64 amount ‖ validatorSignature[64]` = 104. */
export const TX_STAKE_BYTES = 104;
/** Byte length of an unbond request: 169. */
export const UNBOND_BYTES = 169;
/** Byte length of the part of an unbond its signature covers (everything before the signature): 105. */
export const UNBOND_SIGNED_BYTES = 105;

/**
 * The transaction prefix (docs/protocol.md §3.1):
 * `u32 version ‖ u32 chainId ‖ u64 fee ‖ u32 nIn ‖ nIn × (u32 ringSize ‖ ringSize × u64 index ‖
 * keyImage[32] ‖ pseudoOut[32]) ‖ u32 nOut ‖ nOut × (oneTimeKey[32] ‖ commitment[32] ‖ u8 viewTag ‖
 * encryptedAmount[8]) ‖ u32 nR ‖ nR × R[32]`.
 * @throws RangeError when a field does not fit its width
 */
export function txPrefixBytes(tx: Tx): Uint8Array {
  const w = new ByteWriter(512);
  writeTxPrefix(w, tx);
  return w.finish();
}

/**
 * Appends the §3.1 prefix of `tx` to `w` (shared by the hashes and the wire codec). A version-2
 * (bond) tx carries `validator[32] ‖ u64 amount ‖ validatorSignature[64]` right after the fee;
 * every other version has no stake field.
 * @throws RangeError when a field does not fit its width, or the stake field is missing on a
 *   version-2 tx or present on another version
 */
export function writeTxPrefix(w: ByteWriter, tx: Tx): void {
  w.u32(tx.version).u32(tx.chainId).u64(tx.fee);
  if (tx.version === TX_VERSION_BOND) {
    if (tx.stake === undefined) throw new RangeError("a version-2 (bond) tx needs a stake field");
    w.bytes(tx.stake.validator, 32).u64(tx.stake.amount).bytes(tx.stake.validatorSignature, 64);
  } else if (tx.stake !== undefined) throw new RangeError(`tx version ${tx.version} has no stake field (bond txs are version ${TX_VERSION_BOND})`);
  w.u32(tx.inputs.length);
  for (const inp of tx.inputs) {
    w.u32(inp.ring.length);
    for (const idx of inp.ring) w.u64(idx);
    w.bytes(inp.keyImage, 32).bytes(inp.pseudoOut, 32);
  }
  w.u32(tx.outputs.length);
  for (const o of tx.outputs) w.bytes(o.oneTimeKey, 32).bytes(o.commitment, 32).u8(o.viewTag).bytes(o.encryptedAmount, 8);
  w.u32(tx.txPublicKeys.length);
  for (const r of tx.txPublicKeys) w.bytes(r, 32);
}

/**
 * What the MLSAG signing hash covers (docs/protocol.md §3.2): `prefix ‖ u32 len(rangeProof) ‖ rangeProof`.
 * Covering the range proof binds the output commitments twice; covering the whole prefix makes
 * removing an input or adding an output after signing invalidate every signature.
 */
export function txSigningBytes(tx: Tx): Uint8Array {
  const w = new ByteWriter(2048);
  writeTxPrefix(w, tx);
  w.varBytes(tx.rangeProof);
  return w.finish();
}

/**
 * The transaction body, everything but the PoW nonce (docs/protocol.md §3.3):
 * `signingBytes ‖ u32 nSig ‖ nSig × (u32 len ‖ signature)`. The txid is its hash.
 */
export function txBodyBytes(tx: Tx): Uint8Array {
  const w = new ByteWriter(4096);
  writeTxBody(w, tx);
  return w.finish();
}

/** Appends the §3.3 body bytes of `tx` to `w` (shared by the txid and the wire codec). @throws RangeError */
export function writeTxBody(w: ByteWriter, tx: Tx): void {
  writeTxPrefix(w, tx);
  w.varBytes(tx.rangeProof);
  w.u32(tx.signatures.length);
  for (const s of tx.signatures) w.varBytes(s);
}

/**
 * The coinbase (docs/protocol.md §4): `u64 height ‖ R[32] ‖ u32 n ‖ n × (oneTimeKey[32] ‖
 * u8 viewTag ‖ u64 amount ‖ u64 unlockHeight)`.
 */
export function coinbaseBytes(cb: Coinbase): Uint8Array {
  const w = new ByteWriter(64 + cb.outputs.length * 49);
  writeCoinbase(w, cb);
  return w.finish();
}

/** Appends the §4 coinbase bytes to `w`. @throws RangeError */
export function writeCoinbase(w: ByteWriter, cb: Coinbase): void {
  w.u64(cb.height).bytes(cb.txPublicKey, 32).u32(cb.outputs.length);
  for (const o of cb.outputs) w.bytes(o.oneTimeKey, 32).u8(o.viewTag).u64(o.amount).u64(o.unlockHeight);
}

/**
 * The block header, 488 bytes (docs/protocol.md §5): `u32 version ‖ u32 chainId ‖ u64 height ‖
 * parentHash[32] ‖ u64 timeMs ‖ txRoot[32] ‖ outputRoot[32] ‖ u64 outputCount ‖
 * txPowTarget[32] ‖ blockTarget[32] ‖ validatorsHash[32] ‖ nextValidatorsHash[32] ‖
 * lastCertificateHash[32] ‖ evidenceRoot[32] ‖ stakingRoot[32] ‖ headerRoot[32] ‖
 * superParentsRoot[32] ‖ keyImageRoot[32] ‖ stakingStateHash[32] ‖ u64 powNonce`.
 */
export function headerBytes(h: BlockHeader): Uint8Array {
  const w = new ByteWriter(HEADER_BYTES);
  writeHeader(w, h);
  return w.finish();
}

/** Appends the 488 §5 header bytes to `w`. @throws RangeError */
export function writeHeader(w: ByteWriter, h: BlockHeader): void {
  w.u32(h.version).u32(h.chainId).u64(h.height).bytes(h.parentHash, 32).u64(h.timeMs);
  w.bytes(h.txRoot, 32).bytes(h.outputRoot, 32).u64(h.outputCount);
  w.bytes(h.txPowTarget, 32).bytes(h.blockTarget, 32).bytes(h.validatorsHash, 32).bytes(h.nextValidatorsHash, 32);
  w.bytes(h.lastCertificateHash, 32).bytes(h.evidenceRoot, 32).bytes(h.stakingRoot, 32);
  w.bytes(h.headerRoot, 32).bytes(h.superParentsRoot, 32).bytes(h.keyImageRoot, 32).bytes(h.stakingStateHash, 32).u64(h.powNonce);
}

/**
 * A finality certificate (docs/protocol.md §9, §10.4): `u64 height ‖ u32 round ‖ blockHash[32] ‖
 * u32 n ‖ n × (validator[32] ‖ signature[64])`, votes in the given order (`48 + 96·n` bytes).
 * `lastCertificateHash` is `h32("BAIOS/v1/certificate", these bytes)`.
 */
export function certificateBytes(cert: FinalityCertificate): Uint8Array {
  const w = new ByteWriter(48 + 96 * cert.votes.length);
  writeCertificate(w, cert);
  return w.finish();
}

/** Appends the §10.4 certificate bytes to `w`. @throws RangeError */
export function writeCertificate(w: ByteWriter, cert: FinalityCertificate): void {
  w.u64(cert.height).u32(cert.round).bytes(cert.blockHash, 32).u32(cert.votes.length);
  for (const v of cert.votes) w.bytes(v.validator, 32).bytes(v.signature, 64);
}

/**
 * The 105 bytes of an unbond request its signature covers (docs/protocol.md §5.3):
 * `validator[32] ‖ u64 amount ‖ oneTimeKey[32] ‖ u8 viewTag ‖ txPublicKey[32]`.
 */
export function unbondSignedBytes(u: Omit<Unbond, "signature">): Uint8Array {
  return new ByteWriter(UNBOND_SIGNED_BYTES).bytes(u.validator, 32).u64(u.amount).bytes(u.oneTimeKey, 32).u8(u.viewTag).bytes(u.txPublicKey, 32).finish();
}

/** Appends the 169 wire bytes of an unbond request: {@link unbondSignedBytes} ‖ signature[64]. @throws RangeError */
export function writeUnbond(w: ByteWriter, u: Unbond): void {
  w.bytes(u.validator, 32).u64(u.amount).bytes(u.oneTimeKey, 32).u8(u.viewTag).bytes(u.txPublicKey, 32).bytes(u.signature, 64);
}

/** The 169 bytes of an unbond request (its stakingRoot leaf hashes them). @throws RangeError */
export function unbondBytes(u: Unbond): Uint8Array {
  const w = new ByteWriter(UNBOND_BYTES);
  writeUnbond(w, u);
  return w.finish();
}

/** The vote kinds; each signs under its own tag (docs/protocol.md §9). */
export type VoteKind = "prevote" | "precommit";

/**
 * The data a vote hashes (docs/protocol.md §9): `u32 chainId ‖ u64 height ‖ u32 round ‖ blockHash[32]`
 * (48 bytes). A nil vote uses 32 zero bytes as the block hash.
 */
export function voteBytes(chainId: number, height: bigint, round: number, blockHash: Uint8Array): Uint8Array {
  const w = new ByteWriter(48);
  writeVoteBytes(w, chainId, height, round, blockHash);
  return w.finish();
}

/** Appends the 48 §9 vote bytes to `w`. @throws RangeError */
export function writeVoteBytes(w: ByteWriter, chainId: number, height: bigint, round: number, blockHash: Uint8Array): void {
  w.u32(chainId).u64(height).u32(round).bytes(blockHash, 32);
}

/**
 * A validator set (docs/protocol.md §9): `u32 n ‖ n × (publicKey[32] ‖ u64 stake)`, in the given
 * order (canonical sets are sorted by public key, strictly ascending).
 */
export function validatorSetBytes(validators: readonly Validator[]): Uint8Array {
  const w = new ByteWriter(4 + validators.length * 40);
  w.u32(validators.length);
  for (const v of validators) w.bytes(v.publicKey, 32).u64(v.stake);
  return w.finish();
}

/** MMR leaf data (docs/protocol.md §8): `u64 globalIndex ‖ oneTimeKey[32] ‖ commitment[32]` (72 bytes). */
export function mmrLeafBytes(globalIndex: bigint, oneTimeKey: Uint8Array, commitment: Uint8Array): Uint8Array {
  return new ByteWriter(72).u64(globalIndex).bytes(oneTimeKey, 32).bytes(commitment, 32).finish();
}
