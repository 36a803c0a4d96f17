import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { heightOfPos0, leafIndexToPos0, nodeCount, peakIndexOfLeaf, peaks, siblingPositions } from "../src/mmr/position.ts";

/** Reference MMR built by simulation: returns node heights by pos0 and leaf positions. */
function simulate(n: number): { heights: number[]; leafPos: number[] } {
  const heights: number[] = [];
  const leafPos: number[] = [];
  const stack: number[] = []; // heights of current peaks
  for (let i = 0; i < n; i++) {
    leafPos.push(heights.length);
    heights.push(0);
    let h = 0;
    stack.push(0);
    while (stack.length >= 2 && stack[stack.length - 1] === stack[stack.length - 2]) {
      stack.pop();
      stack.pop();
      h += 1;
      heights.push(h);
      stack.push(h);
    }
  }
  return { heights, leafPos };
}

describe("MMR position maths", () => {
  it("matches a simulated MMR (leaf positions, node count, heights)", () => {
    const { heights, leafPos } = simulate(300);
    leafPos.forEach((p, i) => expect(leafIndexToPos0(BigInt(i))).toBe(BigInt(p)));
    heights.forEach((h, p) => expect(heightOfPos0(BigInt(p))).toBe(h));
    for (let n = 0; n <= 300; n++) expect(nodeCount(BigInt(n))).toBe(BigInt(simulate(n).heights.length));
  });

  it("peaks cover all leaves, largest first, and end at the last node", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 40n) }), (n) => {
        const ps = peaks(n);
        let leaves = 0n;
        for (let i = 0; i < ps.length; i++) {
          const p = ps[i]!;
          expect(p.firstLeaf).toBe(leaves);
          leaves += 1n << BigInt(p.height);
          if (i > 0) expect(p.height).toBeLessThan(ps[i - 1]!.height);
          expect(heightOfPos0(p.pos0)).toBe(p.height);
        }
        expect(leaves).toBe(n);
        expect(ps[ps.length - 1]!.pos0).toBe(nodeCount(n) - 1n);
      }),
    );
  });

  it("sibling paths have the mountain's height and stay inside the MMR", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 5000n }), fc.nat(), (n, r) => {
        const leaf = BigInt(r) % n;
        const sibs = siblingPositions(leaf, n);
        const p = peaks(n)[peakIndexOfLeaf(leaf, n)]!;
        expect(sibs.length).toBe(p.height);
        sibs.forEach((s, l) => {
          expect(s < nodeCount(n)).toBe(true);
          expect(heightOfPos0(s)).toBe(l);
        });
      }),
    );
  });

  it("rejects out-of-range leaves", () => {
    expect(() => peakIndexOfLeaf(5n, 5n)).toThrow(RangeError);
    expect(() => leafIndexToPos0(-1n)).toThrow(RangeError);
  });
});
