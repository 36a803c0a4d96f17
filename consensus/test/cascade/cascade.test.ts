import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isConsensusError, type ConsensusErrorCode } from "../../src/errors.ts";
import { blockHash } from "../../src/hashes.ts";
import type { BlockHeader } from "../../src/types.ts";
import { blockWork, Cascade, checkCascade, checkCascadeKept, LevelQueues, MAINNET_CASCADE_PARAMS, superParentsRoot, type CascadeParams, type KeptHeader } from "../../src/cascade/index.ts";
import { makeChain } from "./helpers.ts";

const params = (levels: number, perLevel: number): CascadeParams => ({ levels, perLevel, depth: 1n });

const codeOf = (f: () => void): ConsensusErrorCode | "none" => {
  try {
    f();
  } catch (e) {
    if (isConsensusError(e)) return e.code;
    throw e;
  }
  return "none";
};

function build(chain: readonly BlockHeader[], p: CascadeParams): Cascade {
  const c = new Cascade(p);
  for (const h of chain) c.add(h);
  return c;
}

describe("LevelQueues (the cascade rule)", () => {
  it("matches a plain-array model of the rule: level 0 keeps K, the oldest moves up if its level allows, else is dropped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 400 }), (levels, K, items) => {
        const q = new LevelQueues<{ id: number; l: number }>(levels, K, (x) => x.l);
        const model: { id: number; l: number }[][] = Array.from({ length: levels }, () => []); // newest first
        items.forEach((l, id) => {
          q.push({ id, l });
          model[0]!.unshift({ id, l });
          for (let i = 0; i < levels; i++) {
            if (model[i]!.length <= K) break;
            const oldest = model[i]!.pop()!;
            if (i + 1 < levels && oldest.l >= i + 1) model[i + 1]!.unshift(oldest);
            else break;
          }
          for (let i = 0; i < levels; i++) expect(q.itemsOf(i).map((x) => x.id)).toEqual(model[i]!.map((x) => x.id));
        });
        expect(q.count).toBe(model.reduce((s, m) => s + m.length, 0));
      }),
      { numRuns: 60 },
    );
  });
});

describe("Cascade", () => {
  it("after every add: checkCascade passes, size ≤ levels × K, the tip is the newest at level 0", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 700 }), (seed, levels, K, n) => {
        const p = params(levels, K);
        const c = new Cascade(p);
        for (const h of makeChain(n, seed)) {
          c.add(h);
          checkCascade(c);
          expect(c.size).toBeLessThanOrEqual(levels * K);
          expect(c.levelSizes().reduce((a, b) => a + b, 0)).toBe(c.size);
          const kept = c.kept();
          expect(kept[0]!.header).toBe(h);
          expect(kept[0]!.level).toBe(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("the work estimate Σ blockWork·2^level stays within [1/2, 2] of the true total work (K ≥ 16, varied targets)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 16, max: 32 }), fc.integer({ min: 0, max: 2 }), (seed, K, shift) => {
        const c = new Cascade(params(32, K));
        let total = 0n;
        let lo = Infinity;
        let hi = 0;
        makeChain(2500, seed, { maxTargetShift: shift }).forEach((h, i) => {
          c.add(h);
          total += blockWork(h.blockTarget);
          if (i % 5 !== 0) return;
          const r = Number((c.work() * 1_000_000n) / total) / 1_000_000;
          lo = Math.min(lo, r);
          hi = Math.max(hi, r);
        });
        expect(lo).toBeGreaterThanOrEqual(0.5);
        expect(hi).toBeLessThanOrEqual(2);
        checkCascade(c);
      }),
      { numRuns: 6 },
    );
  });

  it("mainnet parameters over 20 000 blocks: bounded, valid, estimate within 25%", () => {
    const c = new Cascade(MAINNET_CASCADE_PARAMS);
    const chain = makeChain(20_000, 77);
    chain.forEach((h, i) => {
      c.add(h);
      if (i % 2_000 === 1_999) checkCascade(c);
    });
    expect(c.size).toBeLessThanOrEqual(32 * 64);
    const sizes = c.levelSizes();
    expect(sizes[0]).toBe(64);
    expect(c.size).toBeLessThan(20_000 / 10);
    const r = Number(c.work()) / 20_000;
    expect(r).toBeGreaterThan(0.75);
    expect(r).toBeLessThan(1.25);
    // the next header commits to the pointers after the tip
    expect(c.nextParents().entries[0]!.hash).toEqual(blockHash(chain.at(-1)!));
  });

  it("add rejects anything but genesis first and then the child of the last header (CASCADE_NOT_CHILD)", () => {
    const chain = makeChain(4, 21);
    const c = new Cascade(params(4, 2));
    expect(codeOf(() => c.add(chain[1]!))).toBe("CASCADE_NOT_CHILD");
    c.add(chain[0]!);
    expect(codeOf(() => c.add(chain[2]!))).toBe("CASCADE_NOT_CHILD"); // height gap
    expect(codeOf(() => c.add({ ...chain[1]!, parentHash: new Uint8Array(32).fill(1) }))).toBe("CASCADE_NOT_CHILD");
    c.add(chain[1]!);
    expect(c.size).toBe(2);
    expect(codeOf(() => new Cascade(params(0, 2)))).toBe("CASCADE_PARAMS_INVALID");
    expect(codeOf(() => new Cascade(params(65, 2)))).toBe("CASCADE_PARAMS_INVALID");
    expect(codeOf(() => new Cascade({ levels: 4, perLevel: 0, depth: 1n }))).toBe("CASCADE_PARAMS_INVALID");
    expect(codeOf(() => new Cascade({ levels: 4, perLevel: 2, depth: 0n }))).toBe("CASCADE_PARAMS_INVALID");
  });
});

describe("checkCascade rejects a tampered cascade", () => {
  const P = params(6, 4);
  // a cascade using several levels: 4 per level, 6 levels
  const chainArb = fc.integer({ min: 1, max: 2 ** 31 }).map((seed) => build(makeChain(1500, seed), P).kept());
  const run = (kept: readonly KeptHeader[], p: CascadeParams = P): ConsensusErrorCode | "none" => codeOf(() => checkCascadeKept(kept, p));

  it("an untampered list passes; moving a header breaks the height order (CASCADE_HEIGHT_ORDER)", () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (kept, pick) => {
        expect(run(kept)).toBe("none");
        // swap two neighbours at the same level
        const pairs = kept.map((_, i) => i).filter((i) => i + 1 < kept.length && kept[i]!.level === kept[i + 1]!.level);
        const i = pairs[pick % pairs.length]!;
        const swapped = kept.slice();
        swapped[i] = { ...kept[i + 1]!, level: kept[i]!.level };
        swapped[i + 1] = { ...kept[i]!, level: kept[i + 1]!.level };
        // the newer neighbour's pointer no longer names the next kept header, unless the swap is at the front
        expect(run(swapped)).toBe(i === 0 ? "CASCADE_HEIGHT_ORDER" : "CASCADE_BROKEN_LINK");
        expect(run([kept[1]!, kept[0]!, ...kept.slice(2)])).toBe("CASCADE_HEIGHT_ORDER");
        // move the oldest header to the newest end (level 0)
        const moved = [{ ...kept.at(-1)!, level: 0 }, ...kept.slice(0, -1)];
        expect(run(moved)).toBe("CASCADE_HEIGHT_ORDER");
      }),
      { numRuns: 10 },
    );
  });

  it("a header kept above its superblock level (CASCADE_LEVEL_TOO_HIGH)", () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (kept, pick) => {
        const i = pick % kept.length;
        const t = kept.slice();
        t[i] = { ...kept[i]!, level: kept[i]!.superLevel + 1 };
        expect(run(t)).toBe("CASCADE_LEVEL_TOO_HIGH");
      }),
      { numRuns: 10 },
    );
  });

  it("a dropped header breaks the super-parent link (CASCADE_BROKEN_LINK); a level jump is CASCADE_LEVEL_ORDER", () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (kept, pick) => {
        const mids = kept.map((_, i) => i).filter((i) => i > 0 && i + 1 < kept.length && kept[i - 1]!.level === kept[i + 1]!.level);
        const i = mids[pick % mids.length]!;
        expect(run([...kept.slice(0, i), ...kept.slice(i + 1)])).toBe("CASCADE_BROKEN_LINK");
        // dropping all of level 1 makes level 0 jump to level 2
        if (kept.some((k) => k.level === 2)) expect(run(kept.filter((k) => k.level !== 1))).toBe("CASCADE_LEVEL_ORDER");
        // the newest must be at level 0
        expect(run(kept.filter((k) => k.level !== 0))).toBe("CASCADE_LEVEL_ORDER");
      }),
      { numRuns: 10 },
    );
  });

  it("a forged pointer: wrong entry 0 (CASCADE_BAD_SUPER_PARENTS), wrong link entry (CASCADE_BROKEN_LINK), wrong commitment", () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (kept, pick) => {
        const i = pick % (kept.length - 1);
        const k = kept[i]!;
        const bad = (entry: number): KeptHeader[] => {
          const entries = k.parents.entries.slice();
          const hash = entries[entry]!.hash.slice();
          hash[0]! ^= 1;
          entries[entry] = { ...entries[entry]!, hash };
          const t = kept.slice();
          t[i] = { ...k, parents: { entries } };
          return t;
        };
        expect(run(bad(0))).toBe("CASCADE_BAD_SUPER_PARENTS");
        const linkLevel = kept[i + 1]!.level;
        if (linkLevel > 0) expect(run(bad(linkLevel))).toBe("CASCADE_BROKEN_LINK");
        // the commitment hook: right roots pass, one wrong root fails
        const roots = new Map(kept.map((x) => [x.header.height, superParentsRoot(x.parents)]));
        expect(codeOf(() => checkCascadeKept(kept, P, { commitment: (h) => roots.get(h.height)! }))).toBe("none");
        const wrong = new Uint8Array(32);
        expect(codeOf(() => checkCascadeKept(kept, P, { commitment: (h) => (h.height === k.header.height ? wrong : roots.get(h.height)!) }))).toBe("CASCADE_BAD_SUPER_PARENTS");
      }),
      { numRuns: 10 },
    );
  });

  it("more than K at a level (CASCADE_LEVEL_OVERFULL); fewer than K below the top level (CASCADE_LEVEL_UNDERFULL)", () => {
    fc.assert(
      fc.property(chainArb, (kept) => {
        expect(run(kept, params(6, 3))).toBe("CASCADE_LEVEL_OVERFULL");
        expect(run(kept, params(6, 5))).toBe("CASCADE_LEVEL_UNDERFULL");
      }),
      { numRuns: 5 },
    );
  });
});
