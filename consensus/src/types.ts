/**
 * Consensus data types (docs/protocol.md §3–§7). Conventions: every u64 is a `bigint`
 * (amounts and fees in atomic units, heights, global output indices, times in ms, nonces);
 * u32/u8 values are `number`s; keys, points, hashes are 32-byte `Uint8Array`s.
 * All types are plain data: they cross worker threads with `structuredClone` unchanged.
 * @module
 */

/** One input: a ring of existing outputs, the key image of the real one, and its pseudo-output. */
export interface TxInput {
  /** Ring members as absolute global output indices (u64), strictly ascending; minRingSize..=maxRingSize. */
  ring: bigint[];
  /** Key image `I = x·Hp(P)` (32 bytes); each may appear once in the whole chain. */
  keyImage: Uint8Array;
  /** Pseudo-output commitment `C' = z'·G + v·H` of the spent amount (32 bytes). */
  pseudoOut: Uint8Array;
}

/** One output of a regular transaction (docs/crypto.md §4). */
export interface TxOutput {
  /** One-time key `P = s·G + B` (32 bytes). */
  oneTimeKey: Uint8Array;
  /** Pedersen commitment `C = y·G + v·H` (32 bytes). */
  commitment: Uint8Array;
  /** View tag, u8 (0..=255). */
  viewTag: number;
  /** Amount XOR mask (8 bytes). */
  encryptedAmount: Uint8Array;
}

/**
 * The public stake field of a bond transaction (tx version 2, docs/protocol.md §3.1, docs/consensus.md §4.4):
 * `validator[32] ‖ u64le amount ‖ validatorSignature[64]` (104 bytes) right after the fee.
 */
export interface TxStake {
  /** Ed25519 public key of the validator the stake is bonded to (32 bytes). */
  validator: Uint8Array;
  /** Bonded amount in atomic units (u64, > 0); leaves the shielded pool: `Σ pseudoOut = Σ out + (fee + amount)·H`. */
  amount: bigint;
  /**
   * The validator's consent (64 bytes): Ed25519 by `validator` over {@link bondConsentMessage}
   * (`h32("BAIOS/v1/bond", signing bytes with this field zeroed)`, docs/protocol.md §3.2).
   */
  validatorSignature: Uint8Array;
}

/**
 * A RingCT transaction. There is no transparent field: amounts only appear as commitments
 * (the fee and a bond's stake amount are the only plaintext amounts). See docs/protocol.md §3.
 */
export interface Tx {
  /** Format version, u32: 1 (transfer) or 2 (bond: carries {@link Tx.stake}). */
  version: number;
  /** Chain id, u32 (ChainParams.chainId). */
  chainId: number;
  /** Plaintext fee in atomic units (u64), ≥ minFee. */
  fee: bigint;
  /** Version 2 only (required there, absent in version 1): the bonded stake (docs/consensus.md §4.4). */
  stake?: TxStake;
  /** 1..=maxInputs inputs. */
  inputs: TxInput[];
  /** 1..=maxOutputs outputs. */
  outputs: TxOutput[];
  /** Tx public keys `R` (32 bytes each): one shared key, or one per output. */
  txPublicKeys: Uint8Array[];
  /** One aggregated Bulletproofs+ range proof over all output commitments (variable length, non-empty). */
  rangeProof: Uint8Array;
  /** One MLSAG signature per input, `32 + 64·ringSize` bytes each, over {@link txSigningHash}. */
  signatures: Uint8Array[];
  /** Tx-PoW nonce (u64): SHA3 over `txid ‖ u64le(nonce)` must be ≤ target. Not covered by the txid. */
  powNonce: bigint;
}

/** A coinbase (or premine) output: public amount, commitment `C = 1·G + amount·H` (mask 1). */
export interface CoinbaseOutput {
  /** One-time key `P = s·G + B` to the recipient (32 bytes). */
  oneTimeKey: Uint8Array;
  /** View tag, u8. */
  viewTag: number;
  /** Public amount in atomic units (u64). The commitment is `commit(amount, ONE)`. */
  amount: bigint;
  /** First block height at which this output may be a ring member (u64). For h > 0: h + coinbaseMaturity. */
  unlockHeight: bigint;
}

/** The coinbase of a block: block reward + fees to the producer (genesis: the premine). */
export interface Coinbase {
  /** The block height (u64); makes every coinbase unique. */
  height: bigint;
  /** Tx public key `R` (32 bytes) the outputs are derived from. */
  txPublicKey: Uint8Array;
  /** 1..=maxOutputs outputs (genesis: any number ≥ 0). */
  outputs: CoinbaseOutput[];
}

/** Block header: everything the block hash covers (docs/protocol.md §5; 488 bytes, version 2). */
export interface BlockHeader {
  /** Format version, u32 (= BLOCK_VERSION = 2). */
  version: number;
  /** Chain id, u32. */
  chainId: number;
  /** Height, u64 (genesis = 0). */
  height: bigint;
  /** Hash of the parent header (32 bytes; zeros for genesis). */
  parentHash: Uint8Array;
  /** Block time, milliseconds since the Unix epoch (u64); > parent's time, ≤ local clock + maxFutureBlockTimeMs (docs/protocol.md §5.1). */
  timeMs: bigint;
  /** Merkle root over the coinbase hash and the tx leaves (32 bytes, docs/protocol.md §6). */
  txRoot: Uint8Array;
  /** Output MMR root after appending this block's outputs (32 bytes, docs/protocol.md §8). */
  outputRoot: Uint8Array;
  /** Output MMR size in leaves (= total number of outputs) after this block (u64). */
  outputCount: bigint;
  /** Tx-PoW target every tx in this block meets (32 bytes big-endian). */
  txPowTarget: Uint8Array;
  /**
   * The block PoW target (32 bytes big-endian): the block hash, read as a 256-bit big-endian
   * integer, is ≤ it. Equals `nextBlockTarget(parent, grandparent time)` (docs/protocol.md §5.2).
   */
  blockTarget: Uint8Array;
  /** Hash of the validator set that must finalize this block (32 bytes, docs/protocol.md §9) = the parent's `nextValidatorsHash`. */
  validatorsHash: Uint8Array;
  /** Hash of the validator set that finalizes the next block (32 bytes; computed by the staking state machine). */
  nextValidatorsHash: Uint8Array;
  /** `h32("BAIOS/v1/certificate", certificate wire bytes)` of the body's `lastCertificate` (32 bytes). */
  lastCertificateHash: Uint8Array;
  /** Merkle root of the body's evidence list (32 bytes, tags `BAIOS/v1/evidence`, `BAIOS/v1/evidence-root`). */
  evidenceRoot: Uint8Array;
  /** Merkle root of the body's unbond list (32 bytes, tags `BAIOS/v1/unbond-leaf`, `BAIOS/v1/staking-root`). */
  stakingRoot: Uint8Array;
  /**
   * Root of the header MMR (32 bytes, docs/protocol.md §5.4): an MMR whose leaf `i` is
   * `h32("BAIOS/v1/header-leaf", u64le(i) ‖ blockHash_i)` over every block before this one
   * (genesis … height − 1, so `height` leaves); genesis: the empty MMR's root.
   */
  headerRoot: Uint8Array;
  /**
   * Commitment to the super-parent pointers after the parent (32 bytes, docs/cascade.md §3):
   * `superParentsRoot(sp(height − 1))`; genesis: `superParentsRoot(emptySuperParents())`.
   */
  superParentsRoot: Uint8Array;
  /** Key-image set root after this block's key images (32 bytes, docs/protocol.md §15); genesis: 32 zero bytes (the empty set). */
  keyImageRoot: Uint8Array;
  /**
   * `stakingStateHash(state after this block)` (32 bytes, docs/consensus.md §5.5): commits to the
   * whole staking state — bonded amounts, unbonding queue, reputation, status, epoch counters and
   * both validator sets — so a snapshot's stakes can be checked against a finalized header.
   * Genesis: the hash of `genesisStakingState`.
   */
  stakingStateHash: Uint8Array;
  /** PoW nonce (u64), the last 8 header bytes; miners grind it until the block hash ≤ `blockTarget`. */
  powNonce: bigint;
}

/**
 * An unbond request (docs/consensus.md §4.4), a block body entry of 169 wire bytes:
 * `validator[32] ‖ u64le amount ‖ oneTimeKey[32] ‖ u8 viewTag ‖ txPublicKey[32] ‖ signature[64]`.
 * After `unbondingDelay` blocks the amount (less any slash) is paid to `oneTimeKey` as a
 * coinbase-style output (commitment `1·G + amount·H`).
 */
export interface Unbond {
  /** Validator Ed25519 public key (32 bytes); it signs the request. */
  validator: Uint8Array;
  /** Amount to unbond, atomic units (u64, > 0). */
  amount: bigint;
  /** One-time key of the payout output (32 bytes, ristretto255); must be unused on chain. */
  oneTimeKey: Uint8Array;
  /** View tag of the payout output (u8). */
  viewTag: number;
  /** Tx public key `R` the payout's one-time key was derived with (32 bytes, ristretto255). */
  txPublicKey: Uint8Array;
  /** Ed25519 signature (64 bytes) by `validator` over `h32("BAIOS/v1/unbond", u32le chainId ‖ the 105 bytes before it)`. */
  signature: Uint8Array;
}

/**
 * A matured unbond paid in a block (supplied by the staking state, not carried in the body):
 * appended to the output MMR right after the coinbase outputs, commitment `commit(amount, 1)`,
 * unlock height `height + coinbaseMaturity` (docs/protocol.md §5.3).
 */
export interface UnbondPayout {
  /** One-time key (32 bytes) from the unbond request. */
  oneTimeKey: Uint8Array;
  /** View tag (u8) from the unbond request. */
  viewTag: number;
  /** Amount paid, atomic units (u64): the unbonded amount less any slash. */
  amount: bigint;
  /** Tx public key `R` (32 bytes) from the unbond request. */
  txPublicKey: Uint8Array;
}

/**
 * A signed vote as carried in evidence: the §10.5 vote message (kind, chain id, height, round,
 * block hash, validator, signature). Its wire form is exactly 145 bytes.
 */
export type SignedVoteMessage = VoteMessage;

/**
 * Equivocation (docs/consensus.md §3): two votes by one validator with the same kind, chain id,
 * height and round and different block hashes (nil counts as a value), canonical order
 * `voteA.blockHash < voteB.blockHash` bytewise. Wire: `u8 1 ‖ voteA[145] ‖ voteB[145]`.
 */
export interface DuplicateVoteEvidence {
  kind: "duplicate-vote";
  voteA: SignedVoteMessage;
  voteB: SignedVoteMessage;
}

/**
 * A validator's signed non-nil prevote or precommit for a block that fails validation against
 * its parent (docs/consensus.md §3). Wire: `u8 2 ‖ vote[145] ‖ u32le len ‖ block wire[len]`.
 */
export interface InvalidAttestationEvidence {
  kind: "invalid-attestation";
  vote: SignedVoteMessage;
  /** Wire bytes of the attested block (docs/protocol.md §10.3); its hash is `vote.blockHash`. */
  block: Uint8Array;
}

/** Evidence of validator misbehaviour carried in a block body (docs/protocol.md §10.3, §10.8). */
export type Evidence = DuplicateVoteEvidence | InvalidAttestationEvidence;

/**
 * A block (docs/protocol.md §5, §10.3): header, coinbase, transactions (in block order), the
 * parent's finality certificate, unbond requests and evidence.
 */
export interface Block {
  header: BlockHeader;
  coinbase: Coinbase;
  txs: Tx[];
  /** Finality certificate of the parent block (height − 1); genesis + 1 carries genesis's empty-vote certificate. */
  lastCertificate: FinalityCertificate;
  /** Unbond requests, in body order. */
  unbonds: Unbond[];
  /** Evidence of misbehaviour, in body order. */
  evidence: Evidence[];
}

/** One validator's signed vote (precommit) for a block. */
export interface Vote {
  /** Validator Ed25519 public key (32 bytes). */
  validator: Uint8Array;
  /** Ed25519 signature (64 bytes) over the precommit message (docs/protocol.md §9). */
  signature: Uint8Array;
}

/**
 * A vote as it crosses the network (docs/protocol.md §9, §10.5): what a validator signed and
 * the signature. The signed message is `h32("BAIOS/v1/prevote" | "BAIOS/v1/precommit",
 * u32le chainId ‖ u64le height ‖ u32le round ‖ blockHash)`.
 */
export interface VoteMessage {
  /** Prevote or precommit (wire byte 1 or 2). */
  kind: "prevote" | "precommit";
  /** Chain id (u32). */
  chainId: number;
  /** Height voted on (u64). */
  height: bigint;
  /** Consensus round (u32). */
  round: number;
  /** The voted block hash (32 bytes), or 32 zero bytes for a nil vote. */
  blockHash: Uint8Array;
  /** Validator Ed25519 public key (32 bytes). */
  validator: Uint8Array;
  /** Ed25519 signature (64 bytes) over the vote message hash. */
  signature: Uint8Array;
}

/**
 * Proof that a block is final: precommits of validators holding > 2/3 of the stake (with one
 * validator: its single signature). Votes are sorted by validator key, strictly ascending.
 */
export interface FinalityCertificate {
  /** Height of the finalized block (u64). */
  height: bigint;
  /** Consensus round in which it was finalized (u32; 0 for the single validator). */
  round: number;
  /** Hash of the finalized block (32 bytes). */
  blockHash: Uint8Array;
  /** The precommits. */
  votes: Vote[];
}

/** A validator: Ed25519 public key and stake weight. */
export interface Validator {
  /** Ed25519 public key (32 bytes). */
  publicKey: Uint8Array;
  /** Stake weight (u64, atomic units or abstract voting power). */
  stake: bigint;
}

/** What the chain knows about one output (the node stores it; ChainView returns it). */
export interface OutputRecord {
  /** Global output index (u64) = its MMR leaf index. */
  globalIndex: bigint;
  /** One-time key (32 bytes). */
  oneTimeKey: Uint8Array;
  /** Commitment (32 bytes); for coinbase outputs `commit(amount, ONE)`. */
  commitment: Uint8Array;
  /** First height at which it may be spent / used as a ring member (u64). */
  unlockHeight: bigint;
}

/**
 * Read-only chain state the validation pipeline needs; the node implements it over its DB.
 * Methods may be synchronous or return promises.
 */
export interface ChainView {
  /**
   * Height of the last finalized block (u64). A transaction is validated for inclusion at
   * `height + 1`; during block validation the view is the state before that block.
   */
  readonly height: bigint;
  /** Records for the given global indices, `undefined` for an index that does not exist. Same order. */
  getOutputs(globalIndices: readonly bigint[]): readonly (OutputRecord | undefined)[] | Promise<readonly (OutputRecord | undefined)[]>;
  /** Whether the key image (32 bytes) is spent in a finalized block. */
  isKeyImageSpent(keyImage: Uint8Array): boolean | Promise<boolean>;
  /**
   * For each one-time key (32 bytes), whether an output of a finalized block (genesis premine,
   * coinbase or tx output) already has it. Same order and length as `oneTimeKeys`.
   * Needed against the burning bug (docs/protocol.md §7.1): a second output to one key could
   * never be spent, since both would have the same key image.
   */
  areOneTimeKeysUsed(oneTimeKeys: readonly Uint8Array[]): readonly boolean[] | Promise<readonly boolean[]>;
}
