/**
 * mmr.json (docs/mmr.md) from the TypeScript implementation's side, next to the independent
 * verifier's run in vectors.test.ts:
 * - drift check: the generator (test-vectors/gen-mmr.ts) must reproduce the committed file;
 * - every case through `@baios/consensus`: roots by `Mmr.rootAt`, inclusion proofs by
 *   `checkInclusionProof`, consistency proofs by `verifyConsistencyProof`, with the expected codes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkInclusionProof, ConsensusError, fromHex, MemoryMmrBackend, Mmr, mmrLeafHash, toHex, verifyConsistencyProof } from "@baios/consensus";
import { MMR_VECTOR_FILE, mmrVectorText } from "../gen-mmr.ts";
import { VECTOR_DIR } from "../independent/vectors.ts";

type Case = Record<string, string> & { tcId: number; result: "valid" | "invalid"; error?: string; peaks?: string[] };
interface Group { type: string; tests: Case[]; leaves?: { oneTimeKey: string; commitment: string; leafHash: string }[] }
const file = JSON.parse(readFileSync(join(VECTOR_DIR, MMR_VECTOR_FILE), "utf8")) as { testGroups: Group[] };
const group = (type: string): Group => file.testGroups.find((g) => g.type === type) ?? { type, tests: [] };

function outcome(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}

describe("mmr.json", () => {
  it("is what the generator produces (drift check: `node test-vectors/gen-mmr.ts` rewrites it)", async () => {
    expect(await mmrVectorText()).toBe(readFileSync(join(VECTOR_DIR, MMR_VECTOR_FILE), "utf8"));
  });

  it("roots agree with @baios/consensus", async () => {
    const g = group("MmrRoot");
    const leaves = (g.leaves ?? []).map((l, i) => {
      const h = mmrLeafHash(BigInt(i), fromHex(l.oneTimeKey), fromHex(l.commitment));
      expect(toHex(h)).toBe(l.leafHash);
      return h;
    });
    const m = new Mmr(new MemoryMmrBackend());
    await m.append(leaves);
    expect(g.tests.length).toBeGreaterThan(0);
    for (const t of g.tests) expect(toHex(await m.rootAt(BigInt(t.count as string))), `tcId ${t.tcId}`).toBe(t.root);
  });

  it("inclusion and consistency proofs agree with @baios/consensus (valid and every invalid code)", () => {
    const codes = new Set<string>();
    for (const t of group("MmrInclusion").tests) {
      const got = outcome(() => checkInclusionProof(fromHex(t.root as string), BigInt(t.leafCount as string), fromHex(t.leafHash as string), fromHex(t.proof as string)));
      expect(got, `tcId ${t.tcId}`).toBe(t.result === "valid" ? "accepted" : t.error);
      codes.add(got);
    }
    for (const t of group("MmrConsistency").tests) {
      const got = outcome(() => verifyConsistencyProof(fromHex(t.oldRoot as string), BigInt(t.oldCount as string), fromHex(t.newRoot as string), BigInt(t.newCount as string), fromHex(t.proof as string)));
      expect(got, `tcId ${t.tcId}`).toBe(t.result === "valid" ? "accepted" : t.error);
      codes.add(got);
    }
    expect([...codes].sort()).toEqual(["MMR_CONSISTENCY_INVALID", "MMR_CONSISTENCY_MALFORMED", "MMR_PROOF_INVALID", "MMR_PROOF_MALFORMED", "accepted"]);
  });
});
