/**
 * An independent reader and writer of the consensus wire format (docs/protocol.md §10),
 * written from the specification alone: nothing is imported from `@baios/consensus`.
 *
 * Layouts (all integers little-endian):
 * - tx: `u32 version ‖ u32 chainId ‖ u64 fee ‖ [version 2 only: validator[32] ‖ u64 stake ‖
 *   consent[64]] ‖ u32 nIn ‖ nIn × (u32 ringSize ‖ ringSize × u64 ‖
 *   keyImage[32] ‖ pseudoOut[32]) ‖ u32 nOut ‖ nOut × (P[32] ‖ C[32] ‖ u8 viewTag ‖ amount[8]) ‖
 *   u32 nR ‖ nR × R[32] ‖ u32 len ‖ rangeProof ‖ u32 nSig ‖ nSig × (u32 len ‖ sig) ‖ u64 powNonce`
 * - header: 488 fixed bytes (the last 8 the PoW nonce); coinbase: `u64 height ‖ R[32] ‖ u32 n ‖ n × (P[32] ‖ u8 tag ‖ u64 amount ‖ u64 unlock)`
 * - block: `header ‖ coinbase ‖ u32 nTx ‖ nTx × (u32 len ‖ tx) ‖ certificate ‖ u32 nUnbond ‖
 *   nUnbond × unbond ‖ u32 nEvidence ‖ nEvidence × evidence`
 * - certificate: `u64 height ‖ u32 round ‖ hash[32] ‖ u32 n ‖ n × (key[32] ‖ sig[64])`
 * - vote: `u8 kind (1 prevote, 2 precommit) ‖ u32 chainId ‖ u64 height ‖ u32 round ‖ hash[32] ‖ key[32] ‖ sig[64]`
 * - unbond: `validator[32] ‖ u64 amount ‖ P[32] ‖ u8 viewTag ‖ R[32] ‖ sig[64]` (169 bytes)
 * - evidence: `u8 1 ‖ vote ‖ vote` or `u8 2 ‖ vote ‖ u32 len ‖ block[len]`
 *
 * Rejections are {@link WireError}s carrying the §11 code the consensus decoder must give.
 * This reader checks a declared count against the remaining bytes only as it goes (an item at
 * a time), a different strategy from the consensus decoder's up-front bound; both must agree on
 * the verdict.
 *
 * @module
 */
import { concat, u32le, u64le } from "./encoding.ts";

/** The consensus error codes (docs/protocol.md §11) a wire decoding can end in. */
export const WIRE_ERROR_CODES = ["TX_MALFORMED", "TX_OVERSIZED", "BLOCK_MALFORMED", "BLOCK_OVERSIZED", "CERT_MALFORMED", "EVIDENCE_MALFORMED", "BLOCK_BAD_POW", "KISET_DUPLICATE", "KISET_PROOF_MALFORMED", "KISET_PROOF_INVALID", "MMR_PROOF_MALFORMED", "MMR_PROOF_INVALID", "MMR_CONSISTENCY_MALFORMED", "MMR_CONSISTENCY_INVALID"] as const;

/** One of {@link WIRE_ERROR_CODES}. */
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** Whether `s` is one of {@link WIRE_ERROR_CODES}. */
export function isWireErrorCode(s: string): s is WireErrorCode {
  return (WIRE_ERROR_CODES as readonly string[]).includes(s);
}

/** A wire decoding rejection with its §11 code. */
export class WireError extends Error {
  /** The expected consensus error code. */
  readonly code: WireErrorCode;

  /**
   * @param code - the §11 code.
   * @param message - which field, at which offset.
   */
  constructor(code: WireErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "WireError";
    this.code = code;
  }
}

/** A decoded tx, plus the byte ranges the hashes are taken over. */
export interface WireTx {
  readonly version: number;
  readonly chainId: number;
  readonly fee: bigint;
  /** Version 2 (bond) only: the public stake and the validator's consent signature. */
  readonly stake?: { validator: Uint8Array; amount: bigint; validatorSignature: Uint8Array };
  readonly inputs: readonly { ring: bigint[]; keyImage: Uint8Array; pseudoOut: Uint8Array }[];
  readonly outputs: readonly { oneTimeKey: Uint8Array; commitment: Uint8Array; viewTag: number; encryptedAmount: Uint8Array }[];
  readonly txPublicKeys: readonly Uint8Array[];
  readonly rangeProof: Uint8Array;
  readonly signatures: readonly Uint8Array[];
  readonly powNonce: bigint;
  /** The §3.2 signing bytes (everything up to and including the range proof). */
  readonly signingBytes: Uint8Array;
  /** The §3.3 body bytes (everything but the nonce). */
  readonly bodyBytes: Uint8Array;
}

/** A decoded header (488 bytes). */
export interface WireHeader {
  readonly version: number;
  readonly chainId: number;
  readonly height: bigint;
  readonly parentHash: Uint8Array;
  readonly timeMs: bigint;
  readonly txRoot: Uint8Array;
  readonly outputRoot: Uint8Array;
  readonly outputCount: bigint;
  readonly txPowTarget: Uint8Array;
  readonly blockTarget: Uint8Array;
  readonly validatorsHash: Uint8Array;
  readonly nextValidatorsHash: Uint8Array;
  readonly lastCertificateHash: Uint8Array;
  readonly evidenceRoot: Uint8Array;
  readonly stakingRoot: Uint8Array;
  readonly headerRoot: Uint8Array;
  readonly superParentsRoot: Uint8Array;
  readonly keyImageRoot: Uint8Array;
  readonly stakingStateHash: Uint8Array;
  readonly powNonce: bigint;
}

/** A decoded unbond request; `bytes` are its 169 wire bytes, `signedBytes` the first 105. */
export interface WireUnbond {
  readonly validator: Uint8Array;
  readonly amount: bigint;
  readonly oneTimeKey: Uint8Array;
  readonly viewTag: number;
  readonly txPublicKey: Uint8Array;
  readonly signature: Uint8Array;
  readonly bytes: Uint8Array;
  readonly signedBytes: Uint8Array;
}

/** A decoded evidence item; `bytes` are its wire bytes (what its leaf hashes). */
export type WireEvidence =
  | { readonly kind: "duplicate-vote"; readonly voteA: WireVote; readonly voteB: WireVote; readonly bytes: Uint8Array }
  | { readonly kind: "invalid-attestation"; readonly vote: WireVote; readonly block: Uint8Array; readonly bytes: Uint8Array };

/** A decoded coinbase. */
export interface WireCoinbase {
  readonly height: bigint;
  readonly txPublicKey: Uint8Array;
  readonly outputs: readonly { oneTimeKey: Uint8Array; viewTag: number; amount: bigint; unlockHeight: bigint }[];
}

/** A decoded block; `coinbaseBytes` is the §4 byte string its hash is taken over, `certificateBytes` the last certificate's. */
export interface WireBlock {
  readonly header: WireHeader;
  readonly headerBytes: Uint8Array;
  readonly coinbase: WireCoinbase;
  readonly coinbaseBytes: Uint8Array;
  readonly txs: readonly WireTx[];
  readonly lastCertificate: WireCertificate;
  readonly certificateBytes: Uint8Array;
  readonly unbonds: readonly WireUnbond[];
  readonly evidence: readonly WireEvidence[];
}

/** A decoded finality certificate. */
export interface WireCertificate {
  readonly height: bigint;
  readonly round: number;
  readonly blockHash: Uint8Array;
  readonly votes: readonly { validator: Uint8Array; signature: Uint8Array }[];
}

/** A decoded vote message; `voteBytes` is the §9 48-byte string its message hashes. */
export interface WireVote {
  readonly kind: "prevote" | "precommit";
  readonly chainId: number;
  readonly height: bigint;
  readonly round: number;
  readonly blockHash: Uint8Array;
  readonly validator: Uint8Array;
  readonly signature: Uint8Array;
  readonly voteBytes: Uint8Array;
}

/** Byte length of a header. */
export const HEADER_LEN = 488;
/** Byte length of an unbond request. */
export const UNBOND_LEN = 169;
/** Byte length of a vote message. */
export const VOTE_LEN = 145;

/** A read position over a byte string; every read fails with `code` when bytes are missing. */
class Cursor {
  at = 0;
  readonly buf: Uint8Array;
  readonly code: WireErrorCode;

  constructor(buf: Uint8Array, code: WireErrorCode) {
    this.buf = buf;
    this.code = code;
  }

  take(n: number, what: string): Uint8Array {
    if (this.at + n > this.buf.length) throw new WireError(this.code, `${what}: needs ${n} bytes at ${this.at}, only ${this.buf.length - this.at} left`);
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  int(n: number, what: string): bigint {
    const b = this.take(n, what);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
    return v;
  }

  u8(what: string): number {
    return Number(this.int(1, what));
  }

  u32(what: string): number {
    return Number(this.int(4, what));
  }

  u64(what: string): bigint {
    return this.int(8, what);
  }

  /** A count; items are then read one by one, so a lie fails on the first missing item. */
  list<T>(what: string, item: (i: number) => T): T[] {
    const n = this.u32(`${what} count`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      if (this.at >= this.buf.length) throw new WireError(this.code, `${what}: count ${n} but the bytes end after ${i} items`);
      out.push(item(i));
    }
    return out;
  }

  finish(what: string): void {
    if (this.at !== this.buf.length) throw new WireError(this.code, `${what}: ${this.buf.length - this.at} bytes after the last field`);
  }
}

function readTx(c: Cursor): WireTx {
  const start = c.at;
  const version = c.u32("version");
  const chainId = c.u32("chainId");
  const fee = c.u64("fee");
  const stake = version === 2 ? { validator: c.take(32, "stake.validator"), amount: c.u64("stake.amount"), validatorSignature: c.take(64, "stake.validatorSignature") } : undefined;
  const inputs = c.list("inputs", (i) => ({
    ring: c.list(`inputs[${i}].ring`, (j) => c.u64(`inputs[${i}].ring[${j}]`)),
    keyImage: c.take(32, `inputs[${i}].keyImage`),
    pseudoOut: c.take(32, `inputs[${i}].pseudoOut`),
  }));
  const outputs = c.list("outputs", (j) => ({
    oneTimeKey: c.take(32, `outputs[${j}].oneTimeKey`),
    commitment: c.take(32, `outputs[${j}].commitment`),
    viewTag: c.u8(`outputs[${j}].viewTag`),
    encryptedAmount: c.take(8, `outputs[${j}].encryptedAmount`),
  }));
  const txPublicKeys = c.list("txPublicKeys", (k) => c.take(32, `txPublicKeys[${k}]`));
  const rangeProof = c.take(c.u32("rangeProof length"), "rangeProof");
  const signingBytes = c.buf.slice(start, c.at);
  const signatures = c.list("signatures", (s) => c.take(c.u32(`signatures[${s}] length`), `signatures[${s}]`));
  const bodyBytes = c.buf.slice(start, c.at);
  const powNonce = c.u64("powNonce");
  return { version, chainId, fee, ...(stake === undefined ? {} : { stake }), inputs, outputs, txPublicKeys, rangeProof, signatures, powNonce, signingBytes, bodyBytes };
}

function readHeader(c: Cursor): WireHeader {
  return {
    version: c.u32("version"),
    chainId: c.u32("chainId"),
    height: c.u64("height"),
    parentHash: c.take(32, "parentHash"),
    timeMs: c.u64("timeMs"),
    txRoot: c.take(32, "txRoot"),
    outputRoot: c.take(32, "outputRoot"),
    outputCount: c.u64("outputCount"),
    txPowTarget: c.take(32, "txPowTarget"),
    blockTarget: c.take(32, "blockTarget"),
    validatorsHash: c.take(32, "validatorsHash"),
    nextValidatorsHash: c.take(32, "nextValidatorsHash"),
    lastCertificateHash: c.take(32, "lastCertificateHash"),
    evidenceRoot: c.take(32, "evidenceRoot"),
    stakingRoot: c.take(32, "stakingRoot"),
    headerRoot: c.take(32, "headerRoot"),
    superParentsRoot: c.take(32, "superParentsRoot"),
    keyImageRoot: c.take(32, "keyImageRoot"),
    stakingStateHash: c.take(32, "stakingStateHash"),
    powNonce: c.u64("powNonce"),
  };
}

function readCertificate(c: Cursor, p: string): WireCertificate {
  return {
    height: c.u64(`${p}height`),
    round: c.u32(`${p}round`),
    blockHash: c.take(32, `${p}blockHash`),
    votes: c.list(`${p}votes`, (i) => ({ validator: c.take(32, `${p}votes[${i}].validator`), signature: c.take(64, `${p}votes[${i}].signature`) })),
  };
}

function readVote(c: Cursor, p: string): WireVote {
  const start = c.at;
  const k = c.u8(`${p}kind`);
  if (k !== 1 && k !== 2) throw new WireError(c.code, `${p}kind ${k}`);
  return {
    kind: k === 1 ? "prevote" : "precommit",
    chainId: c.u32(`${p}chainId`),
    height: c.u64(`${p}height`),
    round: c.u32(`${p}round`),
    blockHash: c.take(32, `${p}blockHash`),
    validator: c.take(32, `${p}validator`),
    signature: c.take(64, `${p}signature`),
    voteBytes: c.buf.slice(start + 1, start + 49),
  };
}

function readUnbond(c: Cursor, p: string): WireUnbond {
  const start = c.at;
  const u = {
    validator: c.take(32, `${p}.validator`),
    amount: c.u64(`${p}.amount`),
    oneTimeKey: c.take(32, `${p}.oneTimeKey`),
    viewTag: c.u8(`${p}.viewTag`),
    txPublicKey: c.take(32, `${p}.txPublicKey`),
  };
  const signedBytes = c.buf.slice(start, c.at);
  const signature = c.take(64, `${p}.signature`);
  return { ...u, signature, signedBytes, bytes: c.buf.slice(start, c.at) };
}

function readEvidence(c: Cursor, p: string): WireEvidence {
  const start = c.at;
  const k = c.u8(`${p}.kind`);
  if (k === 1) {
    const voteA = readVote(c, `${p}.voteA.`);
    const voteB = readVote(c, `${p}.voteB.`);
    return { kind: "duplicate-vote", voteA, voteB, bytes: c.buf.slice(start, c.at) };
  }
  if (k === 2) {
    const vote = readVote(c, `${p}.vote.`);
    const block = c.take(c.u32(`${p}.block length`), `${p}.block`);
    return { kind: "invalid-attestation", vote, block, bytes: c.buf.slice(start, c.at) };
  }
  throw new WireError(c.code, `${p}.kind ${k}`);
}

function readCoinbase(c: Cursor): WireCoinbase {
  return {
    height: c.u64("coinbase.height"),
    txPublicKey: c.take(32, "coinbase.txPublicKey"),
    outputs: c.list("coinbase.outputs", (i) => ({
      oneTimeKey: c.take(32, `coinbase.outputs[${i}].oneTimeKey`),
      viewTag: c.u8(`coinbase.outputs[${i}].viewTag`),
      amount: c.u64(`coinbase.outputs[${i}].amount`),
      unlockHeight: c.u64(`coinbase.outputs[${i}].unlockHeight`),
    })),
  };
}

/**
 * Parses a tx's wire bytes under a size limit.
 *
 * @throws {@link WireError} `TX_OVERSIZED` (checked first), `TX_MALFORMED`.
 */
export function parseTx(bytes: Uint8Array, maxBytes: number): WireTx {
  if (bytes.length > maxBytes) throw new WireError("TX_OVERSIZED", `${bytes.length} > ${maxBytes} bytes`);
  const c = new Cursor(bytes, "TX_MALFORMED");
  const tx = readTx(c);
  c.finish("tx");
  return tx;
}

/**
 * Parses a 488-byte header.
 *
 * @throws {@link WireError} `BLOCK_MALFORMED`.
 */
export function parseHeader(bytes: Uint8Array): WireHeader {
  const c = new Cursor(bytes, "BLOCK_MALFORMED");
  const h = readHeader(c);
  c.finish("header");
  return h;
}

/**
 * Parses a block's wire bytes under a size limit; each tx must fill its length prefix exactly.
 *
 * @throws {@link WireError} `BLOCK_OVERSIZED` (checked first), `BLOCK_MALFORMED`.
 */
export function parseBlock(bytes: Uint8Array, maxBytes: number): WireBlock {
  if (bytes.length > maxBytes) throw new WireError("BLOCK_OVERSIZED", `${bytes.length} > ${maxBytes} bytes`);
  const c = new Cursor(bytes, "BLOCK_MALFORMED");
  const header = readHeader(c);
  const headerBytes = bytes.slice(0, HEADER_LEN);
  const cbStart = c.at;
  const coinbase = readCoinbase(c);
  const coinbaseBytes = bytes.slice(cbStart, c.at);
  const txs = c.list("txs", (i) => {
    const inner = new Cursor(c.take(c.u32(`txs[${i}] length`), `txs[${i}]`), "BLOCK_MALFORMED");
    const tx = readTx(inner);
    inner.finish(`txs[${i}]`);
    return tx;
  });
  const certStart = c.at;
  const lastCertificate = readCertificate(c, "lastCertificate.");
  const certificateBytes = bytes.slice(certStart, c.at);
  const unbonds = c.list("unbonds", (i) => readUnbond(c, `unbonds[${i}]`));
  const evidence = c.list("evidence", (i) => readEvidence(c, `evidence[${i}]`));
  c.finish("block");
  return { header, headerBytes, coinbase, coinbaseBytes, txs, lastCertificate, certificateBytes, unbonds, evidence };
}

/**
 * Parses a 169-byte unbond request.
 *
 * @throws {@link WireError} `BLOCK_MALFORMED`.
 */
export function parseUnbond(bytes: Uint8Array): WireUnbond {
  if (bytes.length !== UNBOND_LEN) throw new WireError("BLOCK_MALFORMED", `unbond is ${bytes.length} bytes, not ${UNBOND_LEN}`);
  const c = new Cursor(bytes, "BLOCK_MALFORMED");
  const u = readUnbond(c, "unbond");
  c.finish("unbond");
  return u;
}

/**
 * Parses one evidence item.
 *
 * @throws {@link WireError} `EVIDENCE_MALFORMED` (truncated, unknown kind or vote kind, trailing bytes).
 */
export function parseEvidence(bytes: Uint8Array): WireEvidence {
  const c = new Cursor(bytes, "EVIDENCE_MALFORMED");
  const ev = readEvidence(c, "evidence");
  c.finish("evidence");
  return ev;
}

/**
 * Parses a finality certificate.
 *
 * @throws {@link WireError} `CERT_MALFORMED` (also over `maxBytes`).
 */
export function parseCertificate(bytes: Uint8Array, maxBytes = 65_536): WireCertificate {
  if (bytes.length > maxBytes) throw new WireError("CERT_MALFORMED", `${bytes.length} > ${maxBytes} bytes`);
  const c = new Cursor(bytes, "CERT_MALFORMED");
  const cert = readCertificate(c, "");
  c.finish("certificate");
  return cert;
}

/**
 * Parses a 145-byte vote message.
 *
 * @throws {@link WireError} `CERT_MALFORMED` (length, kind byte not 1 or 2).
 */
export function parseVote(bytes: Uint8Array): WireVote {
  if (bytes.length !== VOTE_LEN) throw new WireError("CERT_MALFORMED", `vote is ${bytes.length} bytes, not ${VOTE_LEN}`);
  const c = new Cursor(bytes, "CERT_MALFORMED");
  const vote = readVote(c, "");
  c.finish("vote");
  return vote;
}

/** Writes a tx back (for the round-trip check): the layout above, field by field. */
export function writeTx(tx: Omit<WireTx, "signingBytes" | "bodyBytes">): Uint8Array {
  const parts: Uint8Array[] = [u32le(tx.version), u32le(tx.chainId), u64le(tx.fee)];
  if (tx.stake !== undefined) parts.push(tx.stake.validator, u64le(tx.stake.amount), tx.stake.validatorSignature);
  parts.push(u32le(tx.inputs.length));
  for (const i of tx.inputs) parts.push(u32le(i.ring.length), ...i.ring.map(u64le), i.keyImage, i.pseudoOut);
  parts.push(u32le(tx.outputs.length));
  for (const o of tx.outputs) parts.push(o.oneTimeKey, o.commitment, Uint8Array.of(o.viewTag), o.encryptedAmount);
  parts.push(u32le(tx.txPublicKeys.length), ...tx.txPublicKeys, u32le(tx.rangeProof.length), tx.rangeProof, u32le(tx.signatures.length));
  for (const s of tx.signatures) parts.push(u32le(s.length), s);
  parts.push(u64le(tx.powNonce));
  return concat(...parts);
}

/** Writes the 488 header bytes. */
export function writeHeader(h: WireHeader): Uint8Array {
  return concat(
    u32le(h.version), u32le(h.chainId), u64le(h.height), h.parentHash, u64le(h.timeMs), h.txRoot, h.outputRoot,
    u64le(h.outputCount), h.txPowTarget, h.blockTarget, h.validatorsHash, h.nextValidatorsHash, h.lastCertificateHash,
    h.evidenceRoot, h.stakingRoot, h.headerRoot, h.superParentsRoot, h.keyImageRoot, h.stakingStateHash, u64le(h.powNonce),
  );
}

/** Writes a certificate's bytes. */
export function writeCertificate(cert: WireCertificate): Uint8Array {
  return concat(u64le(cert.height), u32le(cert.round), cert.blockHash, u32le(cert.votes.length), ...cert.votes.flatMap((v) => [v.validator, v.signature]));
}

/** Writes a vote message (145 bytes). */
export function writeVote(v: Omit<WireVote, "voteBytes">): Uint8Array {
  return concat(Uint8Array.of(v.kind === "prevote" ? 1 : 2), u32le(v.chainId), u64le(v.height), u32le(v.round), v.blockHash, v.validator, v.signature);
}

/** Writes an unbond request (169 bytes). */
export function writeUnbond(u: Omit<WireUnbond, "bytes" | "signedBytes">): Uint8Array {
  return concat(u.validator, u64le(u.amount), u.oneTimeKey, Uint8Array.of(u.viewTag), u.txPublicKey, u.signature);
}

/** Writes an evidence item. */
export function writeEvidence(ev: WireEvidence): Uint8Array {
  return ev.kind === "duplicate-vote" ? concat(Uint8Array.of(1), writeVote(ev.voteA), writeVote(ev.voteB)) : concat(Uint8Array.of(2), writeVote(ev.vote), u32le(ev.block.length), ev.block);
}

/** Writes the coinbase bytes. */
export function writeCoinbase(cb: WireCoinbase): Uint8Array {
  const parts: Uint8Array[] = [u64le(cb.height), cb.txPublicKey, u32le(cb.outputs.length)];
  for (const o of cb.outputs) parts.push(o.oneTimeKey, Uint8Array.of(o.viewTag), u64le(o.amount), u64le(o.unlockHeight));
  return concat(...parts);
}
