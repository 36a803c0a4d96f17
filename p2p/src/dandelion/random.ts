/**
 * Randomness for Dandelion++ routing: an injectable uniform source so tests and the simulator
 * are reproducible (seeded), while a node uses the operating system's CSPRNG.
 * @module
 */
import { randomBytes } from "node:crypto";

/** A source of uniform doubles in [0, 1). */
export interface RandomSource {
  /** Next uniform double in [0, 1). */
  next(): number;
}

/**
 * Seeded PRNG (SFC32, 128-bit state, 32-bit output) for tests and simulations. NOT for production
 * routing: an observer who learns the seed predicts every relay choice.
 * @param seed any 32-bit integer; equal seeds give equal sequences.
 */
export class SeededRandom implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Expand the seed with splitmix32 so nearby seeds give unrelated streams.
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.u32() / 4294967296;
  }
}

/** Uniform doubles from `node:crypto` (53 random bits each); the default for a real node. */
export class CryptoRandom implements RandomSource {
  private buf = Buffer.alloc(0);
  private off = 0;

  next(): number {
    if (this.off + 8 > this.buf.length) {
      this.buf = randomBytes(1024);
      this.off = 0;
    }
    const hi = this.buf.readUInt32BE(this.off) >>> 11; // 21 bits
    const lo = this.buf.readUInt32BE(this.off + 4); // 32 bits
    this.off += 8;
    return (hi * 4294967296 + lo) / 9007199254740992;
  }
}

/** Exponentially distributed sample with the given mean (same unit as `mean`). */
export function sampleExponential(rng: RandomSource, mean: number): number {
  // 1 - u is in (0, 1], so the logarithm is finite.
  return -mean * Math.log(1 - rng.next());
}

/** Uniform integer in [0, n). @throws RangeError if n < 1. */
export function randomIndex(rng: RandomSource, n: number): number {
  if (!(n >= 1)) throw new RangeError(`randomIndex: n must be >= 1, got ${n}`);
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(rng: RandomSource, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
