/**
 * The header's commitments to the past (docs/protocol.md §5.4, §15; docs/cascade.md §3; issue 9):
 * `headerRoot` (MMR of all earlier block hashes), `superParentsRoot` (pointers after the parent)
 * and `keyImageRoot` (key-image set after the block). Real blocks built and validated with the
 * TestChain fixture; each root is also recomputed from scratch, and each tampered root fails
 * with its own code.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ConsensusError } from "../src/errors.ts";
import type { Block, BlockHeader, Tx } from "../src/types.ts";
import { validateBlock } from "../src/validation/block.ts";
import { blockHash } from "../src/hashes.ts";
import { toHex } from "../src/encoding/bytes.ts";
import { MemoryMmrBackend, Mmr } from "../src/mmr/mmr.ts";
import { emptyMmrRoot, headerLeafHash } from "../src/mmr/header.ts";
import { decodeInclusionProof, encodeInclusionProof, verifyInclusionProof } from "../src/mmr/proof.ts";
import { kisetRootOfKeyImages } from "../src/kiset/build.ts";
import { MemoryKisetBackend } from "../src/kiset/tree.ts";
import { emptySuperParents, superParentsRoot, type SuperParents } from "../src/cascade/super-parents.ts";
import { superLevel } from "../src/cascade/level.ts";
import { BAI, TestChain, type Owned } from "./helpers/chain.ts";
import { buildTx } from "./helpers/txbuilder.ts";

const addr = (k: { viewPublic: Uint8Array; spendPublic: Uint8Array }) => ({ viewPublic: k.viewPublic, spendPublic: k.spendPublic });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}

function pay(c: TestChain, i: number): Tx {
  const inp = c.owned[i] as Owned;
  const fee = c.params.minFee;
  return buildTx(c, { inputs: [inp], outputs: [{ to: addr(c.bob), amount: BAI }, { to: addr(c.alice), amount: inp.amount - BAI - fee }], fee }).tx;
}

/** The pointers after the last of `headers` (genesis first), recomputed from the definition (docs/cascade.md §3). */
function pointersFromScratch(headers: readonly BlockHeader[]): SuperParents {
  const sp = emptySuperParents();
  return {
    entries: sp.entries.map((none, i) => {
      for (let k = headers.length - 1; k >= 0; k--) {
        const h = headers[k] as BlockHeader;
        if (superLevel(h) >= i) return { height: h.height, hash: blockHash(h) };
      }
      return none;
    }),
  };
}

/** A chain of 6 blocks; blocks 2, 3 and 5 spend alice's premine outputs (1, 2 and 1 inputs' worth of txs). */
let c: TestChain;
const headers: BlockHeader[] = [];
const spent: Uint8Array[] = [];
const spentBy = new Map<number, Uint8Array[]>();
beforeAll(async () => {
  c = await new TestChain().init();
  headers.push(c.tip);
  const plan: number[][] = [[], [0], [1, 2], [], [3], []];
  for (const spends of plan) {
    const txs = spends.map((i) => pay(c, i));
    const v = await validateBlock(await c.nextBlock(txs), c.blockContext());
    await c.apply(v);
    headers.push(v.block.header);
    const kis = txs.flatMap((tx) => tx.inputs.map((inp) => inp.keyImage));
    spent.push(...kis);
    spentBy.set(Number(v.block.header.height), kis);
  }
}, 120_000);

describe("genesis commitments", () => {
  it("genesis: empty header MMR, 32 none pointers, empty key-image set", () => {
    const g = headers[0] as BlockHeader;
    expect(toHex(g.headerRoot)).toBe(toHex(emptyMmrRoot()));
    expect(toHex(g.superParentsRoot)).toBe(toHex(superParentsRoot(emptySuperParents())));
    expect(toHex(g.keyImageRoot)).toBe(toHex(new Uint8Array(32)));
  });
});

describe("each header's roots equal the roots recomputed from scratch", () => {
  it("headerRoot = MMR of the block hashes before it; superParentsRoot = pointers after the parent; keyImageRoot = set after it", async () => {
    let spentSoFar: Uint8Array[] = [];
    for (let h = 1; h < headers.length; h++) {
      const hdr = headers[h] as BlockHeader;
      const m = new Mmr(new MemoryMmrBackend());
      await m.append(headers.slice(0, h).map((x) => headerLeafHash(x.height, blockHash(x))));
      expect(toHex(hdr.headerRoot)).toBe(toHex(await m.root()));
      expect(toHex(hdr.superParentsRoot)).toBe(toHex(superParentsRoot(pointersFromScratch(headers.slice(0, h)))));
      const blockKis = spentBy.get(h) ?? [];
      spentSoFar = [...spentSoFar, ...blockKis];
      expect(toHex(hdr.keyImageRoot)).toBe(toHex(kisetRootOfKeyImages(spentSoFar)));
    }
    expect(spentSoFar.length).toBe(4);
    expect(toHex(c.tip.keyImageRoot)).toBe(toHex(kisetRootOfKeyImages(spent)));
  });

  it("a header-MMR inclusion proof of every block verifies against the tip's headerRoot, and fails for another hash or index", async () => {
    const n = BigInt(headers.length - 1); // the tip commits to blocks 0 … tip − 1
    for (let i = 0n; i < n; i++) {
      const p = await c.headerMmr.proof(i, n);
      const bytes = encodeInclusionProof(p);
      const leaf = headerLeafHash(i, blockHash(headers[Number(i)] as BlockHeader));
      expect(verifyInclusionProof(c.tip.headerRoot, n, leaf, decodeInclusionProof(bytes)!)).toBe(true);
      expect(verifyInclusionProof(c.tip.headerRoot, n, headerLeafHash(i + 1n, blockHash(headers[Number(i)] as BlockHeader)), p)).toBe(false);
      expect(verifyInclusionProof(c.tip.headerRoot, n, headerLeafHash(i, blockHash(c.tip)), p)).toBe(false);
    }
  });
});

describe("validateBlock refuses a tampered root with its code", () => {
  const tamper = (field: "headerRoot" | "superParentsRoot" | "keyImageRoot" | "stakingStateHash", byte: number, bit: number) => (b: Block) => {
    const x = b.header[field].slice();
    x[byte] = (x[byte] as number) ^ (1 << bit);
    b.header[field] = x;
  };
  const CODES = { headerRoot: "BLOCK_HEADER_ROOT_MISMATCH", superParentsRoot: "BLOCK_SUPER_PARENTS_MISMATCH", keyImageRoot: "BLOCK_KEY_IMAGE_ROOT_MISMATCH", stakingStateHash: "BLOCK_STAKING_STATE_MISMATCH" } as const;

  it("any one-bit flip in any of the three roots or the staking-state hash → its code (blocks with and without spends)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("headerRoot", "superParentsRoot", "keyImageRoot", "stakingStateHash" as const), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), async (field, byte, bit, withSpend) => {
        const txs = withSpend ? [pay(c, 4)] : [];
        const b = await c.nextBlock(txs, { mutate: tamper(field, byte, bit) });
        expect(await codeOf(validateBlock(b, c.blockContext()))).toBe(CODES[field]);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("the untampered next block passes; the context decides: another header MMR, other pointers, another key-image set", async () => {
    const b = await c.nextBlock([pay(c, 4)]);
    expect(await codeOf(validateBlock(b, c.blockContext()))).toBe("OK");
    const shorter = new Mmr(new MemoryMmrBackend());
    await shorter.append(headers.slice(0, -1).map((x) => headerLeafHash(x.height, blockHash(x))));
    expect(await codeOf(validateBlock(b, c.blockContext({ expectedHeaderRoot: await shorter.root() })))).toBe("BLOCK_HEADER_ROOT_MISMATCH");
    expect(await codeOf(validateBlock(b, c.blockContext({ superParents: emptySuperParents() })))).toBe("BLOCK_SUPER_PARENTS_MISMATCH");
    expect(await codeOf(validateBlock(b, c.blockContext({ kiset: new MemoryKisetBackend() })))).toBe("BLOCK_KEY_IMAGE_ROOT_MISMATCH");
  }, 60_000);

  it("skipKeyImageRoot (historical re-validation) skips only that check; without it a missing kiset is a local error, not a verdict", async () => {
    const bad = await c.nextBlock([], { mutate: tamper("keyImageRoot", 0, 0) });
    expect(await codeOf(validateBlock(bad, c.blockContext({ kiset: undefined, skipKeyImageRoot: true })))).toBe("OK");
    const v = await validateBlock(bad, c.blockContext({ skipKeyImageRoot: true }));
    expect(v.kiset).toBeUndefined();
    await expect(validateBlock(bad, c.blockContext({ kiset: undefined }))).rejects.not.toBeInstanceOf(ConsensusError);
    await expect(validateBlock(bad, c.blockContext({ kiset: undefined }))).rejects.toThrow(/kiset is required/);
    const badHeader = await c.nextBlock([], { mutate: tamper("headerRoot", 3, 1) });
    expect(await codeOf(validateBlock(badHeader, c.blockContext({ skipKeyImageRoot: true })))).toBe("BLOCK_HEADER_ROOT_MISMATCH");
  }, 60_000);
});
