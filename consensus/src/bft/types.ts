/**
 * Events, effects and messages of the Tendermint BFT engine (docs/consensus.md §2).
 * Source: Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus" (2018), Algorithm 1.
 * @module
 */
import type { VoteKind } from "../encoding/canonical.ts";
import type { ValidatorSet, SignedVote } from "../engine.ts";
import type { DuplicateVoteEvidence, FinalityCertificate } from "../types.ts";

/** The three steps of a round, in order: propose < prevote < precommit. */
export type BftStep = "propose" | "prevote" | "precommit";

/** `polRound` of a proposal without a proof-of-lock round (−1; wire `0xFFFFFFFF`). */
export const NO_POL_ROUND = -1;

/** A proposal before signing (docs/consensus.md §2.1). */
export interface UnsignedProposal {
  /** u64 */
  height: bigint;
  /** u32 */
  round: number;
  /** The round of the polka for `blockHash` the proposer saw (its validRound), or −1 for none. */
  polRound: number;
  /** The proposed block hash (32 bytes, never the nil hash). */
  blockHash: Uint8Array;
}

/** A proposal as gossiped: the unsigned fields, the proposer's key and its Ed25519 signature. */
export interface SignedProposal extends UnsignedProposal {
  /** Ed25519 public key of the proposer (32 bytes). */
  proposer: Uint8Array;
  /** Ed25519 signature (64 bytes) over `proposalMessage(chainId, proposal)`. */
  signature: Uint8Array;
}

/** A vote before signing; nil = 32 zero bytes. */
export interface UnsignedVote {
  kind: VoteKind;
  /** u64 */
  height: bigint;
  /** u32 */
  round: number;
  /** 32 bytes; 32 zero bytes for nil. */
  blockHash: Uint8Array;
}

/** What the engine asks the driver to sign (then broadcast and feed back as an event). */
export type UnsignedMessage = ({ type: "proposal" } & UnsignedProposal) | ({ type: "vote" } & UnsignedVote);

/** The inputs of {@link TendermintEngine.handle}. */
export type BftEvent =
  | {
      type: "start";
      /** The height to decide (u64), above every height started before. */
      height: bigint;
      /** The validator set in force at `height`. */
      validatorSet: ValidatorSet;
      /** First height at which `validatorSet` is in force (the epoch start); the proposer schedule counts heights from it. */
      setStartHeight: bigint;
      /** The local validator's Ed25519 public key (32 bytes); absent for a non-validating node. */
      localKey?: Uint8Array;
    }
  | { type: "proposal"; proposal: SignedProposal }
  | { type: "vote"; vote: SignedVote }
  | { type: "timeout"; height: bigint; round: number; step: BftStep }
  | { type: "validated"; height: bigint; blockHash: Uint8Array; valid: boolean }
  | { type: "value"; height: bigint; round: number; blockHash: Uint8Array };

/** The outputs of {@link TendermintEngine.handle}, in the order they must be carried out. */
export type BftEffect =
  | { type: "sign"; message: UnsignedMessage }
  | { type: "scheduleTimeout"; height: bigint; round: number; step: BftStep; ms: number }
  | { type: "requestValue"; height: bigint; round: number }
  | { type: "validate"; height: bigint; round: number; blockHash: Uint8Array }
  | { type: "commit"; height: bigint; round: number; blockHash: Uint8Array; certificate: FinalityCertificate }
  | { type: "evidence"; evidence: DuplicateVoteEvidence };
