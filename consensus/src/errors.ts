/**
 * Typed consensus errors (docs/protocol.md §11).
 *
 * Every rejection is a {@link ConsensusError} with a stable `code`, a human-readable `reason`
 * naming the offending field (e.g. `inputs[2].keyImage`), and an `action`:
 * - `"REJECT"`: the sender is at fault (the data can never become valid): drop it and penalise
 *   the peer that relayed it.
 * - `"IGNORE"`: the data may become valid later or we may be behind (unknown ring member, key
 *   image conflicting with the mempool, immature coinbase, block from the future): drop it
 *   without penalising the peer.
 * Errors cross worker-thread boundaries as plain data: {@link ConsensusError.toJSON} /
 * {@link ConsensusError.fromJSON}.
 * @module
 */
import type { CryptoError } from "@baios/crypto";

/** Whether the sender is at fault (`REJECT`: ban/penalise) or not (`IGNORE`). */
export type ErrorAction = "REJECT" | "IGNORE";

/** Every consensus error code with its default action and meaning (docs/protocol.md §11). */
export const CONSENSUS_ERRORS = {
  // ---- encoding (pipeline step 1)
  TX_OVERSIZED: ["REJECT", "encoded transaction larger than maxTxBytes (checked before decoding)"],
  TX_MALFORMED: ["REJECT", "not a well-formed wire transaction (docs/protocol.md §10): truncated field, count or length beyond the remaining bytes, trailing bytes"],
  TX_NON_CANONICAL_ENCODING: ["REJECT", "reserved, never raised: the wire codec (§10) has exactly one encoding per transaction (was: msgpack not canonical)"],
  TX_UNSUPPORTED_VERSION: ["REJECT", "unknown transaction version"],
  TX_WRONG_CHAIN: ["REJECT", "chain id differs from this chain's"],
  TX_INPUT_COUNT: ["REJECT", "no inputs, or more than maxInputs"],
  TX_OUTPUT_COUNT: ["REJECT", "no outputs, or more than maxOutputs"],
  TX_PUBLIC_KEY_COUNT: ["REJECT", "tx public key count is neither 1 nor the number of outputs"],
  TX_RING_TOO_SMALL: ["REJECT", "a ring smaller than minRingSize (11)"],
  TX_RING_TOO_LARGE: ["REJECT", "a ring larger than maxRingSize"],
  TX_RING_NOT_SORTED: ["REJECT", "ring member indices not in strictly ascending order"],
  TX_RING_DUPLICATE_MEMBER: ["REJECT", "the same global output index twice in a ring"],
  TX_SIGNATURE_COUNT: ["REJECT", "number of MLSAG signatures differs from the number of inputs"],
  TX_SIGNATURE_LENGTH: ["REJECT", "an MLSAG signature is not 32 + 64·ringSize bytes"],
  TX_NON_CANONICAL_SCALAR: ["REJECT", "a scalar (in a signature) is not canonical (>= group order)"],
  TX_RANGE_PROOF_MISSING: ["REJECT", "empty range proof"],
  TX_FEE_TOO_LOW: ["REJECT", "plaintext fee below minFee"],
  TX_DUPLICATE_OUTPUT_KEY: ["REJECT", "two outputs with the same one-time key"],
  TX_KEY_IMAGE_DUPLICATE: ["REJECT", "the same key image twice in one transaction"],
  TX_BAD_STAKE: ["REJECT", "bond (version 2) stake field invalid: amount 0, or fee + amount above 2^64 − 1"],
  // ---- Tx-PoW (step 2)
  TX_POW_INSUFFICIENT: ["REJECT", "Tx-PoW hash above the target"],
  // ---- key images (step 3)
  TX_KEY_IMAGE_SPENT: ["REJECT", "key image already spent on chain"],
  TX_KEY_IMAGE_IN_POOL: ["IGNORE", "key image already used by a transaction in the mempool (node helper)"],
  // ---- one-time keys (step 3b)
  TX_ONE_TIME_KEY_EXISTS: ["REJECT", "an output's one-time key already exists on chain (burning bug: only one of the two could ever be spent)"],
  TX_ONE_TIME_KEY_IN_POOL: ["IGNORE", "an output's one-time key is already used by a transaction in the mempool (node helper)"],
  // ---- ring members (step 4)
  TX_RING_MEMBER_UNKNOWN: ["IGNORE", "ring member global index does not exist (yet)"],
  TX_RING_MEMBER_LOCKED: ["IGNORE", "ring member not yet spendable (coinbase maturity / unlock height)"],
  // ---- points and balance (step 5)
  TX_INVALID_POINT: ["REJECT", "a point field is not a canonical ristretto255 encoding"],
  TX_IDENTITY_POINT: ["REJECT", "a point field is the identity (zero commitment / zero key)"],
  TX_UNBALANCED: ["REJECT", "sum of pseudo-outputs != sum of outputs + (fee + stake amount)·H (inflation)"],
  TX_STAKE_SIGNATURE_INVALID: ["REJECT", "a bond's validator consent signature (Ed25519 over the bond message) does not verify"],
  // ---- MLSAG (step 6)
  TX_SIGNATURE_INVALID: ["REJECT", "an MLSAG signature does not verify"],
  // ---- range proofs (step 7)
  TX_RANGE_PROOF_INVALID: ["REJECT", "the aggregated Bulletproofs+ range proof does not verify"],
  // ---- blocks
  BLOCK_OVERSIZED: ["REJECT", "encoded block larger than maxBlockBytes (checked before decoding)"],
  BLOCK_MALFORMED: ["REJECT", "not a well-formed wire block or header (docs/protocol.md §10): truncated, count or length beyond the remaining bytes, a tx not filling its length, trailing bytes"],
  BLOCK_NON_CANONICAL_ENCODING: ["REJECT", "reserved, never raised: the wire codec (§10) has exactly one encoding per block (was: msgpack not canonical)"],
  BLOCK_UNSUPPORTED_VERSION: ["REJECT", "unknown block version"],
  BLOCK_WRONG_CHAIN: ["REJECT", "chain id differs from this chain's"],
  BLOCK_BAD_HEIGHT: ["REJECT", "height is not parent height + 1"],
  BLOCK_BAD_PARENT: ["REJECT", "parent hash is not the hash of the current tip"],
  BLOCK_BAD_TIME: ["REJECT", "block time not after the parent's time"],
  BLOCK_FUTURE_TIME: ["IGNORE", "block time too far ahead of the local clock"],
  BLOCK_TOO_MANY_TXS: ["REJECT", "more than maxBlockTxs transactions"],
  BLOCK_DUPLICATE_TX: ["REJECT", "the same transaction twice in a block"],
  BLOCK_KEY_IMAGE_DUPLICATE: ["REJECT", "the same key image in two transactions of one block"],
  BLOCK_ONE_TIME_KEY_DUPLICATE: ["REJECT", "one one-time key twice in a block (across txs, or coinbase and a tx), or a coinbase one-time key already on chain"],
  BLOCK_TX_ROOT_MISMATCH: ["REJECT", "header txRoot differs from the computed root"],
  BLOCK_OUTPUT_ROOT_MISMATCH: ["REJECT", "header outputRoot differs from the MMR root after this block"],
  BLOCK_OUTPUT_COUNT_MISMATCH: ["REJECT", "header outputCount differs from the MMR size after this block"],
  BLOCK_TXPOW_TARGET: ["REJECT", "header txPowTarget differs from the chain's target"],
  BLOCK_VALIDATORS_HASH: ["REJECT", "header validatorsHash differs from the current validator set"],
  BLOCK_WRONG_PROPOSER: ["REJECT", "reserved, no longer raised: header v2 names no proposer (the BFT engine checks proposals)"],
  BLOCK_BAD_POW: ["REJECT", "block hash (the PoW hash) above the header's blockTarget"],
  BLOCK_BAD_TARGET: ["REJECT", "header blockTarget differs from the retarget of the parent (docs/protocol.md §5.2)"],
  BLOCK_NEXT_VALIDATORS_HASH: ["REJECT", "header nextValidatorsHash differs from the staking state's next set"],
  BLOCK_LAST_CERTIFICATE_MISMATCH: ["REJECT", "lastCertificateHash differs from the body's certificate, or the certificate is not for the parent"],
  BLOCK_EVIDENCE_ROOT_MISMATCH: ["REJECT", "header evidenceRoot differs from the body's evidence"],
  BLOCK_STAKING_ROOT_MISMATCH: ["REJECT", "header stakingRoot differs from the body's unbonds"],
  BLOCK_HEADER_ROOT_MISMATCH: ["REJECT", "header headerRoot differs from the MMR of all earlier block hashes (docs/protocol.md §5.4)"],
  BLOCK_SUPER_PARENTS_MISMATCH: ["REJECT", "header superParentsRoot differs from the super-parent pointers after the parent (docs/cascade.md §3)"],
  BLOCK_KEY_IMAGE_ROOT_MISMATCH: ["REJECT", "header keyImageRoot differs from the key-image set root after this block (docs/protocol.md §15)"],
  BLOCK_STAKING_STATE_MISMATCH: ["REJECT", "header stakingStateHash differs from the staking state after this block (docs/consensus.md §5.5)"],
  BLOCK_TOO_MANY_UNBONDS: ["REJECT", "more than MAX_BLOCK_UNBONDS unbond requests"],
  BLOCK_TOO_MANY_EVIDENCE: ["REJECT", "more than MAX_BLOCK_EVIDENCE evidence items"],
  BLOCK_UNBOND_INVALID: ["REJECT", "an unbond request is invalid: amount 0, bad key, repeated, or its signature does not verify"],
  BLOCK_EVIDENCE_INVALID: ["REJECT", "an evidence item is invalid: votes not conflicting, wrong order, bad signature, too old, repeated, or the attested block does not match"],
  BLOCK_COINBASE_INVALID: ["REJECT", "coinbase height, output count, unlock height or key invalid"],
  BLOCK_COINBASE_AMOUNT: ["REJECT", "coinbase amount != block reward + fees"],
  BLOCK_RANGE_PROOFS_INVALID: ["REJECT", "batch verification of the block's range proofs failed"],
  // ---- finality certificates and votes
  CERT_MALFORMED: ["REJECT", "malformed finality certificate or vote message (docs/protocol.md §10): truncated, over the size limit, unknown vote kind, trailing bytes"],
  CERT_WRONG_BLOCK: ["REJECT", "certificate is for another height or block hash"],
  CERT_UNKNOWN_VALIDATOR: ["REJECT", "vote by a key outside the validator set"],
  CERT_DUPLICATE_VOTE: ["REJECT", "two votes by one validator, or votes not sorted by key"],
  CERT_INVALID_SIGNATURE: ["REJECT", "an Ed25519 vote signature does not verify"],
  CERT_INSUFFICIENT_STAKE: ["REJECT", "signers hold no more than 2/3 of the stake"],
  // ---- staking state machine (docs/consensus.md §5, consensus/src/staking/)
  STAKE_PARAMS_INVALID: ["REJECT", "staking parameters out of range (epochLength, unbondingDelay, minStake, maxValidators, permille values)"],
  STAKE_WRONG_HEIGHT: ["REJECT", "staking input height is not the staking state's height + 1"],
  STAKE_MALFORMED: ["REJECT", "a staking input field has the wrong length, type or range (key not 32 bytes, amount not u64, view tag not u8, unknown slash kind)"],
  STAKE_ZERO_AMOUNT: ["REJECT", "a bond or unbond of amount 0"],
  STAKE_AMOUNT_OVERFLOW: ["REJECT", "a bond would make the validator's bonded stake exceed u64"],
  STAKE_BANNED_VALIDATOR: ["REJECT", "bond, unbond or evidence for a key banned for equivocation"],
  STAKE_UNKNOWN_VALIDATOR: ["REJECT", "unbond or evidence for a key that never bonded"],
  STAKE_UNBOND_EXCEEDS_BONDED: ["REJECT", "unbond amount (summed over the block) larger than the bonded stake"],
  STAKE_DUPLICATE_ONE_TIME_KEY: ["REJECT", "an unbond payout one-time key already queued or used twice in the block"],
  STAKE_DUPLICATE_SLASH: ["REJECT", "the same offender and evidence kind twice in one block"],
  STAKE_UNKNOWN_SIGNER: ["REJECT", "a lastCertificate signer is not in the validator set that finalized the parent"],
  STAKE_DUPLICATE_SIGNER: ["REJECT", "a lastCertificate signer listed twice"],
  STAKE_STATE_MALFORMED: ["REJECT", "a staking state snapshot is not in canonical form (docs/consensus.md §5.5): truncated, trailing bytes, unsorted, out of range or inconsistent"],
  // ---- evidence
  EVIDENCE_MALFORMED: ["REJECT", "not a well-formed evidence item (docs/protocol.md §10.8): truncated, unknown kind or vote kind, over the size limit, trailing bytes"],
  // ---- genesis
  GENESIS_INVALID: ["REJECT", "invalid genesis file"],
  // ---- BFT engine (docs/consensus.md §2, consensus/src/bft/)
  BFT_NOT_STARTED: ["IGNORE", "engine event before the first start event (local misuse)"],
  BFT_BAD_START: ["IGNORE", "start event for a height not above the engine's current height (local misuse)"],
  BFT_MALFORMED: ["REJECT", "a vote or proposal field has the wrong length or range (block hash / key not 32 bytes, round not u32)"],
  BFT_UNKNOWN_VALIDATOR: ["REJECT", "vote or proposal signed by a key outside the validator set of its height"],
  BFT_WRONG_PROPOSER: ["REJECT", "proposal not signed by the proposer scheduled for its height and round"],
  BFT_BAD_POL_ROUND: ["REJECT", "proposal polRound is neither none (-1) nor below the proposal's round"],
  BFT_NIL_PROPOSAL: ["REJECT", "proposal (or proposer value) for the nil block hash (32 zero bytes)"],
  BFT_PROPOSAL_MALFORMED: ["REJECT", "proposal wire bytes are not exactly 148 bytes"],
  BFT_PROPOSAL_SIGNATURE: ["REJECT", "the proposer's Ed25519 signature over the proposal message does not verify"],
  // ---- evidence verification (docs/consensus.md §3, consensus/src/bft/evidence.ts)
  EVIDENCE_BAD_VOTE: ["REJECT", "an evidence vote field has the wrong length or range (hash / key 32 bytes, signature 64 bytes)"],
  EVIDENCE_WRONG_CHAIN: ["REJECT", "an evidence vote is for another chain id"],
  EVIDENCE_NOT_CONFLICTING: ["REJECT", "duplicate-vote evidence whose votes differ in validator, kind, height or round, or agree on the block hash"],
  EVIDENCE_NOT_CANONICAL: ["REJECT", "duplicate-vote evidence not in canonical order (voteA.blockHash < voteB.blockHash bytewise)"],
  EVIDENCE_UNKNOWN_VALIDATOR: ["REJECT", "evidence against a key outside the validator set of the votes' height"],
  EVIDENCE_INVALID_SIGNATURE: ["REJECT", "an evidence vote's Ed25519 signature does not verify"],
  EVIDENCE_NIL_VOTE: ["REJECT", "invalid-attestation evidence whose vote is nil (a nil vote attests nothing)"],
  // ---- cascading superblock chain (docs/cascade.md, consensus/src/cascade/)
  CASCADE_PARAMS_INVALID: ["REJECT", "cascade parameters out of range (levels 1..=64, perLevel 1..=65535, depth ≥ 1)"],
  CASCADE_NOT_CHILD: ["IGNORE", "header added to a cascade is not the child of its last header (height + 1, parentHash), or the first one is not genesis (local misuse)"],
  CASCADE_HEIGHT_ORDER: ["REJECT", "kept headers' heights not strictly decreasing from the newest to the oldest"],
  CASCADE_LEVEL_ORDER: ["REJECT", "kept levels decrease going back in time, or skip a level"],
  CASCADE_LEVEL_TOO_HIGH: ["REJECT", "a header kept at level L has a superblock level below L"],
  CASCADE_LEVEL_OVERFULL: ["REJECT", "a cascade level holds more than perLevel (K) headers"],
  CASCADE_LEVEL_UNDERFULL: ["REJECT", "a level below the highest non-empty one holds fewer than K headers"],
  CASCADE_BAD_SUPER_PARENTS: ["REJECT", "a kept header's super-parent pointers are inconsistent: wrong count, entry 0 not its parent, heights not non-increasing, or commitment mismatch"],
  CASCADE_BROKEN_LINK: ["REJECT", "a kept header's super-parent pointer at the next kept header's level does not name that header (hash and height)"],
  CASCADE_MALFORMED: ["REJECT", "cascade bytes not canonical (docs/cascade.md §5): wrong version or parameters, count over levels × K, truncated, trailing bytes, bad none entry"],
  // ---- key-image set root (docs/protocol.md §15, consensus/src/kiset/)
  KISET_MALFORMED: ["REJECT", "a key image, key or root is not 32 bytes"],
  KISET_DUPLICATE: ["REJECT", "a key image already in the key-image set, or twice in one insert batch (a key image is spent once)"],
  KISET_PROOF_MALFORMED: ["REJECT", "key-image proof bytes not canonical (docs/protocol.md §15.4): unknown kind, depth above 256, truncated, trailing bytes, padding bits set, deepest sibling empty"],
  KISET_PROOF_INVALID: ["REJECT", "a key-image proof does not verify: recomputed root differs, or the other leaf does not share the path / equals the queried key"],
  KISET_STORE_CORRUPT: ["IGNORE", "local key-image set store inconsistent: a node record malformed or a leaf/internal node where the tree shape forbids it"],
  // ---- MMR proofs (docs/mmr.md, consensus/src/mmr/)
  MMR_PROOF_MALFORMED: ["REJECT", "MMR inclusion proof bytes not canonical (docs/mmr.md §5.1): truncated, trailing bytes, leafIndex ≥ leafCount, sibling or peak count not the one (leafIndex, leafCount) implies, a hash not 32 bytes"],
  MMR_PROOF_INVALID: ["REJECT", "an MMR inclusion proof does not verify: proof for another leaf count, or the recomputed root differs"],
  MMR_CONSISTENCY_MALFORMED: ["REJECT", "MMR consistency proof bytes not canonical (docs/mmr.md §6.2): oldCount > newCount, nOldPeaks ≠ popcount(oldCount), nPath not the length the counts imply, truncated, trailing bytes, a hash not 32 bytes"],
  MMR_CONSISTENCY_INVALID: ["REJECT", "an MMR consistency proof does not verify: proof for other counts, old peaks do not bag to the old root, or the climbed new peaks do not bag to the new root"],
  // ---- following the validator set from genesis (docs/light-client.md §2–§3, consensus/src/light/; the light client maps LIGHT_X to its X)
  LIGHT_GENESIS_MISMATCH: ["REJECT", "the genesis validator set does not hash to the genesis header's validatorsHash, or genesis changes the set at once"],
  LIGHT_BAD_RESPONSE: ["REJECT", "a light-update step is malformed (not the documented hex layout), not above the verified height, or serves a next set at no change"],
  LIGHT_BAD_HEADER: ["REJECT", "a light-update header does not decode or has the wrong chain id"],
  LIGHT_BAD_CERTIFICATE: ["REJECT", "a light-update finality certificate does not decode or does not verify against the validator set in force"],
  LIGHT_SKIPPED_SET_CHANGE: ["REJECT", "a header's validatorsHash is not the set in force nor a replaced one: a validator-set change was skipped"],
  LIGHT_STALE_SET: ["REJECT", "a header or certificate is from a validator set already replaced"],
  LIGHT_BAD_VALIDATOR_SET: ["REJECT", "a next validator set is missing, malformed or does not hash to the certified nextValidatorsHash"],
  LIGHT_FORK: ["REJECT", "a header's headerRoot does not commit to the verified header's hash: it does not extend the verified chain"],
} as const satisfies Record<string, readonly [ErrorAction, string]>;

/** A stable consensus error code. */
export type ConsensusErrorCode = keyof typeof CONSENSUS_ERRORS;

/** All codes, for exhaustive tests and documentation. */
export const CONSENSUS_ERROR_CODES: readonly ConsensusErrorCode[] = Object.keys(CONSENSUS_ERRORS) as ConsensusErrorCode[];

/** The plain-data form of a {@link ConsensusError} (what crosses worker threads / RPC). */
export interface ConsensusErrorJSON {
  name: "ConsensusError";
  code: ConsensusErrorCode;
  reason: string;
  action: ErrorAction;
  /** Index of the failing item (input, tx in block, batch item), when known. */
  index?: number;
}

/**
 * A consensus rule was violated. `code` is stable (switch on it, never on `message`).
 * Plain data: survives `structuredClone` via {@link ConsensusError.toJSON}.
 */
export class ConsensusError extends Error {
  /** The stable error code. */
  readonly code: ConsensusErrorCode;
  /** Human-readable detail naming the field, e.g. `inputs[1].signature`. */
  readonly reason: string;
  /** Whether the sender is at fault. Defaults to the code's action in {@link CONSENSUS_ERRORS}. */
  readonly action: ErrorAction;
  /** Index of the failing item (input, tx in a block), when known. */
  readonly index: number | undefined;

  constructor(code: ConsensusErrorCode, reason: string, options: { action?: ErrorAction; index?: number } = {}) {
    super(`${code}: ${reason}`);
    this.name = "ConsensusError";
    this.code = code;
    this.reason = reason;
    this.action = options.action ?? CONSENSUS_ERRORS[code][0];
    this.index = options.index;
  }

  /** Serialisable form for worker threads and RPC. */
  toJSON(): ConsensusErrorJSON {
    const j: ConsensusErrorJSON = { name: "ConsensusError", code: this.code, reason: this.reason, action: this.action };
    if (this.index !== undefined) j.index = this.index;
    return j;
  }

  /**
   * Rebuilds an error from {@link ConsensusError.toJSON} output.
   * @throws TypeError when `j` is not a serialised ConsensusError with a known code
   */
  static fromJSON(j: unknown): ConsensusError {
    if (typeof j !== "object" || j === null) throw new TypeError("not a ConsensusError JSON");
    const o = j as Record<string, unknown>;
    if (o.name !== "ConsensusError" || typeof o.code !== "string" || !Object.hasOwn(CONSENSUS_ERRORS, o.code) || typeof o.reason !== "string") {
      throw new TypeError("not a ConsensusError JSON");
    }
    const action = o.action === "IGNORE" || o.action === "REJECT" ? o.action : undefined;
    const opts: { action?: ErrorAction; index?: number } = {};
    if (action !== undefined) opts.action = action;
    if (typeof o.index === "number") opts.index = o.index;
    return new ConsensusError(o.code as ConsensusErrorCode, o.reason, opts);
  }

  /** Same code and reason, with a prefix on the reason and optionally another action/index (used to attribute a tx error to a block). */
  withContext(prefix: string, options: { action?: ErrorAction; index?: number } = {}): ConsensusError {
    const opts: { action?: ErrorAction; index?: number } = { action: options.action ?? this.action };
    const index = options.index ?? this.index;
    if (index !== undefined) opts.index = index;
    return new ConsensusError(this.code, `${prefix}: ${this.reason}`, opts);
  }
}

/** True when `e` is a {@link ConsensusError} (optionally with `code`). */
export function isConsensusError(e: unknown, code?: ConsensusErrorCode): e is ConsensusError {
  return e instanceof ConsensusError && (code === undefined || e.code === code);
}

/** True when `e` looks like a CryptoError (works across module instances). */
export function isCryptoError(e: unknown): e is CryptoError {
  return e instanceof Error && e.name === "CryptoError" && typeof (e as { code?: unknown }).code === "string";
}

/**
 * Maps a CryptoError raised while checking `field` to a tx-level code:
 * `INVALID_POINT`/`INVALID_LENGTH` → `TX_INVALID_POINT`, `IDENTITY_POINT` → `TX_IDENTITY_POINT`,
 * `NON_CANONICAL_SCALAR` → `TX_NON_CANONICAL_SCALAR`, `DUPLICATE_RING_MEMBER` →
 * `TX_RING_DUPLICATE_MEMBER`, `RING_SIZE` → `TX_RING_TOO_LARGE`, `POW_INSUFFICIENT` →
 * `TX_POW_INSUFFICIENT`, anything else → `fallback`.
 * Non-crypto errors are re-thrown unchanged (they are bugs, not bad input).
 */
export function wrapCryptoError(e: unknown, field: string, fallback: ConsensusErrorCode, index?: number): ConsensusError {
  if (e instanceof ConsensusError) return e;
  if (!isCryptoError(e)) throw e;
  const map: Partial<Record<string, ConsensusErrorCode>> = {
    INVALID_POINT: "TX_INVALID_POINT",
    INVALID_LENGTH: "TX_INVALID_POINT",
    IDENTITY_POINT: "TX_IDENTITY_POINT",
    NON_CANONICAL_SCALAR: "TX_NON_CANONICAL_SCALAR",
    DUPLICATE_RING_MEMBER: "TX_RING_DUPLICATE_MEMBER",
    RING_SIZE: "TX_RING_TOO_LARGE",
    POW_INSUFFICIENT: "TX_POW_INSUFFICIENT",
  };
  const code = map[e.code] ?? fallback;
  const opts: { index?: number } = {};
  if (index !== undefined) opts.index = index;
  return new ConsensusError(code, `${field}: ${e.code}: ${e.reason}`, opts);
}
