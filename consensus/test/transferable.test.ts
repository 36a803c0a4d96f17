import { describe, expect, it } from "vitest";
import { ConsensusError } from "../src/errors.ts";
import { mlsagJobs, rangeProofJob, resolveRings, verifyMlsagJob, verifyRangeProofJobs } from "../src/validation/stages.ts";
import { txSigningHash } from "../src/hashes.ts";
import { TestChain, BAI } from "./helpers/chain.ts";
import { buildTx } from "./helpers/txbuilder.ts";

describe("worker-transferable stages", () => {
  it("MLSAG and range-proof jobs survive structuredClone; errors cross as JSON", async () => {
    const c = await new TestChain().init();
    const inp = c.owned[0]!;
    const { tx } = buildTx(c, {
      inputs: [inp],
      outputs: [
        { to: { viewPublic: c.bob.viewPublic, spendPublic: c.bob.spendPublic }, amount: BAI },
        { to: { viewPublic: c.alice.viewPublic, spendPublic: c.alice.spendPublic }, amount: inp.amount - BAI - c.params.minFee },
      ],
    });
    const rings = await resolveRings(tx, c, 1n);
    const jobs = structuredClone(mlsagJobs(tx, txSigningHash(tx), rings, 3));
    for (const j of jobs) verifyMlsagJob(j);
    const rj = structuredClone([rangeProofJob(tx, 3), rangeProofJob(tx, 4)]);
    verifyRangeProofJobs(rj);
    const bad = structuredClone(jobs[0]!);
    bad.signature[0]! ^= 1;
    let err: unknown;
    try {
      verifyMlsagJob(bad);
    } catch (e) {
      err = e;
    }
    const back = ConsensusError.fromJSON(structuredClone((err as ConsensusError).toJSON()));
    expect(back.code).toBe("TX_SIGNATURE_INVALID");
    const badProof = structuredClone(rj);
    badProof[1]!.proof = badProof[1]!.proof.slice(); // structuredClone keeps the shared buffer shared
    badProof[1]!.proof[10]! ^= 1;
    expect(() => verifyRangeProofJobs(badProof)).toThrow(expect.objectContaining({ code: "TX_RANGE_PROOF_INVALID", index: 4 }));
  });
});
