/**
 * What the wallet checks in its node's answers (docs/wallet.md §4.1, §6.1): the node is not
 * trusted. Headers are re-hashed with `blockHash` and must link (`parentHash`); every block's
 * finality certificate must verify (`verifyFinalityCertificate`) against the genesis validator
 * set, whose hash must be the genesis header's `validatorsHash`, and the genesis hash is pinned
 * (a constant for mainnet, trust on first use elsewhere). The scan view's coinbase and txids must
 * rebuild the header's `txRoot`, and its global indices must end at the header's `outputCount`.
 * Transaction parameters the node reports (ring size, fee, Tx-PoW target, chain id) are bounded
 * by consensus constants of `@baios/consensus`, not taken on faith.
 * @module
 */
import { txPowExpectedHashes } from "@baios/crypto";
import {
  ConsensusError,
  DEFAULT_PARAMS,
  GENESIS_FLOORS,
  blockHash,
  coinbaseHash,
  decodeInclusionProof,
  makeValidatorSet,
  merkleRoot,
  txLeafHash,
  validatorsHash,
  verifyFinalityCertificate,
  type BlockHeader,
  type Coinbase,
  type FinalityCertificate,
  type ValidatorSet,
} from "@baios/consensus";
import type { CertificateJson, HeaderJson, MmrProofResult, OutputJson, ScanBlockJson, ValidatorsResult } from "@baios/api";
import { LightClientError, headerFromJson as lightHeaderFromJson, verifyOutputInclusion } from "@baios/light-client";
import type { Network } from "./address.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "./hex.ts";

/** Why the wallet refused its node's answer ({@link NodeTrustError.code}). */
export type NodeTrustErrorCode =
  /** The node's genesis is not the pinned one (another chain, or a forged genesis). */
  | "GENESIS_MISMATCH"
  /** This build pins no genesis for the network (mainnet before its genesis is published). */
  | "GENESIS_UNPINNED"
  /** The validator set the node reports does not hash to the genesis header's `validatorsHash`. */
  | "VALIDATORS_MISMATCH"
  /** A header is malformed, does not hash to the block hash served, has the wrong height or chain id, or commits to another validator set. */
  | "BAD_HEADER"
  /** A header's `parentHash` is not the hash of the previous block. */
  | "BAD_LINK"
  /** A block's finality certificate does not verify against the validator set. */
  | "BAD_CERTIFICATE"
  /** The coinbase and transactions served do not rebuild the header's `txRoot`, or their global indices do not match `outputCount`. */
  | "BAD_TX_ROOT"
  /** A transaction's full bytes (`get_tx`) do not hash to its txid or differ from its scan view. */
  | "BAD_TX"
  /** The node answered with fewer or other blocks than asked for. */
  | "BAD_RANGE"
  /** A ring member's key or commitment (`get_outputs`) is not the output the verified chain holds at that index (MMR proof fails). */
  | "BAD_OUTPUT"
  /** A chain parameter (chain id, ring size, Tx-PoW target) is outside the consensus bounds. */
  | "BAD_PARAMS"
  /** The fee the node asks for is above the wallet's cap (`maxFee`, default {@link DEFAULT_FEE_CAP}). */
  | "FEE_ABOVE_CAP";

/** The node's answer failed a check of this module: nothing of it was used (no output credited, no transaction sent). */
export class NodeTrustError extends Error {
  override name = "NodeTrustError";
  readonly code: NodeTrustErrorCode;
  constructor(code: NodeTrustErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Genesis block hashes built into the wallet (32 bytes, lowercase hex). A network without an
 * entry is pinned on first use (the first scan stores the node's genesis hash in the wallet
 * state), except mainnet, which refuses to scan until its hash is published here.
 */
export const PINNED_GENESIS: Readonly<Partial<Record<Network, string>>> = Object.freeze({});

/** Smallest ring the wallet builds, whatever the node says: the consensus floor 11 (`GENESIS_FLOORS.minRingSize`). */
export const MIN_RING_SIZE: number = GENESIS_FLOORS.minRingSize;
/** Largest ring the wallet accepts to build: the default `maxRingSize` 16. A node demanding more is refused. */
export const MAX_RING_SIZE: number = DEFAULT_PARAMS.maxRingSize;
/** The fee floor the wallet always pays at least: `GENESIS_FLOORS.minFee` = 100 000 atomic units (0.001 BAI). */
export const MIN_FEE: bigint = GENESIS_FLOORS.minFee;
/** The default cap on the fee a node may ask for: 10 × {@link MIN_FEE} = 1 000 000 atomic units (0.01 BAI). Above it a transfer stops unless the caller raises `maxFee`. */
export const DEFAULT_FEE_CAP: bigint = 10n * MIN_FEE;
/** Expected Tx-PoW hashes of the consensus default target (`DEFAULT_PARAMS.txPowTarget`, ~800 000). */
export const DEFAULT_POW_HASHES: number = txPowExpectedHashes(DEFAULT_PARAMS.txPowTarget);
/** Hardest Tx-PoW target the wallet mines: 64 × the default's expected hashes (~51 M hashes, under a minute in WASM). */
export const MAX_POW_HASHES: number = 64 * DEFAULT_POW_HASHES;

/** A verified chain anchor: the pinned genesis header and the validator set every certificate is checked against. */
export interface ChainAnchor {
  /** Genesis block hash (32 bytes). */
  genesisHash: Uint8Array;
  /** The genesis header (hash verified). */
  genesis: BlockHeader;
  /** The genesis validator set (hash verified against `genesis.validatorsHash`). */
  validatorSet: ValidatorSet;
}

const bytesField = (s: unknown, n: number, what: string): Uint8Array => {
  if (typeof s !== "string" || s.length !== 2 * n || !/^[0-9a-fA-F]*$/.test(s)) throw new NodeTrustError("BAD_HEADER", `${what}: expected ${n} bytes of hex`);
  return hexToBytes(s);
};
const uint = (x: unknown, what: string, code: NodeTrustErrorCode = "BAD_HEADER"): bigint => {
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new NodeTrustError(code, `${what}: expected a non-negative integer`);
  return BigInt(x);
};
/** A u32 field (version, chain id, round): {@link uint} bounded by 2^32 − 1, the width of its canonical encoding. */
const u32 = (x: unknown, what: string, code: NodeTrustErrorCode = "BAD_HEADER"): number => {
  const v = uint(x, what, code);
  if (v > 0xffff_ffffn) throw new NodeTrustError(code, `${what}: ${v} does not fit in a u32`);
  return Number(v);
};

/**
 * The consensus header of a {@link HeaderJson}: the light client's parser (`headerFromJson` of
 * `@baios/light-client`, every field type- and width-checked).
 * @throws NodeTrustError `BAD_HEADER` on a malformed field
 */
export function headerFromJson(h: HeaderJson): BlockHeader {
  try {
    return lightHeaderFromJson(h);
  } catch (e) {
    if (e instanceof LightClientError) throw new NodeTrustError("BAD_HEADER", e.reason);
    throw e;
  }
}

/** The consensus certificate of a {@link CertificateJson}. @throws NodeTrustError `BAD_CERTIFICATE` on a malformed field */
export function certificateFromJson(c: CertificateJson): FinalityCertificate {
  const bad = (m: string) => new NodeTrustError("BAD_CERTIFICATE", `certificate: ${m}`);
  if (c === null || typeof c !== "object" || !Array.isArray(c.votes)) throw bad("missing");
  const b = (s: unknown, n: number, what: string): Uint8Array => {
    if (typeof s !== "string" || s.length !== 2 * n || !/^[0-9a-fA-F]*$/.test(s)) throw bad(`${what}: expected ${n} bytes of hex`);
    return hexToBytes(s);
  };
  return {
    height: uint(c.height, "certificate.height", "BAD_CERTIFICATE"),
    round: u32(c.round, "certificate.round", "BAD_CERTIFICATE"),
    blockHash: b(c.blockHash, 32, "blockHash"),
    votes: c.votes.map((v, i) => ({ validator: b(v?.validator, 32, `votes[${i}].validator`), signature: b(v?.signature, 64, `votes[${i}].signature`) })),
  };
}

/**
 * Verifies the node's genesis and validator set: the genesis header hashes to the pinned hash
 * (`pinned`, else {@link PINNED_GENESIS}, else trust on first use for a non-mainnet network), and
 * the validator set hashes to the genesis header's `validatorsHash`.
 * @throws NodeTrustError `GENESIS_MISMATCH`, `GENESIS_UNPINNED`, `VALIDATORS_MISMATCH`, `BAD_HEADER`
 */
export function verifyAnchor(network: Network, pinned: string | undefined, genesisJson: HeaderJson, validators: ValidatorsResult): ChainAnchor {
  const genesis = headerFromJson(genesisJson);
  const hash = blockHash(genesis);
  if (genesis.height !== 0n) throw new NodeTrustError("BAD_HEADER", `the genesis header has height ${genesis.height}`);
  const expected = PINNED_GENESIS[network] ?? pinned;
  if (expected === undefined && network === "mainnet") throw new NodeTrustError("GENESIS_UNPINNED", "this wallet build pins no mainnet genesis hash; refusing to trust a node's");
  if (expected !== undefined && expected !== bytesToHex(hash)) {
    throw new NodeTrustError("GENESIS_MISMATCH", `the node's genesis ${bytesToHex(hash).slice(0, 16)}… is not this wallet's chain (${expected.slice(0, 16)}…); use another node, or rescan to trust this one`);
  }
  let set: ValidatorSet;
  try {
    if (validators === null || typeof validators !== "object" || !Array.isArray(validators.validators)) throw new Error("no validator list");
    set = makeValidatorSet(
      validators.validators.map((v, i) => {
        if (typeof v?.stake !== "string" || !/^[0-9]{1,20}$/.test(v.stake)) throw new Error(`validators[${i}].stake: expected a decimal string`);
        return { publicKey: bytesField(v.publicKey, 32, `validators[${i}].publicKey`), stake: BigInt(v.stake) };
      }),
    );
  } catch (e) {
    throw new NodeTrustError("VALIDATORS_MISMATCH", `the node's validator set is malformed: ${(e as Error).message}`);
  }
  if (!bytesEqual(validatorsHash(set.validators), genesis.validatorsHash)) {
    throw new NodeTrustError("VALIDATORS_MISMATCH", "the validator set the node reports does not hash to the genesis header's validatorsHash");
  }
  return { genesisHash: hash, genesis, validatorSet: set };
}

/** Where a verified range continues: the previous block's hash and output count. */
export interface ScanCursor {
  /** Height of the previous block (−1 before genesis). */
  height: number;
  /** Hash of the previous block (32 bytes; ignored at height −1). */
  hash: Uint8Array;
  /** `outputCount` of the previous header (0 before genesis). */
  outputs: number;
  /** The validator set that finalizes the next block, when it is no longer the genesis set (followed through `nextValidatorsHash`). */
  set?: ValidatorSet;
}

/**
 * Verifies one scanned block against the anchor and the previous block: the header is well
 * formed and hashes to the block hash served, its height is `prev.height + 1`, its `parentHash`
 * is `prev.hash` (genesis: its hash is the pinned one), its chain id and `validatorsHash` are the
 * genesis's, its certificate verifies against the validator set (genesis is trusted by hash), the
 * coinbase hash and the `(txid, powNonce)` leaves rebuild `txRoot`, and the global indices run
 * from `prev.outputs` to `outputCount`. Returns the cursor after this block.
 * @throws NodeTrustError `BAD_HEADER`, `BAD_LINK`, `BAD_CERTIFICATE`, `BAD_TX_ROOT`
 */
export function verifyScanBlock(anchor: ChainAnchor, prev: ScanCursor, b: ScanBlockJson): ScanCursor {
  const height = prev.height + 1;
  const set = prev.set ?? anchor.validatorSet;
  if (b === null || typeof b !== "object") throw new NodeTrustError("BAD_RANGE", `block ${height} missing`);
  const header = headerFromJson(b.header);
  const hash = blockHash(header);
  const hashHex = bytesToHex(hash);
  if (header.height !== BigInt(height) || b.height !== height) throw new NodeTrustError("BAD_HEADER", `expected block ${height}, got header ${header.height} (block ${b.height})`);
  if (b.hash !== hashHex || b.header.hash !== hashHex) throw new NodeTrustError("BAD_HEADER", `block ${height}: the header does not hash to the block hash served`);
  if (header.chainId !== anchor.genesis.chainId) throw new NodeTrustError("BAD_HEADER", `block ${height}: chain id ${header.chainId} is not the genesis's ${anchor.genesis.chainId}`);
  if (b.timeMs !== Number(header.timeMs)) throw new NodeTrustError("BAD_HEADER", `block ${height}: timeMs differs from its header`);
  if (height === 0) {
    if (!bytesEqual(hash, anchor.genesisHash)) throw new NodeTrustError("GENESIS_MISMATCH", "block 0 is not the pinned genesis");
  } else {
    if (!bytesEqual(header.parentHash, prev.hash)) throw new NodeTrustError("BAD_LINK", `block ${height}: parentHash is not the hash of block ${prev.height}`);
    if (!bytesEqual(header.validatorsHash, set.hash)) throw new NodeTrustError("BAD_HEADER", `block ${height}: validatorsHash is not the hash of the validator set certified by block ${prev.height}`);
    try {
      verifyFinalityCertificate(certificateFromJson(b.certificate), { chainId: anchor.genesis.chainId, height: header.height, blockHash: hash, validatorSet: set });
    } catch (e) {
      if (e instanceof NodeTrustError) throw e;
      const why = e instanceof ConsensusError ? `${e.code}: ${e.reason}` : (e as Error).message;
      throw new NodeTrustError("BAD_CERTIFICATE", `block ${height}: the finality certificate does not verify (${why})`);
    }
  }
  verifyTxRoot(header, prev.outputs, b);
  const next = nextSet(set, header, b, height);
  return { height, hash, outputs: Number(header.outputCount), ...(next === anchor.validatorSet ? {} : { set: next }) };
}

/**
 * The set for the block after `header`: the same one, or (when `nextValidatorsHash` changes) the
 * `nextValidators` served with the block, which must hash to `nextValidatorsHash` — a value
 * this block's certificate, already verified, vouches for.
 * @throws NodeTrustError `VALIDATORS_MISMATCH`
 */
function nextSet(set: ValidatorSet, header: BlockHeader, b: ScanBlockJson, height: number): ValidatorSet {
  if (bytesEqual(header.nextValidatorsHash, set.hash)) return set;
  if (!Array.isArray(b.nextValidators)) throw new NodeTrustError("VALIDATORS_MISMATCH", `block ${height}: the validator set changes but the node sent no nextValidators`);
  let next: ValidatorSet;
  try {
    next = validatorSetFromJson(b.nextValidators);
  } catch (e) {
    throw new NodeTrustError("VALIDATORS_MISMATCH", `block ${height}: nextValidators malformed: ${(e as Error).message}`);
  }
  if (!bytesEqual(next.hash, header.nextValidatorsHash)) throw new NodeTrustError("VALIDATORS_MISMATCH", `block ${height}: nextValidators does not hash to the header's nextValidatorsHash`);
  return next;
}

/** A validator set from its JSON form (`{publicKey hex, stake decimal}`), canonicalised. @throws Error when malformed */
export function validatorSetFromJson(list: readonly { publicKey: string; stake: string }[]): ValidatorSet {
  return makeValidatorSet(
    list.map((v, i) => {
      if (typeof v?.stake !== "string" || !/^[0-9]{1,20}$/.test(v.stake)) throw new Error(`validators[${i}].stake: expected a decimal string`);
      return { publicKey: bytesField(v.publicKey, 32, `validators[${i}].publicKey`), stake: BigInt(v.stake) };
    }),
  );
}

/** The JSON form of a set (for the wallet state). */
export function validatorSetToJson(set: ValidatorSet): { publicKey: string; stake: string }[] {
  return set.validators.map((v) => ({ publicKey: bytesToHex(v.publicKey), stake: v.stake.toString() }));
}

function verifyTxRoot(header: BlockHeader, firstIndex: number, b: ScanBlockJson): void {
  const bad = (m: string) => new NodeTrustError("BAD_TX_ROOT", `block ${b.height}: ${m}`);
  let leaves: Uint8Array[];
  let next = firstIndex;
  try {
    const cb = b.coinbase;
    const coinbase: Coinbase = {
      height: uint(cb.height, "coinbase.height"),
      txPublicKey: bytesField(cb.txPublicKey, 32, "coinbase.txPublicKey"),
      outputs: cb.outputs.map((o) => {
        if (o.globalIndex !== next++) throw bad("coinbase global indices are not consecutive from the previous block's outputCount");
        if (typeof o.amount !== "string" || !/^[0-9]{1,20}$/.test(o.amount)) throw bad("coinbase amount malformed");
        return { oneTimeKey: bytesField(o.oneTimeKey, 32, "coinbase oneTimeKey"), viewTag: Number(uint(o.viewTag, "viewTag")), amount: BigInt(o.amount), unlockHeight: uint(o.unlockHeight, "unlockHeight") };
      }),
    };
    leaves = [coinbaseHash(coinbase)];
    // matured unbond payouts come next (not in txRoot: the outputRoot MMR and the owned-output proofs cover them)
    for (const p of b.payouts ?? []) {
      if (p.outputs.length !== 1 || p.outputs[0]?.globalIndex !== next++) throw bad("payout global indices are not consecutive after the coinbase");
      bytesField(p.txPublicKey, 32, "payout txPublicKey");
    }
    for (const tx of b.txs) {
      if (typeof tx.powNonce !== "string" || !/^[0-9]{1,20}$/.test(tx.powNonce)) throw bad(`tx ${tx.txid}: powNonce missing`);
      leaves.push(txLeafHash(bytesField(tx.txid, 32, "txid"), BigInt(tx.powNonce)));
      for (const o of tx.outputs) if (o.globalIndex !== next++) throw bad("tx global indices are not consecutive");
    }
  } catch (e) {
    if (e instanceof NodeTrustError) throw new NodeTrustError("BAD_TX_ROOT", e.message.startsWith("block ") ? e.message : `block ${b.height}: ${e.message}`);
    throw bad(`malformed scan view (${(e as Error).message})`);
  }
  if (!bytesEqual(merkleRoot(leaves), header.txRoot)) throw bad("the coinbase and txids served do not rebuild the header's txRoot");
  if (BigInt(next) !== header.outputCount) throw bad(`the outputs served end at ${next}, the header's outputCount is ${header.outputCount}`);
}

/**
 * The Tx-PoW target to mine: the genesis header's (verified by the pinned hash; every header
 * carries the chain's target), which the node's `get_params` must repeat, and no harder than
 * {@link MAX_POW_HASHES} expected hashes; outside a devnet, not easier than the consensus default.
 * @throws NodeTrustError `BAD_PARAMS`
 */
export function checkPowTarget(anchor: ChainAnchor, network: Network, nodeTarget: string): Uint8Array {
  const t = anchor.genesis.txPowTarget;
  if (nodeTarget.toLowerCase() !== bytesToHex(t)) throw new NodeTrustError("BAD_PARAMS", "the node's txPowTarget is not the chain's (genesis header)");
  if (txPowExpectedHashes(t) > MAX_POW_HASHES) throw new NodeTrustError("BAD_PARAMS", `the Tx-PoW target needs ${txPowExpectedHashes(t)} expected hashes, above the wallet's cap ${MAX_POW_HASHES}`);
  if (network !== "devnet" && txPowExpectedHashes(t) < DEFAULT_POW_HASHES) throw new NodeTrustError("BAD_PARAMS", "the Tx-PoW target is easier than the consensus default on a non-devnet chain");
  return t;
}

/**
 * Checks that a ring member the node served (`get_outputs`) is the output the verified chain holds
 * at its global index: its MMR inclusion proof (`get_mmr_proof` at `header`'s height) verifies
 * against `header.outputRoot` with the leaf `mmrLeafHash(globalIndex, oneTimeKey, commitment)`
 * computed here (docs/protocol.md §8). `header` must already be verified (hash pinned by a scan).
 * Without it a node could serve fake decoys, learn the real input from the ones it did not fake,
 * and have the wallet sign a transaction every honest node rejects.
 * @throws NodeTrustError `BAD_OUTPUT`
 */
export function verifyRingMember(header: BlockHeader, m: OutputJson, proof: MmrProofResult): void {
  const bad = (why: string) => new NodeTrustError("BAD_OUTPUT", `ring member ${m.globalIndex}: ${why}`);
  let key: Uint8Array;
  let commitment: Uint8Array;
  try {
    key = bytesField(m.oneTimeKey, 32, "oneTimeKey");
    commitment = bytesField(m.commitment, 32, "commitment");
  } catch {
    throw bad("malformed output");
  }
  const p = typeof proof?.proof === "string" && /^([0-9a-fA-F]{2})*$/.test(proof.proof) ? decodeInclusionProof(hexToBytes(proof.proof)) : undefined;
  try {
    // the light client's check: index below outputCount, proof for this leaf, mmrLeafHash against outputRoot
    verifyOutputInclusion(header, BigInt(m.globalIndex), key, commitment, p);
  } catch (e) {
    if (e instanceof LightClientError) throw bad(`its MMR inclusion proof does not verify against the verified header's outputRoot (${e.reason})`);
    throw e;
  }
}
