/**
 * kiset.json (docs/protocol.md §15) from the TypeScript implementation's side, next to the
 * independent verifier's check in vectors.test.ts:
 * - drift check: the generator (test-vectors/gen-kiset.ts) must reproduce the committed file;
 * - every case through `@baios/consensus`: roots by `kisetRootOfKeyImages`, proofs by
 *   `verifyKeyImageProof`, invalid cases with the file's error code.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConsensusError, fromHex, kisetKey, kisetRootOfKeyImages, toHex, verifyKeyImageProof } from "@baios/consensus";
import { KISET_VECTOR_FILE, kisetVectorText } from "../gen-kiset.ts";
import { VECTOR_DIR } from "../independent/vectors.ts";

interface Case {
  tcId: number;
  result: "valid" | "invalid";
  error?: string;
  keyImages?: string[];
  keys?: string[];
  root?: string;
  keyImage?: string;
  proof?: string;
  spent?: boolean;
}
const file = JSON.parse(readFileSync(join(VECTOR_DIR, KISET_VECTOR_FILE), "utf8")) as { testGroups: { type: string; tests: Case[] }[] };
const group = (type: string): Case[] => file.testGroups.find((g) => g.type === type)?.tests ?? [];

function outcome(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}

describe("kiset.json", () => {
  it("is what the generator produces (drift check: `node test-vectors/gen-kiset.ts` rewrites it)", async () => {
    expect(await kisetVectorText()).toBe(readFileSync(join(VECTOR_DIR, KISET_VECTOR_FILE), "utf8"));
  });

  it("roots agree with @baios/consensus", () => {
    expect(group("KisetRoot").length).toBeGreaterThan(0);
    for (const t of group("KisetRoot")) {
      const kis = (t.keyImages ?? []).map(fromHex);
      if (t.result === "valid") {
        expect(kis.map((k) => toHex(kisetKey(k))), `tcId ${t.tcId}`).toEqual(t.keys);
        expect(toHex(kisetRootOfKeyImages(kis)), `tcId ${t.tcId}`).toBe(t.root);
      } else expect(outcome(() => kisetRootOfKeyImages(kis)), `tcId ${t.tcId}`).toBe(t.error);
    }
  });

  it("proofs agree with @baios/consensus, valid (both answers) and invalid", () => {
    const tests = group("KisetProof");
    expect(tests.some((t) => t.result === "valid" && t.spent === true)).toBe(true);
    expect(tests.some((t) => t.result === "valid" && t.spent === false)).toBe(true);
    expect(tests.some((t) => t.result === "invalid")).toBe(true);
    for (const t of tests) {
      const run = (): { spent: boolean } => verifyKeyImageProof(fromHex(t.root ?? ""), fromHex(t.keyImage ?? ""), fromHex(t.proof ?? ""));
      if (t.result === "valid") expect(run().spent, `tcId ${t.tcId}`).toBe(t.spent);
      else expect(outcome(run), `tcId ${t.tcId}`).toBe(t.error);
    }
  });
});
