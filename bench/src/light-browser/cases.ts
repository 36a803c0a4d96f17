/**
 * The light client's proof checks timed by bench/src/light-browser.ts, in Chromium and in Node
 * alike (browser-safe: no Node built-ins). Inclusion proofs are the structural cases of
 * bench/src/mmr-verify-case.ts (verify time depends only on the proof's shape); the `output-*`
 * cases run the light client's own `verifyOutputInclusion` (leaf hash from a one-time key and a
 * commitment, then the MMR proof against a header's outputRoot/outputCount), which is what the
 * web page runs for a pasted output reference.
 * @module
 */
import { h32 } from "@baios/crypto";
import { mmrLeafHash, peakIndexOfLeaf, peaks, rootFromInclusionProof, u32le, type BlockHeader, type InclusionProof } from "@baios/consensus";
import { verifyOutputInclusion } from "@baios/light-client";
import { mmrVerifyCase } from "../mmr-verify-case.ts";

/** One timed check. */
export interface LightCase {
  name: string;
  description: string;
  /** Hashes in the proof (siblings + other peaks). */
  hashes: number;
  /** Runs the check once; throws or returns false when it does not verify. */
  run(): unknown;
}

/** Per-call times of one case, µs. */
export interface LightTiming {
  name: string;
  medianUs: number;
  minUs: number;
  samples: number;
  inner: number;
}

/** An output proven at `leafIndex` of `leafCount`, through `verifyOutputInclusion`. */
function outputCase(name: string, leafIndex: bigint, leafCount: bigint): LightCase {
  let j = 0;
  const seed = (): Uint8Array => h32("BAIOS/v1/bench/light", u32le(j++));
  const ps = peaks(leafCount);
  const height = (ps[peakIndexOfLeaf(leafIndex, leafCount)] as { height: number }).height;
  const proof: InclusionProof = { leafIndex, leafCount, siblings: Array.from({ length: height }, seed), otherPeaks: Array.from({ length: ps.length - 1 }, seed) };
  const [oneTimeKey, commitment] = [seed(), seed()];
  const outputRoot = rootFromInclusionProof(mmrLeafHash(leafIndex, oneTimeKey, commitment), proof);
  const header = { height: 1_000_000n, outputRoot, outputCount: leafCount } as BlockHeader; // verifyOutputInclusion reads only these
  return {
    name,
    description: `verifyOutputInclusion, leaf ${leafIndex} of ${leafCount}`,
    hashes: height + ps.length - 1,
    run: () => verifyOutputInclusion(header, leafIndex, oneTimeKey, commitment, proof),
  };
}

/** The cases, in table order. */
export function lightCases(): LightCase[] {
  const inclusion = (["inclusion-2^20", "inclusion-2^32", "inclusion-worst-below-2^32"] as const).map((n): LightCase => {
    const c = mmrVerifyCase(n);
    return { name: n, description: `verifyInclusionProof, ${c.description}`, hashes: c.hashes, run: () => {
      if (!c.verify()) throw new Error(`${n} does not verify`);
    } };
  });
  return [...inclusion, outputCase("output-2^20", 777_777n, 1n << 20n), outputCase("output-2^32", 3_000_000_000n, 1n << 32n), outputCase("output-worst-below-2^32", 12_345n, (1n << 32n) - 1n)];
}

/**
 * Times every case: `warmup` untimed calls, then `samples` samples of `inner` back-to-back calls
 * (browsers coarsen `performance.now()` to 5–100 µs, so one sample must last milliseconds);
 * median and minimum µs per call.
 */
export function timeCases(cases: readonly LightCase[], o: { samples: number; inner: number; warmup: number }): LightTiming[] {
  return cases.map((c) => {
    for (let i = 0; i < o.warmup; i++) c.run();
    const times: number[] = [];
    for (let s = 0; s < o.samples; s++) {
      const t0 = performance.now();
      for (let i = 0; i < o.inner; i++) c.run();
      times.push(((performance.now() - t0) * 1000) / o.inner);
    }
    times.sort((a, b) => a - b);
    const m = times.length >> 1;
    const median = times.length % 2 === 1 ? (times[m] as number) : ((times[m - 1] as number) + (times[m] as number)) / 2;
    return { name: c.name, medianUs: median, minUs: times[0] as number, samples: o.samples, inner: o.inner };
  });
}
