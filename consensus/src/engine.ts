/**
 * Validator sets, votes and finality certificates (docs/protocol.md §9, docs/consensus.md §2).
 *
 * Finality: a block is final when validators holding **more than 2/3 of the stake** have signed
 * a precommit for it: `Ed25519(seed, h32("BAIOS/v1/precommit", u32 chainId ‖ u64 height ‖
 * u32 round ‖ blockHash))`. The set of those votes is the {@link FinalityCertificate}.
 * With one validator, its single signature is the certificate. The Tendermint rounds that
 * produce these precommits (propose → prevote → precommit, locking on a polka) are the BFT
 * engine's (bft/engine.ts, `TendermintEngine`); the node's BFT driver builds the certificate
 * with {@link certificateFromVotes}.
 * @module
 */
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from "@baios/crypto";
import { ConsensusError, isCryptoError } from "./errors.ts";
import type { FinalityCertificate, Validator, Vote } from "./types.ts";
import { compareBytes, equalBytes, toHex } from "./encoding/bytes.ts";
import type { VoteKind } from "./encoding/canonical.ts";
import { sortValidators, validatorsHash, voteMessage } from "./hashes.ts";

/** A validator set in canonical order (sorted by key) with its total stake and hash. */
export interface ValidatorSet {
  /** Validators sorted by public key, strictly ascending, stake > 0. */
  readonly validators: readonly Validator[];
  /** Σ stake (u64). */
  readonly totalStake: bigint;
  /** `validatorsHash` (32 bytes), committed by every header. */
  readonly hash: Uint8Array;
}

/**
 * Canonical validator set: sorts by public key; rejects an empty set, duplicate keys, a key
 * that is not 32 bytes, or a stake that is 0.
 * @throws ConsensusError `GENESIS_INVALID`
 */
export function makeValidatorSet(validators: readonly Validator[]): ValidatorSet {
  if (validators.length === 0) throw new ConsensusError("GENESIS_INVALID", "empty validator set");
  const sorted = sortValidators(validators);
  let total = 0n;
  sorted.forEach((v, i) => {
    if (v.publicKey.length !== 32) throw new ConsensusError("GENESIS_INVALID", `validators[${i}].publicKey must be 32 bytes`);
    if (v.stake <= 0n) throw new ConsensusError("GENESIS_INVALID", `validators[${i}].stake must be > 0`);
    if (i > 0 && equalBytes((sorted[i - 1] as Validator).publicKey, v.publicKey)) throw new ConsensusError("GENESIS_INVALID", "duplicate validator key");
    total += v.stake;
  });
  return { validators: sorted, totalStake: total, hash: validatorsHash(sorted) };
}

/** Whether `signedStake` is more than 2/3 of `totalStake`: `3·signed > 2·total` (integers only). */
export function hasQuorum(signedStake: bigint, totalStake: bigint): boolean {
  return 3n * signedStake > 2n * totalStake;
}

/** A vote as gossiped between validators (docs/protocol.md §9). */
export interface SignedVote {
  kind: VoteKind;
  /** u64 */
  height: bigint;
  /** u32 */
  round: number;
  /** The voted block hash, or 32 zero bytes for nil. */
  blockHash: Uint8Array;
  /** Ed25519 public key (32 bytes). */
  validator: Uint8Array;
  /** Ed25519 signature (64 bytes) over {@link voteMessage}. */
  signature: Uint8Array;
}

/** Signs a vote with a validator's 32-byte Ed25519 seed. */
export function signVote(seed: Uint8Array, kind: VoteKind, chainId: number, height: bigint, round: number, blockHash: Uint8Array): SignedVote {
  const signature = ed25519Sign(seed, voteMessage(kind, chainId, height, round, blockHash));
  return { kind, height, round, blockHash: blockHash.slice(), validator: ed25519PublicKey(seed), signature };
}

/**
 * Verifies one vote's signature.
 * @throws ConsensusError `CERT_INVALID_SIGNATURE`
 */
export function verifyVote(chainId: number, vote: SignedVote): void {
  try {
    ed25519Verify(vote.validator, voteMessage(vote.kind, chainId, vote.height, vote.round, vote.blockHash), vote.signature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("CERT_INVALID_SIGNATURE", `vote by ${toHex(vote.validator).slice(0, 16)}…: ${e.code}`);
    throw e;
  }
}

/**
 * Verifies a finality certificate for block `blockHash` at `height`: votes sorted by validator
 * key (strictly, so no validator counts twice), every voter in the set, every signature valid,
 * and the voters' stake more than 2/3 of the total.
 * @throws ConsensusError `CERT_WRONG_BLOCK`, `CERT_DUPLICATE_VOTE`, `CERT_UNKNOWN_VALIDATOR`,
 *   `CERT_INVALID_SIGNATURE`, `CERT_INSUFFICIENT_STAKE`
 */
export function verifyFinalityCertificate(cert: FinalityCertificate, expected: { chainId: number; height: bigint; blockHash: Uint8Array; validatorSet: ValidatorSet }): void {
  if (cert.height !== expected.height || !equalBytes(cert.blockHash, expected.blockHash)) {
    throw new ConsensusError("CERT_WRONG_BLOCK", `certificate is for height ${cert.height}, not this block`);
  }
  const stakeOf = new Map(expected.validatorSet.validators.map((v) => [toHex(v.publicKey), v.stake]));
  const msg = voteMessage("precommit", expected.chainId, cert.height, cert.round, cert.blockHash);
  let signed = 0n;
  cert.votes.forEach((v: Vote, i) => {
    if (i > 0 && compareBytes((cert.votes[i - 1] as Vote).validator, v.validator) >= 0) throw new ConsensusError("CERT_DUPLICATE_VOTE", `votes[${i}] not strictly after votes[${i - 1}]`);
    const stake = stakeOf.get(toHex(v.validator));
    if (stake === undefined) throw new ConsensusError("CERT_UNKNOWN_VALIDATOR", `votes[${i}].validator is not in the validator set`);
    try {
      ed25519Verify(v.validator, msg, v.signature);
    } catch (e) {
      if (isCryptoError(e)) throw new ConsensusError("CERT_INVALID_SIGNATURE", `votes[${i}]: ${e.code}`);
      throw e;
    }
    signed += stake;
  });
  if (!hasQuorum(signed, expected.validatorSet.totalStake)) {
    throw new ConsensusError("CERT_INSUFFICIENT_STAKE", `signed stake ${signed} of ${expected.validatorSet.totalStake} is not > 2/3`);
  }
}

/** Builds a certificate from precommits (sorted by validator; duplicates dropped). Does not verify. */
export function certificateFromVotes(height: bigint, round: number, blockHash: Uint8Array, votes: readonly SignedVote[]): FinalityCertificate {
  const byKey = new Map<string, Vote>();
  for (const v of votes) if (v.kind === "precommit" && v.height === height && v.round === round && equalBytes(v.blockHash, blockHash)) byKey.set(toHex(v.validator), { validator: v.validator, signature: v.signature });
  const list = [...byKey.values()].sort((a, b) => compareBytes(a.validator, b.validator));
  return { height, round, blockHash: blockHash.slice(), votes: list };
}
