/**
 * The wire and storage codec of consensus objects (docs/protocol.md §10). The wire bytes are
 * the canonical bytes the hashes are taken over (§3–§9), plus the few fields a hash does not
 * cover:
 *
 * | object | wire bytes |
 * |---|---|
 * | tx | `bodyBytes (§3.3) ‖ u64le powNonce` (version 2 carries the 104-byte stake field after the fee) |
 * | header | the 488 header bytes (§5) |
 * | coinbase | the coinbase bytes (§4) |
 * | block | `header[488] ‖ coinbaseBytes ‖ u32le nTx ‖ nTx × (u32le len ‖ tx wire[len]) ‖ certificate ‖ u32le nUnbond ‖ nUnbond × unbond[169] ‖ u32le nEv ‖ nEv × evidence` |
 * | certificate | `u64le height ‖ u32le round ‖ blockHash[32] ‖ u32le n ‖ n × (validator[32] ‖ signature[64])` |
 * | vote message | `u8 kind (1 prevote, 2 precommit) ‖ voteBytes[48] (§9) ‖ validator[32] ‖ signature[64]` (145 bytes) |
 * | unbond | `validator[32] ‖ u64le amount ‖ oneTimeKey[32] ‖ u8 viewTag ‖ txPublicKey[32] ‖ signature[64]` (169 bytes) |
 * | evidence | `u8 1 ‖ vote[145] ‖ vote[145]` (duplicate vote) or `u8 2 ‖ vote[145] ‖ u32le len ‖ block[len]` (invalid attestation) |
 *
 * Decoding is a bounded cursor parse ({@link WireReader}): the size limit is checked before
 * the first byte is read (`*_OVERSIZED`); every count is checked against the remaining bytes
 * before anything is allocated; lengths are exact; trailing bytes are rejected (`*_MALFORMED`,
 * with the field path in the reason). Every byte string that decodes has exactly one encoding,
 * so `encode(decode(b)) == b` holds by construction, with no re-encoding. Decoded byte fields
 * are copies detached from the input buffer.
 * @module
 */
import { ConsensusError, type ConsensusErrorCode } from "../errors.ts";
import { TX_VERSION_BOND } from "../constants.ts";
import type { Block, BlockHeader, Coinbase, CoinbaseOutput, Evidence, FinalityCertificate, Tx, TxInput, TxOutput, TxStake, Unbond, Vote, VoteMessage } from "../types.ts";
import { ByteWriter } from "./bytes.ts";
import { HEADER_BYTES, TX_STAKE_BYTES, UNBOND_BYTES, writeCertificate, writeCoinbase, writeHeader, writeTxBody, writeUnbond, writeVoteBytes } from "./canonical.ts";
import { WireReader } from "./reader.ts";

/** Smallest tx wire encoding (no inputs, outputs, keys, proof or signatures): 44 bytes. */
export const MIN_TX_WIRE_BYTES = 44;
/** Smallest encoding of one input (empty ring): `u32 ringSize ‖ keyImage ‖ pseudoOut` = 68 bytes. */
const MIN_INPUT_BYTES = 68;
/** One output: `oneTimeKey ‖ commitment ‖ u8 viewTag ‖ encryptedAmount` = 73 bytes. */
const OUTPUT_BYTES = 73;
/** One coinbase output: `oneTimeKey ‖ u8 viewTag ‖ u64 amount ‖ u64 unlockHeight` = 49 bytes. */
const COINBASE_OUTPUT_BYTES = 49;
/** One certificate entry: `validator[32] ‖ signature[64]` = 96 bytes. */
const CERT_VOTE_BYTES = 96;
/** Fixed part of a certificate: `u64 height ‖ u32 round ‖ blockHash ‖ u32 n` = 48 bytes. */
const CERT_FIXED_BYTES = 48;
/** Byte length of a vote message: 145. */
export const VOTE_MESSAGE_BYTES = 145;
/** The vote-message `kind` byte of a prevote. */
export const VOTE_KIND_PREVOTE = 1;
/** The vote-message `kind` byte of a precommit. */
export const VOTE_KIND_PRECOMMIT = 2;

/** Evidence kind byte of a duplicate vote. */
export const EVIDENCE_KIND_DUPLICATE_VOTE = 1;
/** Evidence kind byte of an invalid attestation. */
export const EVIDENCE_KIND_INVALID_ATTESTATION = 2;
/** Wire size of duplicate-vote evidence: `1 + 2·145` = 291 bytes. */
export const DUPLICATE_VOTE_EVIDENCE_BYTES = 1 + 2 * VOTE_MESSAGE_BYTES;
/** Smallest evidence encoding (invalid attestation with an empty block): `1 + 145 + 4` = 150 bytes. */
const MIN_EVIDENCE_BYTES = 1 + VOTE_MESSAGE_BYTES + 4;
/** Default decode limit of one evidence item outside a block: 4 MiB + 150 (it may carry a whole block). */
export const DEFAULT_MAX_EVIDENCE_BYTES = 4 * 1024 * 1024 + MIN_EVIDENCE_BYTES;

/** Default decode limit of a tx when the caller passes none (the default maxTxBytes): 65 536 bytes. */
export const DEFAULT_MAX_TX_BYTES = 65_536;
/** Default decode limit of a block when the caller passes none (the default maxBlockBytes): 4 MiB. */
export const DEFAULT_MAX_BLOCK_BYTES = 4 * 1024 * 1024;
/** Default decode limit of a certificate: 65 536 bytes (up to 682 votes). */
export const DEFAULT_MAX_CERT_BYTES = 65_536;

// ------------------------------------------------------------------ sizes

/**
 * Byte length of {@link encodeTx}`(tx)`, computed without encoding:
 * `44 + Σ(68 + 8·ringSize) + 73·nOut + 32·nR + len(rangeProof) + Σ(4 + len(sig))`, plus 104
 * for the stake field of a version-2 (bond) tx.
 */
export function txWireSize(tx: Tx): number {
  let n = MIN_TX_WIRE_BYTES + OUTPUT_BYTES * tx.outputs.length + 32 * tx.txPublicKeys.length + tx.rangeProof.length;
  if (tx.version === TX_VERSION_BOND) n += TX_STAKE_BYTES;
  for (const i of tx.inputs) n += MIN_INPUT_BYTES + 8 * i.ring.length;
  for (const s of tx.signatures) n += 4 + s.length;
  return n;
}

/** Byte length of {@link encodeCertificate}`(cert)`: `48 + 96·nVotes`. */
export function certificateWireSize(cert: FinalityCertificate): number {
  return CERT_FIXED_BYTES + CERT_VOTE_BYTES * cert.votes.length;
}

/** Byte length of {@link encodeEvidence}`(ev)`: 291 for a duplicate vote, `150 + len(block)` for an invalid attestation. */
export function evidenceWireSize(ev: Evidence): number {
  return ev.kind === "duplicate-vote" ? DUPLICATE_VOTE_EVIDENCE_BYTES : MIN_EVIDENCE_BYTES + ev.block.length;
}

/**
 * Byte length of {@link encodeBlock}`(block)`: `488 + 44 + 49·nCoinbaseOut + 4 + Σ(4 + txWireSize)
 * + (48 + 96·nVotes) + 4 + 169·nUnbond + 4 + Σ evidenceWireSize`.
 */
export function blockWireSize(block: Block): number {
  let n = HEADER_BYTES + 44 + COINBASE_OUTPUT_BYTES * block.coinbase.outputs.length + 4;
  for (const tx of block.txs) n += 4 + txWireSize(tx);
  n += certificateWireSize(block.lastCertificate) + 4 + UNBOND_BYTES * block.unbonds.length + 4;
  for (const ev of block.evidence) n += evidenceWireSize(ev);
  return n;
}

/**
 * The most wire bytes a block spends beyond its txs' own wire bytes, unbonds and evidence, for a
 * block builder's budget: header 488, a coinbase of up to `maxCoinbaseOutputs` outputs
 * (`44 + 49·n`), the tx count (4), one 4-byte length per tx (`4·maxTxs`), a last certificate of
 * up to `maxCertificateVotes` votes (`48 + 96·n`) and the two empty body counts (8). For every
 * block within those counts, `blockWireSize(block) ≤ Σ txWireSize(tx) + 169·nUnbond +
 * Σ evidenceWireSize + blockWireOverhead(maxTxs, maxCoinbaseOutputs, maxCertificateVotes)`.
 */
export function blockWireOverhead(maxTxs: number, maxCoinbaseOutputs: number, maxCertificateVotes = 0): number {
  return HEADER_BYTES + 44 + COINBASE_OUTPUT_BYTES * maxCoinbaseOutputs + 4 + 4 * maxTxs + CERT_FIXED_BYTES + CERT_VOTE_BYTES * maxCertificateVotes + 8;
}

// ------------------------------------------------------------------ encoders

function writeTx(w: ByteWriter, tx: Tx): void {
  writeTxBody(w, tx);
  w.u64(tx.powNonce);
}

/**
 * Wire bytes of a transaction: `bodyBytes ‖ u64le powNonce` (docs/protocol.md §10.1); its
 * first `len − 8` bytes are what the txid hashes.
 * @throws RangeError when a field does not fit its width or a fixed-size field has the wrong length
 */
export function encodeTx(tx: Tx): Uint8Array {
  const w = new ByteWriter(txWireSize(tx));
  writeTx(w, tx);
  return w.finish();
}

/** Wire bytes of a block header: the 488 header bytes the block hash is taken over (§5, §10.2). @throws RangeError */
export function encodeHeader(header: BlockHeader): Uint8Array {
  const w = new ByteWriter(HEADER_BYTES);
  writeHeader(w, header);
  return w.finish();
}

/** Wire bytes of a coinbase: the §4 coinbase bytes. @throws RangeError */
export function encodeCoinbase(cb: Coinbase): Uint8Array {
  const w = new ByteWriter(44 + COINBASE_OUTPUT_BYTES * cb.outputs.length);
  writeCoinbase(w, cb);
  return w.finish();
}

/**
 * Wire bytes of a block (docs/protocol.md §10.3): `header[488] ‖ coinbaseBytes ‖ u32le nTx ‖
 * nTx × (u32le len ‖ tx wire) ‖ lastCertificate (§10.4) ‖ u32le nUnbond ‖ nUnbond × unbond[169] ‖
 * u32le nEvidence ‖ nEvidence × evidence (§10.8)`.
 * @throws RangeError
 */
export function encodeBlock(block: Block): Uint8Array {
  const w = new ByteWriter(blockWireSize(block));
  writeHeader(w, block.header);
  writeCoinbase(w, block.coinbase);
  w.u32(block.txs.length);
  for (const tx of block.txs) {
    w.u32(txWireSize(tx));
    writeTx(w, tx);
  }
  writeCertificate(w, block.lastCertificate);
  w.u32(block.unbonds.length);
  for (const u of block.unbonds) writeUnbond(w, u);
  w.u32(block.evidence.length);
  for (const ev of block.evidence) writeEvidence(w, ev);
  return w.finish();
}

/**
 * Wire bytes of a finality certificate: `u64le height ‖ u32le round ‖ blockHash[32] ‖ u32le n ‖
 * n × (validator[32] ‖ signature[64])` (docs/protocol.md §10.4), votes in the given order.
 * These are also the canonical bytes `lastCertificateHash` is taken over.
 * @throws RangeError
 */
export function encodeCertificate(cert: FinalityCertificate): Uint8Array {
  const w = new ByteWriter(certificateWireSize(cert));
  writeCertificate(w, cert);
  return w.finish();
}

/** Wire bytes of an unbond request (169 bytes, docs/protocol.md §10.3). @throws RangeError */
export function encodeUnbond(u: Unbond): Uint8Array {
  const w = new ByteWriter(UNBOND_BYTES);
  writeUnbond(w, u);
  return w.finish();
}

function writeVoteMessage(w: ByteWriter, vote: VoteMessage): void {
  w.u8(vote.kind === "prevote" ? VOTE_KIND_PREVOTE : VOTE_KIND_PRECOMMIT);
  writeVoteBytes(w, vote.chainId, vote.height, vote.round, vote.blockHash);
  w.bytes(vote.validator, 32).bytes(vote.signature, 64);
}

function writeEvidence(w: ByteWriter, ev: Evidence): void {
  if (ev.kind === "duplicate-vote") {
    w.u8(EVIDENCE_KIND_DUPLICATE_VOTE);
    writeVoteMessage(w, ev.voteA);
    writeVoteMessage(w, ev.voteB);
  } else {
    w.u8(EVIDENCE_KIND_INVALID_ATTESTATION);
    writeVoteMessage(w, ev.vote);
    w.varBytes(ev.block);
  }
}

/**
 * Wire bytes of one evidence item (docs/protocol.md §10.8): duplicate vote
 * `u8 1 ‖ voteA[145] ‖ voteB[145]`; invalid attestation `u8 2 ‖ vote[145] ‖ u32le len ‖ block[len]`
 * (votes as §10.5 vote messages). Also the bytes its evidence-root leaf hashes.
 * @throws RangeError
 */
export function encodeEvidence(ev: Evidence): Uint8Array {
  const w = new ByteWriter(evidenceWireSize(ev));
  writeEvidence(w, ev);
  return w.finish();
}

/**
 * Wire bytes of a vote message (145 bytes, docs/protocol.md §10.5): `u8 kind ‖ u32le chainId ‖
 * u64le height ‖ u32le round ‖ blockHash[32] ‖ validator[32] ‖ signature[64]`, kind 1 = prevote,
 * 2 = precommit. Bytes 1..49 are the §9 vote bytes the signature's message hashes.
 * @throws RangeError
 */
export function encodeVoteMessage(vote: VoteMessage): Uint8Array {
  const w = new ByteWriter(VOTE_MESSAGE_BYTES);
  writeVoteMessage(w, vote);
  return w.finish();
}

// ------------------------------------------------------------------ decoders

function readInput(r: WireReader, p: string): TxInput {
  const n = r.count(`${p}.ring`, 8);
  const ring: bigint[] = new Array<bigint>(n);
  for (let j = 0; j < n; j++) ring[j] = r.u64(`${p}.ring[${j}]`);
  return { ring, keyImage: r.bytes(32, `${p}.keyImage`), pseudoOut: r.bytes(32, `${p}.pseudoOut`) };
}

function readOutput(r: WireReader, p: string): TxOutput {
  return {
    oneTimeKey: r.bytes(32, `${p}.oneTimeKey`),
    commitment: r.bytes(32, `${p}.commitment`),
    viewTag: r.u8(`${p}.viewTag`),
    encryptedAmount: r.bytes(8, `${p}.encryptedAmount`),
  };
}

/** Reads a tx at the cursor (`pre` is the path prefix, "" or "txs[3]."). */
function readTx(r: WireReader, pre: string): Tx {
  const version = r.u32(`${pre}version`);
  const chainId = r.u32(`${pre}chainId`);
  const fee = r.u64(`${pre}fee`);
  let stake: TxStake | undefined;
  if (version === TX_VERSION_BOND) {
    stake = { validator: r.bytes(32, `${pre}stake.validator`), amount: r.u64(`${pre}stake.amount`), validatorSignature: r.bytes(64, `${pre}stake.validatorSignature`) };
  }
  const nIn = r.count(`${pre}inputs`, MIN_INPUT_BYTES);
  const inputs: TxInput[] = [];
  for (let i = 0; i < nIn; i++) inputs.push(readInput(r, `${pre}inputs[${i}]`));
  const nOut = r.count(`${pre}outputs`, OUTPUT_BYTES);
  const outputs: TxOutput[] = [];
  for (let j = 0; j < nOut; j++) outputs.push(readOutput(r, `${pre}outputs[${j}]`));
  const nR = r.count(`${pre}txPublicKeys`, 32);
  const txPublicKeys: Uint8Array[] = [];
  for (let k = 0; k < nR; k++) txPublicKeys.push(r.bytes(32, `${pre}txPublicKeys[${k}]`));
  const rangeProof = r.varBytes(`${pre}rangeProof`);
  const nSig = r.count(`${pre}signatures`, 4);
  const signatures: Uint8Array[] = [];
  for (let s = 0; s < nSig; s++) signatures.push(r.varBytes(`${pre}signatures[${s}]`));
  const powNonce = r.u64(`${pre}powNonce`);
  const tx: Tx = { version, chainId, fee, inputs, outputs, txPublicKeys, rangeProof, signatures, powNonce };
  if (stake !== undefined) tx.stake = stake;
  return tx;
}

function readHeader(r: WireReader, pre: string): BlockHeader {
  return {
    version: r.u32(`${pre}version`),
    chainId: r.u32(`${pre}chainId`),
    height: r.u64(`${pre}height`),
    parentHash: r.bytes(32, `${pre}parentHash`),
    timeMs: r.u64(`${pre}timeMs`),
    txRoot: r.bytes(32, `${pre}txRoot`),
    outputRoot: r.bytes(32, `${pre}outputRoot`),
    outputCount: r.u64(`${pre}outputCount`),
    txPowTarget: r.bytes(32, `${pre}txPowTarget`),
    blockTarget: r.bytes(32, `${pre}blockTarget`),
    validatorsHash: r.bytes(32, `${pre}validatorsHash`),
    nextValidatorsHash: r.bytes(32, `${pre}nextValidatorsHash`),
    lastCertificateHash: r.bytes(32, `${pre}lastCertificateHash`),
    evidenceRoot: r.bytes(32, `${pre}evidenceRoot`),
    stakingRoot: r.bytes(32, `${pre}stakingRoot`),
    headerRoot: r.bytes(32, `${pre}headerRoot`),
    superParentsRoot: r.bytes(32, `${pre}superParentsRoot`),
    keyImageRoot: r.bytes(32, `${pre}keyImageRoot`),
    stakingStateHash: r.bytes(32, `${pre}stakingStateHash`),
    powNonce: r.u64(`${pre}powNonce`),
  };
}

function readCertificate(r: WireReader, pre: string): FinalityCertificate {
  const height = r.u64(`${pre}height`);
  const round = r.u32(`${pre}round`);
  const blockHash = r.bytes(32, `${pre}blockHash`);
  const n = r.count(`${pre}votes`, CERT_VOTE_BYTES);
  const votes: Vote[] = [];
  for (let i = 0; i < n; i++) votes.push({ validator: r.bytes(32, `${pre}votes[${i}].validator`), signature: r.bytes(64, `${pre}votes[${i}].signature`) });
  return { height, round, blockHash, votes };
}

function readUnbond(r: WireReader, p: string): Unbond {
  return {
    validator: r.bytes(32, `${p}.validator`),
    amount: r.u64(`${p}.amount`),
    oneTimeKey: r.bytes(32, `${p}.oneTimeKey`),
    viewTag: r.u8(`${p}.viewTag`),
    txPublicKey: r.bytes(32, `${p}.txPublicKey`),
    signature: r.bytes(64, `${p}.signature`),
  };
}

function readVoteMessage(r: WireReader, pre: string): VoteMessage {
  const k = r.u8(`${pre}kind`);
  if (k !== VOTE_KIND_PREVOTE && k !== VOTE_KIND_PRECOMMIT) throw r.fail(`${pre}kind`, `${k} is neither ${VOTE_KIND_PREVOTE} (prevote) nor ${VOTE_KIND_PRECOMMIT} (precommit)`);
  return {
    kind: k === VOTE_KIND_PREVOTE ? "prevote" : "precommit",
    chainId: r.u32(`${pre}chainId`),
    height: r.u64(`${pre}height`),
    round: r.u32(`${pre}round`),
    blockHash: r.bytes(32, `${pre}blockHash`),
    validator: r.bytes(32, `${pre}validator`),
    signature: r.bytes(64, `${pre}signature`),
  };
}

function readEvidence(r: WireReader, p: string): Evidence {
  const k = r.u8(`${p}.kind`);
  if (k === EVIDENCE_KIND_DUPLICATE_VOTE) return { kind: "duplicate-vote", voteA: readVoteMessage(r, `${p}.voteA.`), voteB: readVoteMessage(r, `${p}.voteB.`) };
  if (k === EVIDENCE_KIND_INVALID_ATTESTATION) return { kind: "invalid-attestation", vote: readVoteMessage(r, `${p}.vote.`), block: r.varBytes(`${p}.block`) };
  throw r.fail(`${p}.kind`, `${k} is neither ${EVIDENCE_KIND_DUPLICATE_VOTE} (duplicate vote) nor ${EVIDENCE_KIND_INVALID_ATTESTATION} (invalid attestation)`);
}

function readCoinbase(r: WireReader, pre: string): Coinbase {
  const height = r.u64(`${pre}height`);
  const txPublicKey = r.bytes(32, `${pre}txPublicKey`);
  const n = r.count(`${pre}outputs`, COINBASE_OUTPUT_BYTES);
  const outputs: CoinbaseOutput[] = [];
  for (let i = 0; i < n; i++) {
    const p = `${pre}outputs[${i}]`;
    outputs.push({ oneTimeKey: r.bytes(32, `${p}.oneTimeKey`), viewTag: r.u8(`${p}.viewTag`), amount: r.u64(`${p}.amount`), unlockHeight: r.u64(`${p}.unlockHeight`) });
  }
  return { height, txPublicKey, outputs };
}

/** Type and size checks every decoder makes before reading a byte. */
function start(data: unknown, maxBytes: number, malformed: ConsensusErrorCode, oversized: ConsensusErrorCode, what: string): WireReader {
  if (!(data instanceof Uint8Array)) throw new ConsensusError(malformed, `${what}: expected bytes`);
  if (data.length > maxBytes) throw new ConsensusError(oversized, `${what}: ${data.length} bytes > limit ${maxBytes}`);
  return new WireReader(data, malformed);
}

/**
 * Decodes a transaction's wire bytes (docs/protocol.md §10.1). Consensus rules (ring size and
 * order, fee, counts against ChainParams, …) are NOT checked here; see `checkTxStructure`.
 * @param maxBytes the size limit in wire bytes (ChainParams.maxTxBytes; default 65 536), checked first
 * @throws ConsensusError `TX_OVERSIZED`; `TX_MALFORMED` (truncated field, count or length beyond
 *   the remaining bytes, trailing bytes), the reason naming the field, e.g. `inputs[0].ring: …`
 */
export function decodeTx(data: Uint8Array, maxBytes: number = DEFAULT_MAX_TX_BYTES): Tx {
  const r = start(data, maxBytes, "TX_MALFORMED", "TX_OVERSIZED", "tx");
  const tx = readTx(r, "");
  r.end("tx");
  return tx;
}

/**
 * Decodes a block header: exactly 488 bytes (§5).
 * @throws ConsensusError `BLOCK_MALFORMED` (wrong length)
 */
export function decodeHeader(data: Uint8Array): BlockHeader {
  const r = start(data, HEADER_BYTES, "BLOCK_MALFORMED", "BLOCK_MALFORMED", "header");
  const h = readHeader(r, "header.");
  r.end("header");
  return h;
}

/**
 * Decodes coinbase bytes (§4).
 * @param maxBytes size limit in bytes (default 4 MiB), checked first
 * @throws ConsensusError `BLOCK_OVERSIZED`, `BLOCK_MALFORMED`
 */
export function decodeCoinbase(data: Uint8Array, maxBytes: number = DEFAULT_MAX_BLOCK_BYTES): Coinbase {
  const r = start(data, maxBytes, "BLOCK_MALFORMED", "BLOCK_OVERSIZED", "coinbase");
  const cb = readCoinbase(r, "coinbase.");
  r.end("coinbase");
  return cb;
}

/**
 * Decodes a block's wire bytes (docs/protocol.md §10.3). Each tx must fill its `len` exactly.
 * Per-tx size limits and every consensus rule are validation (`validateBlock`).
 * @param maxBytes the size limit in wire bytes (ChainParams.maxBlockBytes; default 4 MiB), checked first
 * @throws ConsensusError `BLOCK_OVERSIZED`; `BLOCK_MALFORMED` with the path, e.g. `txs[2].inputs[0].ring: …`
 */
export function decodeBlock(data: Uint8Array, maxBytes: number = DEFAULT_MAX_BLOCK_BYTES): Block {
  const r = start(data, maxBytes, "BLOCK_MALFORMED", "BLOCK_OVERSIZED", "block");
  const header = readHeader(r, "header.");
  const coinbase = readCoinbase(r, "coinbase.");
  const nTx = r.count("txs", 4 + MIN_TX_WIRE_BYTES);
  const txs: Tx[] = [];
  for (let i = 0; i < nTx; i++) {
    const len = r.u32(`txs[${i}].length`);
    if (len > r.remaining) throw r.fail(`txs[${i}]`, `length ${len} exceeds remaining bytes (${r.remaining} left at offset ${r.offset})`);
    const sub = r.sub(len, `txs[${i}]`);
    txs.push(readTx(sub, `txs[${i}].`));
    sub.end(`txs[${i}]`);
  }
  const lastCertificate = readCertificate(r, "lastCertificate.");
  const nUnbond = r.count("unbonds", UNBOND_BYTES);
  const unbonds: Unbond[] = [];
  for (let i = 0; i < nUnbond; i++) unbonds.push(readUnbond(r, `unbonds[${i}]`));
  const nEv = r.count("evidence", MIN_EVIDENCE_BYTES);
  const evidence: Evidence[] = [];
  for (let i = 0; i < nEv; i++) evidence.push(readEvidence(r, `evidence[${i}]`));
  r.end("block");
  return { header, coinbase, txs, lastCertificate, unbonds, evidence };
}

/**
 * Decodes a finality certificate (docs/protocol.md §10.4). Vote order, membership and
 * signatures are checked by `verifyFinalityCertificate`.
 * @param maxBytes size limit in bytes (default 65 536 = 682 votes), checked first
 * @throws ConsensusError `CERT_MALFORMED` (also when over the limit)
 */
export function decodeCertificate(data: Uint8Array, maxBytes: number = DEFAULT_MAX_CERT_BYTES): FinalityCertificate {
  const r = start(data, maxBytes, "CERT_MALFORMED", "CERT_MALFORMED", "certificate");
  const cert = readCertificate(r, "");
  r.end("certificate");
  return cert;
}

/**
 * Decodes an unbond request: exactly 169 bytes (docs/protocol.md §10.3). Its signature is
 * checked by `verifyUnbondSignature`.
 * @throws ConsensusError `BLOCK_MALFORMED`
 */
export function decodeUnbond(data: Uint8Array): Unbond {
  const r = start(data, UNBOND_BYTES, "BLOCK_MALFORMED", "BLOCK_MALFORMED", "unbond");
  const u = readUnbond(r, "unbond");
  r.end("unbond");
  return u;
}

/**
 * Decodes one evidence item (docs/protocol.md §10.8), e.g. from the `evidence` gossip topic.
 * The votes' signatures and the embedded block are checked by `checkEvidence`, not here.
 * @param maxBytes size limit in bytes (default 4 MiB + 150), checked first
 * @throws ConsensusError `EVIDENCE_MALFORMED` (also when over the limit or of an unknown kind)
 */
export function decodeEvidence(data: Uint8Array, maxBytes: number = DEFAULT_MAX_EVIDENCE_BYTES): Evidence {
  const r = start(data, maxBytes, "EVIDENCE_MALFORMED", "EVIDENCE_MALFORMED", "evidence");
  const ev = readEvidence(r, "evidence");
  r.end("evidence");
  return ev;
}

/**
 * Decodes a vote message: exactly 145 bytes, kind byte 1 (prevote) or 2 (precommit)
 * (docs/protocol.md §10.5). The signature is checked by `verifyVote`.
 * @throws ConsensusError `CERT_MALFORMED`
 */
export function decodeVoteMessage(data: Uint8Array): VoteMessage {
  const r = start(data, VOTE_MESSAGE_BYTES, "CERT_MALFORMED", "CERT_MALFORMED", "vote");
  const vote = readVoteMessage(r, "");
  r.end("vote");
  return vote;
}
