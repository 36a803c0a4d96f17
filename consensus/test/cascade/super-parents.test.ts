import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { TAGS } from "../../src/constants.ts";
import { concatBytes, u64le } from "../../src/encoding/bytes.ts";
import { isConsensusError } from "../../src/errors.ts";
import { blockHash, merkleRoot } from "../../src/hashes.ts";
import { powLevel } from "../../src/pow.ts";
import { blockWork, emptySuperParents, isNoneEntry, nextSuperParents, SUPER_PARENT_ENTRY_BYTES, superLevel, superParentEntryBytes, superParentsRoot, type SuperParents } from "../../src/cascade/index.ts";
import { makeChain, MAX_TARGET } from "./helpers.ts";

describe("superLevel", () => {
  it("is powLevel(blockHash, blockTarget) capped at levels − 1", () => {
    const chain = makeChain(400, 11);
    let capped = 0;
    for (const h of chain) {
      const p = powLevel(blockHash(h), h.blockTarget);
      expect(superLevel(h)).toBe(Math.min(p, 31));
      expect(superLevel(h, 3)).toBe(Math.min(p, 2));
      if (p > 2) capped++;
    }
    expect(capped).toBeGreaterThan(10); // ~1/8 of 400 blocks have level ≥ 3
  });

  it("genesis above its target is level 0; any other block above its target is BLOCK_BAD_POW", () => {
    const [g, b] = makeChain(2, 3);
    const hard = new Uint8Array(32); // target 0: no hash meets it
    expect(superLevel({ ...g!, blockTarget: hard })).toBe(0);
    expect(() => superLevel({ ...b!, blockTarget: hard })).toThrow(/BLOCK_BAD_POW/);
  });

  it("blockWork = ⌊2^256 / (target + 1)⌋", () => {
    expect(blockWork(MAX_TARGET)).toBe(1n);
    const t = new Uint8Array(32);
    t[0] = 0x7f;
    t.fill(0xff, 1);
    expect(blockWork(t)).toBe(2n);
  });
});

describe("super-parent pointers", () => {
  it("entry i after block h is the most recent block ≤ h with superLevel ≥ i, else none (brute force)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 300 }), (seed, levels, n) => {
        const chain = makeChain(n, seed);
        const lv = chain.map((h) => superLevel(h, levels));
        let sp: SuperParents = emptySuperParents(levels);
        chain.forEach((h, k) => {
          sp = nextSuperParents(sp, h);
          for (let i = 0; i < levels; i++) {
            let j = k;
            while (j >= 0 && (lv[j] as number) < i) j--;
            const e = sp.entries[i]!;
            if (j < 0) expect(isNoneEntry(e)).toBe(true);
            else {
              expect(e.height).toBe(BigInt(j));
              expect(e.hash).toEqual(blockHash(chain[j]!));
            }
          }
        });
      }),
      { numRuns: 25 },
    );
  });

  it("superParentsRoot = merkleRoot over 40-byte u64le height ‖ hash entries with tag BAIOS/v1/super-parents", () => {
    const chain = makeChain(50, 5);
    let sp = emptySuperParents();
    for (const h of chain) sp = nextSuperParents(sp, h);
    const leaves = sp.entries.map((e) => concatBytes(u64le(e.height), e.hash));
    expect(leaves.every((l) => l.length === SUPER_PARENT_ENTRY_BYTES)).toBe(true);
    expect(sp.entries.map(superParentEntryBytes)).toEqual(leaves);
    expect(TAGS.superParents).toBe("BAIOS/v1/super-parents");
    expect(superParentsRoot(sp)).toEqual(merkleRoot(leaves, "BAIOS/v1/super-parents"));
    expect(superParentsRoot(sp)).not.toEqual(merkleRoot(leaves));
    // any changed entry changes the root
    for (let i = 0; i < sp.entries.length; i += 7) {
      const entries = sp.entries.slice();
      entries[i] = { ...entries[i]!, height: entries[i]!.height + 1n };
      expect(superParentsRoot({ entries })).not.toEqual(superParentsRoot(sp));
    }
  });

  it("nextSuperParents does not mutate its input and rejects a non-genesis block above its target", () => {
    const [g, b] = makeChain(2, 9);
    const sp0 = emptySuperParents(4);
    const sp1 = nextSuperParents(sp0, g!);
    expect(sp0.entries.every(isNoneEntry)).toBe(true);
    expect(sp1.entries[0]!.hash).toEqual(blockHash(g!));
    let err: unknown;
    try {
      nextSuperParents(sp1, { ...b!, blockTarget: new Uint8Array(32) });
    } catch (e) {
      err = e;
    }
    expect(isConsensusError(err, "BLOCK_BAD_POW")).toBe(true);
  });
});
