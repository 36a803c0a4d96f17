/** Proposal signed bytes, signature and strict wire codec (src/bft/proposal.ts, docs/consensus.md §2.1). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { h32 } from "@baios/crypto";
import { decodeProposal, encodeProposal, PROPOSAL_SIGNED_BYTES, PROPOSAL_WIRE_BYTES, proposalBytes, proposalMessage, signProposal, verifyProposal } from "../../src/bft/proposal.ts";
import { toHex } from "../../src/encoding/bytes.ts";
import { isConsensusError } from "../../src/errors.ts";
import { CHAIN, hashOf, validators } from "./fixtures.ts";

const { vals } = validators([1n, 1n]);
const alice = vals[0]!;

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isConsensusError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe("proposal", () => {
  it("signed bytes: u32le chainId ‖ u64le height ‖ u32le round ‖ u32le polRound ‖ blockHash (52 bytes), none = 0xFFFFFFFF", () => {
    const b = proposalBytes(0x01020304, { height: 0x1122334455667788n, round: 5, polRound: -1, blockHash: hashOf(0xab) });
    expect(b.length).toBe(PROPOSAL_SIGNED_BYTES);
    expect(toHex(b)).toBe("04030201" + "8877665544332211" + "05000000" + "ffffffff" + "ab".repeat(32));
    const c = proposalBytes(7, { height: 1n, round: 3, polRound: 2, blockHash: hashOf(1) });
    expect(toHex(c.subarray(16, 20))).toBe("02000000");
    expect(toHex(proposalMessage(7, { height: 1n, round: 3, polRound: 2, blockHash: hashOf(1) }))).toBe(toHex(h32("BAIOS/v1/proposal", c)));
  });

  it("sign → encode (148 bytes) → decode → verify round-trips; any flipped byte fails", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 0xffff_ffff }), fc.integer({ min: 1, max: 255 }), fc.nat(147), (height, round, b, flip) => {
        const polRound = round % 3 === 0 ? -1 : round - 1;
        const p = signProposal(alice.seed, CHAIN, { height, round, polRound, blockHash: hashOf(b) });
        const wire = encodeProposal(CHAIN, p);
        expect(wire.length).toBe(PROPOSAL_WIRE_BYTES);
        const d = decodeProposal(wire);
        expect(d.chainId).toBe(CHAIN);
        expect(d.proposal).toEqual(p);
        verifyProposal(CHAIN, d.proposal);
        const bad = wire.slice();
        bad[flip] = bad[flip]! ^ 1;
        const c = code(() => {
          const x = decodeProposal(bad);
          verifyProposal(x.chainId, x.proposal);
        });
        expect(c).toBeDefined();
      }),
      { seed: 3, numRuns: 60 },
    );
  });

  it("strict decoding and typed errors", () => {
    const p = signProposal(alice.seed, CHAIN, { height: 9n, round: 2, polRound: 1, blockHash: hashOf(3) });
    const wire = encodeProposal(CHAIN, p);
    expect(code(() => decodeProposal(wire.subarray(0, 147)))).toBe("BFT_PROPOSAL_MALFORMED");
    expect(code(() => decodeProposal(new Uint8Array([...wire, 0])))).toBe("BFT_PROPOSAL_MALFORMED");
    expect(code(() => verifyProposal(CHAIN + 1, p))).toBe("BFT_PROPOSAL_SIGNATURE");
    expect(code(() => verifyProposal(CHAIN, { ...p, proposer: vals[1]!.key }))).toBe("BFT_PROPOSAL_SIGNATURE");
    expect(code(() => verifyProposal(CHAIN, { ...p, polRound: 2 }))).toBe("BFT_BAD_POL_ROUND");
    expect(code(() => verifyProposal(CHAIN, { ...p, polRound: -2 }))).toBe("BFT_BAD_POL_ROUND");
    expect(code(() => verifyProposal(CHAIN, { ...p, blockHash: new Uint8Array(32) }))).toBe("BFT_NIL_PROPOSAL");
    expect(code(() => verifyProposal(CHAIN, { ...p, blockHash: new Uint8Array(31) }))).toBe("BFT_MALFORMED");
    expect(code(() => signProposal(alice.seed, CHAIN, { height: 1n, round: 0, polRound: 0, blockHash: hashOf(1) }))).toBe("BFT_BAD_POL_ROUND");
  });
});
