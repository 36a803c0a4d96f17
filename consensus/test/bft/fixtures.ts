/** Deterministic validators, votes and proposals for the BFT unit tests. */
import { ed25519PublicKey } from "@baios/crypto";
import { makeValidatorSet, signVote, type SignedVote, type ValidatorSet } from "../../src/engine.ts";
import { toHex } from "../../src/encoding/bytes.ts";
import type { VoteKind } from "../../src/encoding/canonical.ts";
import { signProposal } from "../../src/bft/proposal.ts";
import { proposerFor } from "../../src/bft/proposer.ts";
import type { SignedProposal } from "../../src/bft/types.ts";

export const CHAIN = 77;
export const NIL = new Uint8Array(32);

/** A 32-byte block hash filled with `b` (1..255). */
export function hashOf(b: number): Uint8Array {
  return new Uint8Array(32).fill(b);
}

export interface Keyed {
  seed: Uint8Array;
  key: Uint8Array;
  stake: bigint;
}

/** Validators with seeds `[i+1; 32]` and the given stakes, and their canonical set. */
export function validators(stakes: readonly bigint[]): { vals: Keyed[]; set: ValidatorSet } {
  const vals = stakes.map((stake, i) => {
    const seed = new Uint8Array(32).fill(i + 1);
    return { seed, key: ed25519PublicKey(seed), stake };
  });
  return { vals, set: makeValidatorSet(vals.map((v) => ({ publicKey: v.key, stake: v.stake }))) };
}

export function vote(v: Keyed, kind: VoteKind, height: bigint, round: number, blockHash: Uint8Array): SignedVote {
  return signVote(v.seed, kind, CHAIN, height, round, blockHash);
}

/** The validator scheduled to propose (height, round) for a set in force since height 1. */
export function proposerOf(vals: readonly Keyed[], set: ValidatorSet, height: bigint, round: number): Keyed {
  const key = toHex(proposerFor(set, height - 1n, round).publicKey);
  return vals.find((v) => toHex(v.key) === key) as Keyed;
}

export function proposal(v: Keyed, height: bigint, round: number, polRound: number, blockHash: Uint8Array): SignedProposal {
  return signProposal(v.seed, CHAIN, { height, round, polRound, blockHash });
}
