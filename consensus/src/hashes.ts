/**
 * Consensus hashes (docs/protocol.md §1, §3–§9): every hash is `h32(tag, bytes)` =
 * the first 32 bytes of `SHA-512(u8(len(tag)) ‖ tag ‖ bytes)` (docs/crypto.md §2) over the
 * canonical encoding of src/encoding/canonical.ts, with a versioned tag from {@link TAGS}.
 * @module
 */
import { h32 } from "@baios/crypto";
import { TAGS } from "./constants.ts";
import type { Block, BlockHeader, Coinbase, Evidence, FinalityCertificate, Tx, Unbond, Validator } from "./types.ts";
import { concatBytes, u32le, u64le } from "./encoding/bytes.ts";
import { certificateBytes, coinbaseBytes, headerBytes, txBodyBytes, txSigningBytes, unbondBytes, unbondSignedBytes, validatorSetBytes, voteBytes, type VoteKind } from "./encoding/canonical.ts";
import { encodeEvidence } from "./encoding/wire.ts";

/** The MLSAG message: `h32("BAIOS/v1/tx-sign", txSigningBytes(tx))` (32 bytes, docs/protocol.md §3.2). */
export function txSigningHash(tx: Tx): Uint8Array {
  return h32(TAGS.txSign, txSigningBytes(tx));
}

/** Transaction id: `h32("BAIOS/v1/txid", txBodyBytes(tx))` — everything but the PoW nonce (32 bytes, §3.3). */
export function txId(tx: Tx): Uint8Array {
  return h32(TAGS.txid, txBodyBytes(tx));
}

/** The 40-byte Tx-PoW header `txid ‖ u64le(nonce)` (docs/crypto.md §7, protocol.md §3.4). */
export function txPowHeader(txid: Uint8Array, nonce: bigint): Uint8Array {
  return concatBytes(txid, u64le(nonce));
}

/** The tx-root leaf of a transaction: `h32("BAIOS/v1/tx-leaf", txid ‖ u64le(powNonce))` — commits to the nonce too (§6). */
export function txLeafHash(txid: Uint8Array, powNonce: bigint): Uint8Array {
  return h32(TAGS.txLeaf, txPowHeader(txid, powNonce));
}

/** Coinbase hash: `h32("BAIOS/v1/coinbase", coinbaseBytes(cb))` (32 bytes, §4). */
export function coinbaseHash(cb: Coinbase): Uint8Array {
  return h32(TAGS.coinbase, coinbaseBytes(cb));
}

/**
 * Block hash: `h32("BAIOS/v1/block", headerBytes(header))` over the 488-byte header (§5). It is
 * also the block's PoW hash: valid iff, read big-endian, it is ≤ `header.blockTarget`.
 */
export function blockHash(header: BlockHeader): Uint8Array {
  return h32(TAGS.block, headerBytes(header));
}

/**
 * Binary Merkle root in the style of RFC 6962 §2.1 with tag `BAIOS/v1/tx-root`:
 * `MTH([]) = h32(tag, "")`, `MTH([d]) = h32(tag, 0x00 ‖ d)`,
 * `MTH(D[0..n]) = h32(tag, 0x01 ‖ MTH(D[0..k]) ‖ MTH(D[k..n]))` with k the largest power of two < n.
 * No duplication of odd leaves (CVE-2012-2459 does not apply).
 */
export function merkleRoot(items: readonly Uint8Array[], tag: string = TAGS.txRoot): Uint8Array {
  const rec = (lo: number, hi: number): Uint8Array => {
    const n = hi - lo;
    if (n === 0) return h32(tag, new Uint8Array(0));
    if (n === 1) return h32(tag, concatBytes(Uint8Array.of(0), items[lo] as Uint8Array));
    let k = 1;
    while (k * 2 < n) k *= 2;
    return h32(tag, concatBytes(Uint8Array.of(1), rec(lo, lo + k), rec(lo + k, hi)));
  };
  return rec(0, items.length);
}

/** The tx root of a block: {@link merkleRoot} over `[coinbaseHash, txLeafHash(tx_0), …]` (§6). */
export function txRoot(coinbase: Coinbase, txs: readonly Tx[], txids?: readonly Uint8Array[]): Uint8Array {
  const leaves = [coinbaseHash(coinbase), ...txs.map((tx, i) => txLeafHash(txids?.[i] ?? txId(tx), tx.powNonce))];
  return merkleRoot(leaves);
}

/**
 * The validator's consent message of a bond tx (docs/protocol.md §3.2):
 * `h32("BAIOS/v1/bond", txSigningBytes(tx with stake.validatorSignature = 64 zero bytes))`
 * (32 bytes). The validator signs it with Ed25519; the MLSAGs then sign the signing hash, which
 * covers the validator signature too. Its own tag keeps it apart from every other signed message.
 * @throws RangeError when `tx` has no stake field
 */
export function bondConsentMessage(tx: Tx): Uint8Array {
  if (tx.stake === undefined) throw new RangeError("bondConsentMessage: the tx has no stake field");
  return h32(TAGS.bond, txSigningBytes({ ...tx, stake: { ...tx.stake, validatorSignature: new Uint8Array(64) } }));
}

/** `lastCertificateHash`: `h32("BAIOS/v1/certificate", certificate bytes (§10.4))` (32 bytes). */
export function certificateHash(cert: FinalityCertificate): Uint8Array {
  return h32(TAGS.certificate, certificateBytes(cert));
}

/**
 * The message an unbond request's validator signs (32 bytes):
 * `h32("BAIOS/v1/unbond", u32le chainId ‖ validator ‖ u64le amount ‖ oneTimeKey ‖ u8 viewTag ‖ txPublicKey)`.
 */
export function unbondMessage(chainId: number, u: Omit<Unbond, "signature">): Uint8Array {
  return h32(TAGS.unbond, concatBytes(u32le(chainId), unbondSignedBytes(u)));
}

/** Leaf of the staking root: `h32("BAIOS/v1/unbond-leaf", unbond wire bytes[169])`. */
export function unbondLeafHash(u: Unbond): Uint8Array {
  return h32(TAGS.unbondLeaf, unbondBytes(u));
}

/** Header `stakingRoot`: {@link merkleRoot} with tag `BAIOS/v1/staking-root` over the unbonds' leaf hashes, in body order. */
export function stakingRoot(unbonds: readonly Unbond[]): Uint8Array {
  return merkleRoot(unbonds.map(unbondLeafHash), TAGS.stakingRoot);
}

/** Leaf of the evidence root: `h32("BAIOS/v1/evidence", evidence wire bytes (§10.8))`. */
export function evidenceLeafHash(ev: Evidence): Uint8Array {
  return h32(TAGS.evidence, encodeEvidence(ev));
}

/** Header `evidenceRoot`: {@link merkleRoot} with tag `BAIOS/v1/evidence-root` over the evidence leaf hashes, in body order. */
export function evidenceRoot(evidence: readonly Evidence[]): Uint8Array {
  return merkleRoot(evidence.map(evidenceLeafHash), TAGS.evidenceRoot);
}

/** Block hash of a whole block (hash of its header). */
export function blockId(block: Block): Uint8Array {
  return blockHash(block.header);
}

/**
 * The 32-byte message a validator signs with Ed25519 for a vote (§9):
 * `h32("BAIOS/v1/precommit" | "BAIOS/v1/prevote", u32 chainId ‖ u64 height ‖ u32 round ‖ blockHash)`.
 */
export function voteMessage(kind: VoteKind, chainId: number, height: bigint, round: number, blockHash: Uint8Array): Uint8Array {
  return h32(kind === "precommit" ? TAGS.precommit : TAGS.prevote, voteBytes(chainId, height, round, blockHash));
}

/** {@link voteMessage} for a precommit: what the finality certificate's signatures sign. */
export function precommitMessage(chainId: number, height: bigint, round: number, blockHash: Uint8Array): Uint8Array {
  return voteMessage("precommit", chainId, height, round, blockHash);
}

/** Validator-set hash `h32("BAIOS/v1/validators", validatorSetBytes(sorted set))` (§9); sorts by public key first. */
export function validatorsHash(validators: readonly Validator[]): Uint8Array {
  return h32(TAGS.validators, validatorSetBytes(sortValidators(validators)));
}

/** A copy of the set sorted by public key, ascending (the canonical order). */
export function sortValidators(validators: readonly Validator[]): Validator[] {
  return validators.slice().sort((a, b) => {
    for (let i = 0; i < 32; i++) {
      const d = (a.publicKey[i] ?? 0) - (b.publicKey[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** Chain id derivation helper for names: first 4 bytes (LE u32) of `h32("BAIOS/v1/chain-id", utf8(name))`. */
export function chainIdFromName(name: string): number {
  const h = h32(TAGS.chainId, new TextEncoder().encode(name));
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0, true);
}

