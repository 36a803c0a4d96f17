/** Evidence verification (src/bft/evidence.ts, docs/consensus.md §3). */
import { describe, expect, it } from "vitest";
import { checkInvalidAttestationVote, duplicateVoteEvidence, verifyDuplicateVote } from "../../src/bft/evidence.ts";
import { compareBytes } from "../../src/encoding/bytes.ts";
import { signVote } from "../../src/engine.ts";
import { isConsensusError } from "../../src/errors.ts";
import type { DuplicateVoteEvidence } from "../../src/types.ts";
import { CHAIN, hashOf, NIL, validators, vote } from "./fixtures.ts";

const { vals, set } = validators([10n, 20n, 30n]);
const outsider = validators([1n, 1n, 1n, 1n]).vals[3]!;
const [a] = vals as [(typeof vals)[0]];

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isConsensusError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe("duplicate-vote evidence", () => {
  const ev = duplicateVoteEvidence(CHAIN, vote(a, "prevote", 5n, 2, hashOf(9)), vote(a, "prevote", 5n, 2, NIL));

  it("is built in canonical order and verifies; nil counts as a value", () => {
    expect(compareBytes(ev.voteA.blockHash, ev.voteB.blockHash)).toBeLessThan(0);
    expect(ev.voteA.blockHash).toEqual(NIL);
    expect(verifyDuplicateVote(CHAIN, ev, set).publicKey).toEqual(a.key);
  });

  it("rejects each broken rule with its code", () => {
    const swap: DuplicateVoteEvidence = { ...ev, voteA: ev.voteB, voteB: ev.voteA };
    expect(code(() => verifyDuplicateVote(CHAIN, swap, set))).toBe("EVIDENCE_NOT_CANONICAL");
    expect(code(() => verifyDuplicateVote(CHAIN, { ...ev, voteB: ev.voteA }, set))).toBe("EVIDENCE_NOT_CONFLICTING");
    const otherRound = duplicateVoteEvidence(CHAIN, vote(a, "prevote", 5n, 2, NIL), vote(a, "prevote", 5n, 3, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, otherRound, set))).toBe("EVIDENCE_NOT_CONFLICTING");
    const otherKind = duplicateVoteEvidence(CHAIN, vote(a, "prevote", 5n, 2, NIL), vote(a, "precommit", 5n, 2, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, otherKind, set))).toBe("EVIDENCE_NOT_CONFLICTING");
    const otherHeight = duplicateVoteEvidence(CHAIN, vote(a, "prevote", 5n, 2, NIL), vote(a, "prevote", 6n, 2, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, otherHeight, set))).toBe("EVIDENCE_NOT_CONFLICTING");
    const twoPeople = duplicateVoteEvidence(CHAIN, vote(a, "prevote", 5n, 2, NIL), vote(vals[1]!, "prevote", 5n, 2, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, twoPeople, set))).toBe("EVIDENCE_NOT_CONFLICTING");
    const stranger = duplicateVoteEvidence(CHAIN, vote(outsider, "precommit", 5n, 2, NIL), vote(outsider, "precommit", 5n, 2, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, stranger, set))).toBe("EVIDENCE_UNKNOWN_VALIDATOR");
    const forged = { ...ev, voteB: { ...ev.voteB, signature: ev.voteA.signature } };
    expect(code(() => verifyDuplicateVote(CHAIN, forged, set))).toBe("EVIDENCE_INVALID_SIGNATURE");
    expect(code(() => verifyDuplicateVote(CHAIN + 1, ev, set))).toBe("EVIDENCE_WRONG_CHAIN");
    expect(code(() => verifyDuplicateVote(CHAIN, { ...ev, voteA: { ...ev.voteA, signature: new Uint8Array(63) } }, set))).toBe("EVIDENCE_BAD_VOTE");
    // a vote signed for another chain id, relabelled as this chain's, does not verify
    const relabelled = duplicateVoteEvidence(CHAIN, signVote(a.seed, "prevote", CHAIN + 1, 5n, 2, NIL), signVote(a.seed, "prevote", CHAIN + 1, 5n, 2, hashOf(9)));
    expect(code(() => verifyDuplicateVote(CHAIN, relabelled, set))).toBe("EVIDENCE_INVALID_SIGNATURE");
  });
});

describe("invalid-attestation vote check", () => {
  it("accepts a signed non-nil vote of a member; rejects nil, strangers, bad signatures", () => {
    const v = duplicateVoteEvidence(CHAIN, vote(a, "precommit", 4n, 0, hashOf(7)), vote(a, "precommit", 4n, 0, hashOf(8))).voteA;
    const block = new Uint8Array([1, 2, 3]);
    expect(checkInvalidAttestationVote(CHAIN, { kind: "invalid-attestation", vote: v, block }, set).publicKey).toEqual(a.key);
    const nil = { ...v, blockHash: NIL };
    expect(code(() => checkInvalidAttestationVote(CHAIN, { kind: "invalid-attestation", vote: nil, block }, set))).toBe("EVIDENCE_NIL_VOTE");
    const other = { ...v, blockHash: hashOf(6) };
    expect(code(() => checkInvalidAttestationVote(CHAIN, { kind: "invalid-attestation", vote: other, block }, set))).toBe("EVIDENCE_INVALID_SIGNATURE");
    const s = duplicateVoteEvidence(CHAIN, vote(outsider, "prevote", 4n, 0, hashOf(7)), vote(outsider, "prevote", 4n, 0, hashOf(8))).voteA;
    expect(code(() => checkInvalidAttestationVote(CHAIN, { kind: "invalid-attestation", vote: s, block }, set))).toBe("EVIDENCE_UNKNOWN_VALIDATOR");
  });
});
