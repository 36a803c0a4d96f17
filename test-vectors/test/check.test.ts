/**
 * Self-test of the vector runner (independent/check.ts) on in-memory files built with this
 * verifier, so the comparison logic is exercised before the Rust-generated files exist.
 */
import { describe, expect, it } from "vitest";
import { checkVectorFile } from "../independent/check.ts";
import type { TestCase, TestGroup, VectorFile } from "../independent/vectors.ts";
import { encodePoint, encodeScalar, mulBase, toHex } from "../independent/encoding.ts";
import { powHash } from "../independent/txpow.ts";

function tc(tcId: number, result: "valid" | "invalid", fields: Record<string, unknown>, error?: string): TestCase {
  const raw = { tcId, comment: "", flags: [], result, ...(error ? { error } : {}), ...fields };
  return { tcId, comment: "", flags: [], result, error, raw };
}

function file(groups: { type: string; raw?: Record<string, unknown>; tests: TestCase[] }[]): VectorFile {
  const testGroups: TestGroup[] = groups.map((g) => ({ type: g.type, raw: { type: g.type, ...(g.raw ?? {}) }, tests: g.tests }));
  const n = testGroups.reduce((a, g) => a + g.tests.length, 0);
  return { file: "synthetic.json", algorithm: "X", generatorVersion: "1", numberOfTests: n, header: [], notes: {}, testGroups, casesPresent: n };
}

describe("vector runner", () => {
  it("agrees on correct cases and reports each kind of disagreement", () => {
    const txid = new Uint8Array(32).fill(1);
    const h = toHex(powHash(txid, 5n));
    const vf = file([
      { type: "ScalarDecode", tests: [
        tc(1, "valid", { encoding: toHex(encodeScalar(5n)) }),
        tc(2, "invalid", { encoding: "ff".repeat(32) }, "NON_CANONICAL_SCALAR"),
        tc(3, "invalid", { encoding: "ff".repeat(32) }, "INVALID_POINT"), // wrong code
        tc(4, "valid", { encoding: "ff".repeat(32) }), // we reject
        tc(5, "invalid", { encoding: "00".repeat(32) }), // we accept
      ] },
      { type: "TxPowVerify", tests: [
        tc(6, "valid", { txid: toHex(txid), nonce: "5", target: "ff".repeat(32), hash: h }),
        tc(7, "valid", { txid: toHex(txid), nonce: "5", target: "ff".repeat(32), hash: "00".repeat(32) }), // wrong hash
        tc(8, "invalid", { txid: toHex(txid), nonce: "5", target: "00".repeat(32), hash: h }, "POW_INSUFFICIENT"),
      ] },
      { type: "PointDecode", tests: [tc(9, "valid", { encoding: toHex(encodePoint(mulBase(3n))), allowIdentity: false })] },
      { type: "Mystery", tests: [tc(10, "valid", {})] },
      { type: "RangeProofVerify", tests: [tc(11, "valid", {})] },
      { type: "ScalarDecode", tests: [tc(12, "invalid", { encoding: "ff".repeat(32) }, "NOT_A_CODE")] },
    ]);
    const r = checkVectorFile(vf);
    expect(r.checked).toBe(12);
    expect(r.skipped).toBe(1);
    const got = r.disagreements.map((d) => `${d.tcId}:${d.field}`);
    expect(got).toEqual(["3:error", "4:result", "5:result", "7:hash", "10:group type", "12:error code", "12:error"]);
    expect(r.passed).toBe(5); // tcIds 1, 2, 6, 8, 9
  });
});
