/**
 * The msgpack wire and storage envelope (docs/protocol.md §10), decoded strictly:
 * 1. the byte size limit is checked before decoding (`*_OVERSIZED`);
 * 2. msgpack is decoded (errors, trailing bytes → `*_MALFORMED`);
 * 3. every map must have exactly the expected keys (missing or unknown → `*_MALFORMED`),
 *    every value the exact type (u64 → msgpack int64/uint64 decoded as bigint; u32/u8 → msgpack
 *    integer decoded as number; bytes → msgpack bin of the exact length);
 * 4. the typed value is re-encoded and must equal the input bytes (`*_NON_CANONICAL_ENCODING`),
 *    so `encode(decode(x)) == x` for everything accepted.
 * Encoding uses msgpackr with `useRecords: false`, `variableMapSize: true`, keys in the order of
 * docs/protocol.md §10, bigint for every u64 (msgpackr writes `0xd3` int64 below 2^63, `0xcf` above).
 * @module
 */
import { Packr, Unpackr } from "msgpackr";
import { ConsensusError, type ConsensusErrorCode } from "../errors.ts";
import { U32_MAX, U64_MAX } from "../constants.ts";
import type { Block, BlockHeader, Coinbase, CoinbaseOutput, FinalityCertificate, Tx, TxInput, TxOutput, Vote } from "../types.ts";
import { equalBytes } from "./bytes.ts";

const packr = new Packr({ useRecords: false, variableMapSize: true, moreTypes: false, bundleStrings: false, structuredClone: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: "bigint", moreTypes: false, structuredClone: false, bundleStrings: false });

/** Hard limits on decoded structures (independent of ChainParams, just to bound allocation). */
const MAX_LIST = 1_000_000;

/** Thrown internally with the path of the bad field. */
class Malformed extends Error {}

type Codes = { malformed: ConsensusErrorCode; oversized: ConsensusErrorCode; nonCanonical: ConsensusErrorCode };
const TX_CODES: Codes = { malformed: "TX_MALFORMED", oversized: "TX_OVERSIZED", nonCanonical: "TX_NON_CANONICAL_ENCODING" };
const BLOCK_CODES: Codes = { malformed: "BLOCK_MALFORMED", oversized: "BLOCK_OVERSIZED", nonCanonical: "BLOCK_NON_CANONICAL_ENCODING" };
const CERT_CODES: Codes = { malformed: "CERT_MALFORMED", oversized: "CERT_MALFORMED", nonCanonical: "CERT_MALFORMED" };

// ------------------------------------------------------------------ field readers

function obj(v: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Uint8Array) throw new Malformed(`${path}: expected a map`);
  if (Object.getPrototypeOf(v) !== Object.prototype) throw new Malformed(`${path}: expected a plain map`);
  const got = Object.keys(v);
  for (const k of got) if (!keys.includes(k)) throw new Malformed(`${path}: unknown field "${k}"`);
  for (const k of keys) if (!Object.hasOwn(v, k)) throw new Malformed(`${path}: missing field "${k}"`);
  return v as Record<string, unknown>;
}
function u64(v: unknown, path: string): bigint {
  if (typeof v !== "bigint") throw new Malformed(`${path}: expected a u64 (msgpack int64/uint64)`);
  if (v < 0n || v > U64_MAX) throw new Malformed(`${path}: out of u64 range`);
  return v;
}
function uint(v: unknown, path: string, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw new Malformed(`${path}: expected an integer in 0..=${max}`);
  return v;
}
function bytes(v: unknown, path: string, len?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new Malformed(`${path}: expected bytes (msgpack bin)`);
  if (len !== undefined && v.length !== len) throw new Malformed(`${path}: expected ${len} bytes, got ${v.length}`);
  return new Uint8Array(v); // a copy, detached from the input buffer
}
function list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) throw new Malformed(`${path}: expected an array`);
  if (v.length > MAX_LIST) throw new Malformed(`${path}: too many items`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

// ------------------------------------------------------------------ plain-object forms (canonical key order)

// Transactions are the bulk of the wire and of storage, so their keys are one letter
// (docs/protocol.md §10); error paths still name the fields in full.
const TX_KEYS = ["v", "c", "f", "i", "o", "r", "p", "s", "n"] as const;
const INPUT_KEYS = ["m", "k", "q"] as const;
const OUTPUT_KEYS = ["k", "c", "t", "a"] as const;
const HEADER_KEYS = ["version", "chainId", "height", "parentHash", "timeMs", "txRoot", "outputRoot", "outputCount", "txPowTarget", "validatorsHash", "proposer"] as const;
const COINBASE_KEYS = ["height", "txPublicKey", "outputs"] as const;
const CB_OUTPUT_KEYS = ["oneTimeKey", "viewTag", "amount", "unlockHeight"] as const;
const BLOCK_KEYS = ["header", "coinbase", "txs"] as const;
const CERT_KEYS = ["height", "round", "blockHash", "votes"] as const;
const VOTE_KEYS = ["validator", "signature"] as const;

function txPlain(tx: Tx): Record<string, unknown> {
  return {
    v: tx.version,
    c: tx.chainId,
    f: tx.fee,
    i: tx.inputs.map((i) => ({ m: i.ring.slice(), k: i.keyImage, q: i.pseudoOut })),
    o: tx.outputs.map((o) => ({ k: o.oneTimeKey, c: o.commitment, t: o.viewTag, a: o.encryptedAmount })),
    r: tx.txPublicKeys.slice(),
    p: tx.rangeProof,
    s: tx.signatures.slice(),
    n: tx.powNonce,
  };
}
function headerPlain(h: BlockHeader): Record<string, unknown> {
  return {
    version: h.version,
    chainId: h.chainId,
    height: h.height,
    parentHash: h.parentHash,
    timeMs: h.timeMs,
    txRoot: h.txRoot,
    outputRoot: h.outputRoot,
    outputCount: h.outputCount,
    txPowTarget: h.txPowTarget,
    validatorsHash: h.validatorsHash,
    proposer: h.proposer,
  };
}
function coinbasePlain(c: Coinbase): Record<string, unknown> {
  return {
    height: c.height,
    txPublicKey: c.txPublicKey,
    outputs: c.outputs.map((o) => ({ oneTimeKey: o.oneTimeKey, viewTag: o.viewTag, amount: o.amount, unlockHeight: o.unlockHeight })),
  };
}
function blockPlain(b: Block): Record<string, unknown> {
  return { header: headerPlain(b.header), coinbase: coinbasePlain(b.coinbase), txs: b.txs.map(txPlain) };
}
function certPlain(c: FinalityCertificate): Record<string, unknown> {
  return { height: c.height, round: c.round, blockHash: c.blockHash, votes: c.votes.map((v) => ({ validator: v.validator, signature: v.signature })) };
}

// ------------------------------------------------------------------ typed readers

function readInput(v: unknown, p: string): TxInput {
  const o = obj(v, p, INPUT_KEYS);
  return { ring: list(o.m, `${p}.ring`, u64), keyImage: bytes(o.k, `${p}.keyImage`, 32), pseudoOut: bytes(o.q, `${p}.pseudoOut`, 32) };
}
function readOutput(v: unknown, p: string): TxOutput {
  const o = obj(v, p, OUTPUT_KEYS);
  return {
    oneTimeKey: bytes(o.k, `${p}.oneTimeKey`, 32),
    commitment: bytes(o.c, `${p}.commitment`, 32),
    viewTag: uint(o.t, `${p}.viewTag`, 0xff),
    encryptedAmount: bytes(o.a, `${p}.encryptedAmount`, 8),
  };
}
function readTx(v: unknown, p: string): Tx {
  const o = obj(v, p, TX_KEYS);
  return {
    version: uint(o.v, `${p}.version`, U32_MAX),
    chainId: uint(o.c, `${p}.chainId`, U32_MAX),
    fee: u64(o.f, `${p}.fee`),
    inputs: list(o.i, `${p}.inputs`, readInput),
    outputs: list(o.o, `${p}.outputs`, readOutput),
    txPublicKeys: list(o.r, `${p}.txPublicKeys`, (x, q) => bytes(x, q, 32)),
    rangeProof: bytes(o.p, `${p}.rangeProof`),
    signatures: list(o.s, `${p}.signatures`, (x, q) => bytes(x, q)),
    powNonce: u64(o.n, `${p}.powNonce`),
  };
}
function readHeader(v: unknown, p: string): BlockHeader {
  const o = obj(v, p, HEADER_KEYS);
  return {
    version: uint(o.version, `${p}.version`, U32_MAX),
    chainId: uint(o.chainId, `${p}.chainId`, U32_MAX),
    height: u64(o.height, `${p}.height`),
    parentHash: bytes(o.parentHash, `${p}.parentHash`, 32),
    timeMs: u64(o.timeMs, `${p}.timeMs`),
    txRoot: bytes(o.txRoot, `${p}.txRoot`, 32),
    outputRoot: bytes(o.outputRoot, `${p}.outputRoot`, 32),
    outputCount: u64(o.outputCount, `${p}.outputCount`),
    txPowTarget: bytes(o.txPowTarget, `${p}.txPowTarget`, 32),
    validatorsHash: bytes(o.validatorsHash, `${p}.validatorsHash`, 32),
    proposer: bytes(o.proposer, `${p}.proposer`, 32),
  };
}
function readCbOutput(v: unknown, p: string): CoinbaseOutput {
  const o = obj(v, p, CB_OUTPUT_KEYS);
  return {
    oneTimeKey: bytes(o.oneTimeKey, `${p}.oneTimeKey`, 32),
    viewTag: uint(o.viewTag, `${p}.viewTag`, 0xff),
    amount: u64(o.amount, `${p}.amount`),
    unlockHeight: u64(o.unlockHeight, `${p}.unlockHeight`),
  };
}
function readCoinbase(v: unknown, p: string): Coinbase {
  const o = obj(v, p, COINBASE_KEYS);
  return { height: u64(o.height, `${p}.height`), txPublicKey: bytes(o.txPublicKey, `${p}.txPublicKey`, 32), outputs: list(o.outputs, `${p}.outputs`, readCbOutput) };
}
function readBlock(v: unknown, p: string): Block {
  const o = obj(v, p, BLOCK_KEYS);
  return { header: readHeader(o.header, `${p}.header`), coinbase: readCoinbase(o.coinbase, `${p}.coinbase`), txs: list(o.txs, `${p}.txs`, readTx) };
}
function readVote(v: unknown, p: string): Vote {
  const o = obj(v, p, VOTE_KEYS);
  return { validator: bytes(o.validator, `${p}.validator`, 32), signature: bytes(o.signature, `${p}.signature`, 64) };
}
function readCert(v: unknown, p: string): FinalityCertificate {
  const o = obj(v, p, CERT_KEYS);
  return { height: u64(o.height, `${p}.height`), round: uint(o.round, `${p}.round`, U32_MAX), blockHash: bytes(o.blockHash, `${p}.blockHash`, 32), votes: list(o.votes, `${p}.votes`, readVote) };
}

// ------------------------------------------------------------------ generic strict codec

function pack(plain: unknown): Uint8Array {
  const b = packr.pack(plain);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
}

function strictDecode<T>(data: Uint8Array, maxBytes: number, codes: Codes, what: string, read: (v: unknown, p: string) => T, reencode: (t: T) => Uint8Array): T {
  if (!(data instanceof Uint8Array)) throw new ConsensusError(codes.malformed, `${what}: expected bytes`);
  if (data.length > maxBytes) throw new ConsensusError(codes.oversized, `${what}: ${data.length} bytes > limit ${maxBytes}`);
  let raw: unknown;
  try {
    raw = unpackr.unpack(data.subarray()); // a fresh view: msgpackr attaches a dataView property to its input
  } catch (e) {
    throw new ConsensusError(codes.malformed, `${what}: msgpack: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
  }
  let value: T;
  try {
    value = read(raw, what);
  } catch (e) {
    if (e instanceof Malformed) throw new ConsensusError(codes.malformed, e.message);
    throw e;
  }
  let again: Uint8Array;
  try {
    again = reencode(value);
  } catch (e) {
    throw new ConsensusError(codes.malformed, `${what}: cannot re-encode: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!equalBytes(again, data)) throw new ConsensusError(codes.nonCanonical, `${what}: msgpack bytes are not canonical`);
  return value;
}

/** Default decode limit for a single tx when the caller passes none (the default maxTxBytes). */
const DEFAULT_MAX_TX_BYTES = 65_536;
/** Default decode limit for a block when the caller passes none (the default maxBlockBytes). */
const DEFAULT_MAX_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Canonical msgpack bytes of a transaction (wire and storage form, docs/protocol.md §10).
 * Only the fields of {@link Tx} are written, in canonical order.
 * @throws RangeError when a bigint does not fit in 64 bits
 */
export function encodeTx(tx: Tx): Uint8Array {
  return pack(txPlain(tx));
}

/**
 * Strictly decodes a transaction: size first, then exact fields and types, then canonicity.
 * Consensus rules (ring size, fee, …) are NOT checked here; see `checkTxStructure`.
 * @param maxBytes the size limit in bytes (ChainParams.maxTxBytes; default 65 536)
 * @throws ConsensusError `TX_OVERSIZED`, `TX_MALFORMED`, `TX_NON_CANONICAL_ENCODING`
 */
export function decodeTx(data: Uint8Array, maxBytes: number = DEFAULT_MAX_TX_BYTES): Tx {
  return strictDecode(data, maxBytes, TX_CODES, "tx", readTx, encodeTx);
}

/** Canonical msgpack bytes of a block (header, coinbase, txs). @throws RangeError on out-of-range bigints */
export function encodeBlock(block: Block): Uint8Array {
  return pack(blockPlain(block));
}

/**
 * Strictly decodes a block (see module doc).
 * @param maxBytes the size limit in bytes (ChainParams.maxBlockBytes; default 4 MiB)
 * @throws ConsensusError `BLOCK_OVERSIZED`, `BLOCK_MALFORMED`, `BLOCK_NON_CANONICAL_ENCODING`
 */
export function decodeBlock(data: Uint8Array, maxBytes: number = DEFAULT_MAX_BLOCK_BYTES): Block {
  return strictDecode(data, maxBytes, BLOCK_CODES, "block", readBlock, encodeBlock);
}

/** Canonical msgpack bytes of a block header alone (storage form). */
export function encodeHeader(header: BlockHeader): Uint8Array {
  return pack(headerPlain(header));
}

/** Strictly decodes a header. @throws ConsensusError `BLOCK_MALFORMED`, `BLOCK_NON_CANONICAL_ENCODING` */
export function decodeHeader(data: Uint8Array): BlockHeader {
  return strictDecode(data, 1024, BLOCK_CODES, "header", readHeader, encodeHeader);
}

/** Canonical msgpack bytes of a coinbase alone. */
export function encodeCoinbase(cb: Coinbase): Uint8Array {
  return pack(coinbasePlain(cb));
}

/** Strictly decodes a coinbase. @throws ConsensusError `BLOCK_MALFORMED`, `BLOCK_NON_CANONICAL_ENCODING`, `BLOCK_OVERSIZED` */
export function decodeCoinbase(data: Uint8Array, maxBytes: number = DEFAULT_MAX_BLOCK_BYTES): Coinbase {
  return strictDecode(data, maxBytes, BLOCK_CODES, "coinbase", readCoinbase, encodeCoinbase);
}

/** Canonical msgpack bytes of a finality certificate. */
export function encodeCertificate(cert: FinalityCertificate): Uint8Array {
  return pack(certPlain(cert));
}

/**
 * Strictly decodes a finality certificate (limit: 64 KiB, enough for ~600 votes).
 * @throws ConsensusError `CERT_MALFORMED`
 */
export function decodeCertificate(data: Uint8Array, maxBytes = 65_536): FinalityCertificate {
  return strictDecode(data, maxBytes, CERT_CODES, "certificate", readCert, encodeCertificate);
}

/** Canonical msgpack bytes of a single vote (for gossip). */
export function encodeVote(vote: Vote): Uint8Array {
  return pack({ validator: vote.validator, signature: vote.signature });
}

/** Strictly decodes a vote. @throws ConsensusError `CERT_MALFORMED` */
export function decodeVote(data: Uint8Array): Vote {
  return strictDecode(data, 256, CERT_CODES, "vote", readVote, encodeVote);
}
