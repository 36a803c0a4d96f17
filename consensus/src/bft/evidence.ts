/**
 * Verification of misbehaviour evidence (docs/consensus.md §3). The evidence types live in
 * src/types.ts (`DuplicateVoteEvidence`, `InvalidAttestationEvidence`, `Evidence`); their wire
 * codec and hashes in src/encoding/wire.ts. Source: CometBFT `types/evidence.go`
 * (`DuplicateVoteEvidence.ValidateBasic`, `VerifyDuplicateVote`).
 * @module
 */
import { ed25519Verify } from "@baios/crypto";
import { compareBytes, equalBytes, toHex, ZERO_HASH } from "../encoding/bytes.ts";
import { ConsensusError, isCryptoError } from "../errors.ts";
import type { SignedVote, ValidatorSet } from "../engine.ts";
import { voteMessage } from "../hashes.ts";
import type { DuplicateVoteEvidence, InvalidAttestationEvidence, Validator, VoteMessage } from "../types.ts";

/**
 * Duplicate-vote evidence from two conflicting votes of one validator, in canonical order
 * (`voteA.blockHash < voteB.blockHash` bytewise). Does not verify anything.
 */
export function duplicateVoteEvidence(chainId: number, a: SignedVote, b: SignedVote): DuplicateVoteEvidence {
  const [x, y] = compareBytes(a.blockHash, b.blockHash) <= 0 ? [a, b] : [b, a];
  const msg = (v: SignedVote): VoteMessage => ({ kind: v.kind, chainId, height: v.height, round: v.round, blockHash: v.blockHash.slice(), validator: v.validator.slice(), signature: v.signature.slice() });
  return { kind: "duplicate-vote", voteA: msg(x), voteB: msg(y) };
}

function checkVoteFields(v: VoteMessage, chainId: number, path: string): void {
  if (v.kind !== "prevote" && v.kind !== "precommit") throw new ConsensusError("EVIDENCE_BAD_VOTE", `${path}.kind ${String(v.kind)}`);
  if (v.blockHash.length !== 32 || v.validator.length !== 32 || v.signature.length !== 64) throw new ConsensusError("EVIDENCE_BAD_VOTE", `${path}: blockHash/validator must be 32 bytes, signature 64`);
  if (typeof v.height !== "bigint" || v.height < 0n || v.height > 0xffff_ffff_ffff_ffffn || !Number.isInteger(v.round) || v.round < 0 || v.round > 0xffff_ffff) {
    throw new ConsensusError("EVIDENCE_BAD_VOTE", `${path}: height not u64 or round not u32`);
  }
  if (v.chainId !== chainId) throw new ConsensusError("EVIDENCE_WRONG_CHAIN", `${path}.chainId ${v.chainId} is not ${chainId}`);
}

function memberOf(set: ValidatorSet, key: Uint8Array): Validator {
  const v = set.validators.find((x) => equalBytes(x.publicKey, key));
  if (v === undefined) throw new ConsensusError("EVIDENCE_UNKNOWN_VALIDATOR", `validator ${toHex(key).slice(0, 16)}… is not in the set of the votes' height`);
  return v;
}

function checkSignature(v: VoteMessage, path: string): void {
  try {
    ed25519Verify(v.validator, voteMessage(v.kind, v.chainId, v.height, v.round, v.blockHash), v.signature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("EVIDENCE_INVALID_SIGNATURE", `${path}: ${e.code}`);
    throw e;
  }
}

/**
 * Verifies duplicate-vote evidence, in this order: both votes well-formed and for `chainId`;
 * same validator, kind, height and round; different block hashes (nil, 32 zero bytes, counts as
 * a value); canonical order `voteA.blockHash < voteB.blockHash`; the validator in
 * `validatorSetAtHeight` (the set in force at the votes' height); both Ed25519 signatures valid.
 * Age limits (`unbondingDelay`) and repeats are the block validator's business.
 * @returns the offending validator (key and stake in that set)
 * @throws ConsensusError `EVIDENCE_BAD_VOTE`, `EVIDENCE_WRONG_CHAIN`, `EVIDENCE_NOT_CONFLICTING`,
 *   `EVIDENCE_NOT_CANONICAL`, `EVIDENCE_UNKNOWN_VALIDATOR`, `EVIDENCE_INVALID_SIGNATURE`
 */
export function verifyDuplicateVote(chainId: number, ev: DuplicateVoteEvidence, validatorSetAtHeight: ValidatorSet): Validator {
  const { voteA: a, voteB: b } = ev;
  checkVoteFields(a, chainId, "voteA");
  checkVoteFields(b, chainId, "voteB");
  if (!equalBytes(a.validator, b.validator)) throw new ConsensusError("EVIDENCE_NOT_CONFLICTING", "votes by different validators");
  if (a.kind !== b.kind || a.height !== b.height || a.round !== b.round) throw new ConsensusError("EVIDENCE_NOT_CONFLICTING", `votes differ in kind, height or round (${a.kind}/${a.height}/${a.round} vs ${b.kind}/${b.height}/${b.round})`);
  const order = compareBytes(a.blockHash, b.blockHash);
  if (order === 0) throw new ConsensusError("EVIDENCE_NOT_CONFLICTING", "both votes are for the same block hash");
  if (order > 0) throw new ConsensusError("EVIDENCE_NOT_CANONICAL", "voteA.blockHash must be below voteB.blockHash bytewise");
  const offender = memberOf(validatorSetAtHeight, a.validator);
  checkSignature(a, "voteA");
  checkSignature(b, "voteB");
  return offender;
}

/**
 * The engine-independent part of invalid-attestation evidence: the vote is well-formed, for
 * `chainId`, not nil, by a validator of `validatorSetAtHeight`, and its signature verifies.
 * Whether `ev.block` hashes to `vote.blockHash` and fails validation against its parent is the
 * node's check (it holds the chain).
 * @returns the offending validator
 * @throws ConsensusError `EVIDENCE_BAD_VOTE`, `EVIDENCE_WRONG_CHAIN`, `EVIDENCE_NIL_VOTE`,
 *   `EVIDENCE_UNKNOWN_VALIDATOR`, `EVIDENCE_INVALID_SIGNATURE`
 */
export function checkInvalidAttestationVote(chainId: number, ev: InvalidAttestationEvidence, validatorSetAtHeight: ValidatorSet): Validator {
  checkVoteFields(ev.vote, chainId, "vote");
  if (equalBytes(ev.vote.blockHash, ZERO_HASH)) throw new ConsensusError("EVIDENCE_NIL_VOTE", "a nil vote attests no block");
  const offender = memberOf(validatorSetAtHeight, ev.vote.validator);
  checkSignature(ev.vote, "vote");
  return offender;
}
