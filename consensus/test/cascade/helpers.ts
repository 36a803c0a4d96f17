/**
 * Test fixtures for the cascade: synthetic header chains with real block hashes. With the easiest
 * target (2^256 − 1) every nonce is valid PoW and `powLevel` is the count of leading zero bits of
 * the hash, so levels follow the PoW law P(level ≥ i) = 2^−i without grinding. Not production code.
 */
import { blockHash } from "../../src/hashes.ts";
import { bigIntToTarget, mineBlock } from "../../src/pow.ts";
import type { BlockHeader } from "../../src/types.ts";

/** 2^256 − 1: every hash meets it. */
export const MAX_TARGET = new Uint8Array(32).fill(0xff);

/** A seeded xorshift32 → 32-bit words (tests only). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

const base = (): Omit<BlockHeader, "height" | "parentHash" | "timeMs" | "blockTarget" | "powNonce"> => ({
  version: 2,
  chainId: 7,
  txRoot: new Uint8Array(32),
  outputRoot: new Uint8Array(32),
  outputCount: 0n,
  txPowTarget: MAX_TARGET,
  validatorsHash: new Uint8Array(32),
  nextValidatorsHash: new Uint8Array(32),
  lastCertificateHash: new Uint8Array(32),
  evidenceRoot: new Uint8Array(32),
  stakingRoot: new Uint8Array(32),
  headerRoot: new Uint8Array(32),
  superParentsRoot: new Uint8Array(32),
  keyImageRoot: new Uint8Array(32),
  stakingStateHash: new Uint8Array(32),
});

/** Options of {@link makeChain}. */
export interface ChainOptions {
  /** Largest right shift of the max target per block (0: all blocks at 2^256 − 1); mining costs ~2^shift tries. */
  maxTargetShift?: number;
}

/** A chain of `n` headers from genesis (heights 0 .. n − 1), each the child of the previous. */
export function makeChain(n: number, seed: number, opts: ChainOptions = {}): BlockHeader[] {
  const r = rng(seed);
  const out: BlockHeader[] = [];
  const b = base();
  let parent: Uint8Array = new Uint8Array(32);
  const shiftMax = opts.maxTargetShift ?? 0;
  for (let h = 0; h < n; h++) {
    const shift = shiftMax === 0 || h === 0 ? 0 : r() % (shiftMax + 1);
    const target = shift === 0 ? MAX_TARGET : bigIntToTarget(((1n << 256n) - 1n) >> BigInt(shift));
    let header: BlockHeader = { ...b, height: BigInt(h), parentHash: parent, timeMs: 1_700_000_000_000n + BigInt(h) * 10_000n, blockTarget: target, powNonce: BigInt(r()) * 65_536n };
    if (shift > 0) {
      const mined = mineBlock(header, { maxTries: 1 << 20 });
      if (mined === undefined) throw new Error("test chain: no nonce found");
      header = mined;
    }
    out.push(header);
    parent = blockHash(header);
  }
  return out;
}
