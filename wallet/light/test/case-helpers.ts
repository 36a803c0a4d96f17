/**
 * Helpers shared by the light client's case files (cases.ts, trust-cases.ts): assertions without a
 * test framework (the cases also run in Chromium), the memoized test chains, and the options a
 * client opens with.
 * @module
 */
import type { BlockHeader } from "@baios/consensus";
import type { LightClientOptions, LightTransport } from "../src/client.ts";
import { LightClientError, type LightClientErrorCode } from "../src/errors.ts";
import { buildChain, setOf, type ChainSpec, type TestChain } from "./fixtures/chain.ts";

export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
export function eq<T>(a: T, b: T, msg: string): void {
  if (a !== b) throw new Error(`assertion failed: ${msg}: ${String(a)} !== ${String(b)}`);
}
export async function rejects(p: Promise<unknown>, code: LightClientErrorCode, msg: string): Promise<LightClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LightClientError && e.code === code) return e;
    throw new Error(`${msg}: expected ${code}, got ${e instanceof LightClientError ? `${e.code}: ${e.reason}` : String(e)}`);
  }
  throw new Error(`${msg}: expected ${code}, but it verified`);
}

/** Four sets of 4 validators, changes at 10, 25 and 45, 60 blocks; most cases serve up to 40 (two changes). */
export const SPEC: ChainSpec = { blocks: 60, sets: [[0, 1, 2, 3], [0, 1, 2, 4], [1, 2, 4, 5], [2, 4, 5, 6]], changes: [10, 25, 45], keyImages: { 2: 2, 3: 1 } };

const memo = new Map<string, Promise<TestChain>>();
/** The chain of `spec`, built once per spec. */
export const chainOf = (spec: ChainSpec): Promise<TestChain> => {
  const k = JSON.stringify(spec);
  let c = memo.get(k);
  if (c === undefined) memo.set(k, (c = buildChain(spec)));
  return c;
};

/**
 * The test chains have fabricated times (2026-01-01 + 1 s a block, fixtures/chain.ts): a client
 * runs on the chain's own clock, 1 s after its last block, so that the default trusting period
 * (16 h, docs/light-client.md §2.3) stays on in every case instead of being switched off.
 */
export const chainClock = (chain: TestChain): (() => number) => {
  const t = Number((chain.headers[chain.headers.length - 1] as BlockHeader).timeMs) + 1000;
  return () => t;
};

/** Options of a client of `chain`'s genesis over `transport`, on {@link chainClock}; `extra` overrides. */
export const optionsOf = (chain: TestChain, transport: LightTransport, extra: Partial<LightClientOptions> = {}): LightClientOptions => ({
  genesis: chain.headers[0] as BlockHeader,
  genesisValidators: setOf(chain.spec.sets[0] as number[]).validators,
  transport,
  now: chainClock(chain),
  ...extra,
});
