/**
 * Runs every shared vector file in test-vectors/*.json through the independent verifier.
 *
 * - Valid cases are reproduced exactly from their inputs; invalid cases must be rejected with
 *   the file's §9 error code. Disagreements are listed precisely (file, tcId, field, ours, theirs).
 * - Unknown `result` values and unknown group types fail; the number of cases checked must
 *   equal `numberOfTests` (a truncated file fails).
 * - Every file named in test-vectors/README.md must exist: a missing file FAILS.
 * - Range proofs are out of scope (see OUT_OF_SCOPE in independent/check.ts): rangeproof.json
 *   is shape-checked and counted only.
 */
import { describe, expect, it } from "vitest";
import { checkVectorFile, formatDisagreements, OUT_OF_SCOPE } from "../independent/check.ts";
import { listVectorFiles, loadVectorFile } from "../independent/vectors.ts";

/** File → the group types test-vectors/README.md documents for it. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  "scalar.json": ["ScalarDecode"],
  "point.json": ["PointDecode"],
  "hash_to_scalar.json": ["HashToScalar"],
  "hash_to_point.json": ["HashToPoint"],
  "pedersen.json": ["PedersenCommit", "BalanceCheck"],
  "stealth.json": ["StealthOutput", "StealthScan"],
  "key_image.json": ["KeyImage"],
  "mlsag.json": ["MlsagVerify"],
  "rangeproof.json": ["RangeProofVerify"],
  "txpow.json": ["TxPowVerify"],
  "ed25519.json": ["Ed25519Verify"],
  "subaddress.json": ["Subaddress"],
  "wallet_proofs.json": ["TxProofVerify", "KeyImageProofVerify", "DerivationProofVerify"],
  "wire.json": ["GenesisWire", "TxWire", "HeaderWire", "BlockPow", "Retarget", "BlockWire", "UnbondWire", "EvidenceWire", "CertificateWire", "VoteWire"],
  "kiset.json": ["KisetRoot", "KisetProof"],
  "mmr.json": ["MmrRoot", "MmrInclusion", "MmrConsistency"],
};

describe("shared test vectors (independent verifier)", () => {
  it("no vector file without a checker", () => {
    const unknown = listVectorFiles().filter((f) => !(f in EXPECTED));
    expect(unknown, `vector files this verifier does not know: ${unknown.join(", ")}`).toEqual([]);
  });

  for (const [file, types] of Object.entries(EXPECTED)) {
    const inScope = !types.every((t) => t in OUT_OF_SCOPE);
    it(`${file}${inScope ? "" : " (shape and count only; verification out of scope)"}`, () => {
      const present = listVectorFiles().includes(file);
      expect(present, `${file} is missing from test-vectors/ (every documented file must exist)`).toBe(true);
      const vf = loadVectorFile(file);
      const strayTypes = vf.testGroups.map((g) => g.type).filter((t) => !types.includes(t));
      expect(strayTypes, `${file}: group types not documented for this file`).toEqual([]);
      expect(vf.casesPresent, `${file}: numberOfTests ${vf.numberOfTests} but ${vf.casesPresent} cases present`).toBe(vf.numberOfTests);
      const report = checkVectorFile(vf);
      console.log(`${file}: ${report.checked} cases checked, ${report.passed} agreed, ${report.skipped} out of scope, ${report.disagreements.length} disagreements`);
      for (const n of report.notes) console.log(`note: ${n}`);
      expect(report.checked).toBe(vf.numberOfTests);
      expect(formatDisagreements(report.disagreements), `${file}: disagreements`).toBe("");
      if (inScope) {
        expect(report.skipped).toBe(0);
        expect(report.passed).toBe(vf.numberOfTests);
        expect(vf.testGroups.some((g) => g.tests.some((t) => t.result === "valid")), `${file}: no valid case`).toBe(true);
      }
    });
  }

  it.skip(`rangeproof.json verification: ${OUT_OF_SCOPE.RangeProofVerify}`, () => {});
});
