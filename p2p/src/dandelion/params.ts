/**
 * Dandelion++ parameters and the formulas they come from (Fanti et al. 2018, arXiv 1805.11060).
 * The derivation with numbers is in docs/p2p.md §Dandelion++.
 * @module
 */

/** Parameters of one node's {@link DandelionRouter}. Times in milliseconds. */
export interface DandelionParams {
  /** q: probability that a node is a fluff node for an epoch (decided once per epoch). 0..=1. */
  fluffProbability: number;
  /** Base epoch length (ms). The paper and Monero use 10 minutes; the devnet may shorten it. */
  epochMs: number;
  /** Each epoch lasts `epochMs + U[0, epochJitterMs)` so nodes' epochs drift apart (ms). */
  epochJitterMs: number;
  /** Outbound stem relays per epoch: 2 makes the stem graph quasi-4-regular (paper §4.2). */
  stemRelays: number;
  /** Mean of the exponential embargo timer (ms); see {@link embargoMeanMs}. */
  embargoMeanMs: number;
  /** Upper cap on one embargo draw (ms): bounds the worst-case delay under a black-hole relay. */
  embargoMaxMs: number;
  /** Stempool bound: number of transactions. */
  stempoolMaxTxs: number;
  /** Stempool bound: sum of transaction sizes (bytes). */
  stempoolMaxBytes: number;
  /** How many fluffed txids a router remembers to recognise late stem copies (entries). */
  fluffedMemory: number;
}

/** Inputs of the embargo bound. */
export interface EmbargoBoundInput {
  /** k: stem length (hops) that should complete before any node's embargo fires. */
  hops: number;
  /** d_hop: one stem hop's delay (ms): network one-way latency + full validation + queueing. */
  hopDelayMs: number;
  /** ε: allowed probability that some embargo fires before the stem reaches `hops` hops. 0 < ε < 1. */
  epsilon: number;
}

/**
 * The paper's lower bound on the mean embargo (Fanti et al. 2018, §4, "robustness to black
 * holes"): T_base ≥ −k(k−1)·d_hop / (2·ln(1−ε)). Each node on a stem starts an Exp(T_base)
 * timer when it receives the tx; node i has waited (k−i)·d_hop when the tx reaches hop k, so the
 * chance that no timer fired is exp(−Σ(k−i)·d_hop/T_base) ≈ exp(−k(k−1)·d_hop/(2·T_base)) ≥ 1−ε.
 * @returns the smallest mean (ms) satisfying the bound.
 * @throws RangeError on hops < 2, hopDelayMs ≤ 0 or ε outside (0, 1).
 */
export function embargoMeanMs(input: EmbargoBoundInput): number {
  const { hops: k, hopDelayMs: d, epsilon: eps } = input;
  if (!(k >= 2)) throw new RangeError(`embargo bound: hops must be >= 2, got ${k}`);
  if (!(d > 0)) throw new RangeError(`embargo bound: hopDelayMs must be > 0, got ${d}`);
  if (!(eps > 0 && eps < 1)) throw new RangeError(`embargo bound: epsilon must be in (0, 1), got ${eps}`);
  return (-k * (k - 1) * d) / (2 * Math.log(1 - eps));
}

/**
 * Stem length distribution with per-epoch fluff probability q: the origin always stems (own txs
 * are never fluffed first), and every relay is a fluff node with probability q, so the number of
 * stem hops H before the fluffing node is geometric: P(H = h) = (1−q)^(h−1)·q, h ≥ 1; E[H] = 1/q.
 * (Ignores spies, loops and embargo firings, which only shorten stems.)
 */
export function stemHopPmf(q: number, h: number): number {
  if (h < 1 || !Number.isInteger(h)) return 0;
  return Math.pow(1 - q, h - 1) * q;
}

/** P(H ≤ h) for the stem length of {@link stemHopPmf}: 1 − (1−q)^h. */
export function stemHopCdf(q: number, h: number): number {
  if (h < 1) return 0;
  return 1 - Math.pow(1 - q, Math.floor(h));
}

/**
 * Probability that some node's embargo fires before the stem ends naturally, averaged over the
 * geometric stem length: Σ_h P(H=h)·(1 − exp(−h(h−1)·d_hop/(2·T))). Used to check a chosen mean.
 */
export function earlyEmbargoProbability(q: number, hopDelayMs: number, meanMs: number, maxHops = 1000): number {
  let p = 0;
  for (let h = 1; h <= maxHops; h++) p += stemHopPmf(q, h) * (1 - Math.exp((-h * (h - 1) * hopDelayMs) / (2 * meanMs)));
  return p;
}

/** q = 0.2: the paper's largest recommended value; why, in docs/p2p.md §Dandelion++. */
export const FLUFF_PROBABILITY = 0.2;
/** k = 10: the upper end of the whitepaper's "3–10 hops"; P(H ≤ 10) = 0.89 at q = 0.2. */
export const EMBARGO_HOPS = 10;
/** ε = 0.1: at most 10 % of 10-hop stems see an embargo fire early. */
export const EMBARGO_EPSILON = 0.1;
/**
 * Design d_hop (ms) for a WAN deployment: ~100 ms one-way latency between continents + ~7 ms full
 * validation (README, 1 thread ~155 tx/s) + framing/queueing headroom. Loopback measures far less;
 * pass the measured figure to {@link embargoMeanMs} for the devnet.
 */
export const DESIGN_HOP_DELAY_MS = 150;

/** Default parameters for a public network (docs/p2p.md §Dandelion++). */
export const DEFAULT_DANDELION_PARAMS: Readonly<DandelionParams> = Object.freeze(defaultParams(DESIGN_HOP_DELAY_MS));

/**
 * Defaults with the embargo derived from a given hop delay (e.g. one measured on loopback).
 * @param hopDelayMs d_hop in ms.
 */
export function defaultParams(hopDelayMs: number): DandelionParams {
  const mean = embargoMeanMs({ hops: EMBARGO_HOPS, hopDelayMs, epsilon: EMBARGO_EPSILON });
  return {
    fluffProbability: FLUFF_PROBABILITY,
    epochMs: 600_000,
    epochJitterMs: 30_000,
    stemRelays: 2,
    embargoMeanMs: mean,
    embargoMaxMs: 5 * mean,
    stempoolMaxTxs: 4096,
    stempoolMaxBytes: 8 * 1024 * 1024,
    fluffedMemory: 16_384,
  };
}

/** Checks a parameter set. @throws RangeError naming the first bad field. */
export function checkParams(p: DandelionParams): void {
  const bad = (f: string, v: number): never => {
    throw new RangeError(`dandelion params: bad ${f} = ${v}`);
  };
  if (!(p.fluffProbability >= 0 && p.fluffProbability <= 1)) bad("fluffProbability", p.fluffProbability);
  if (!(p.epochMs > 0)) bad("epochMs", p.epochMs);
  if (!(p.epochJitterMs >= 0)) bad("epochJitterMs", p.epochJitterMs);
  if (!(Number.isInteger(p.stemRelays) && p.stemRelays >= 1)) bad("stemRelays", p.stemRelays);
  if (!(p.embargoMeanMs > 0)) bad("embargoMeanMs", p.embargoMeanMs);
  if (!(p.embargoMaxMs >= p.embargoMeanMs)) bad("embargoMaxMs", p.embargoMaxMs);
  if (!(Number.isInteger(p.stempoolMaxTxs) && p.stempoolMaxTxs >= 1)) bad("stempoolMaxTxs", p.stempoolMaxTxs);
  if (!(p.stempoolMaxBytes >= 1)) bad("stempoolMaxBytes", p.stempoolMaxBytes);
  if (!(Number.isInteger(p.fluffedMemory) && p.fluffedMemory >= 1)) bad("fluffedMemory", p.fluffedMemory);
}
