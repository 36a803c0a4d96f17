/**
 * The light client's time cases (docs/light-client.md §2.3), part of the shared cases (cases.ts:
 * Node and Chromium): the trusting period on by default, derived from the chain parameters
 * (2/3 × unbondingDelay × blockTimeMs), an explicit override, the named opt-out `"off"`, and a
 * certified header from the future refused. A client resumes from a checkpoint at block 30 of the
 * test chain (time t30) and syncs towards 40 (t30 + 10 s); the clock is set per case.
 * @module
 */
import type { BlockHeader } from "@baios/consensus";
import fc from "fast-check";
import { LightClient, type LightClientOptions } from "../src/client.ts";
import { MemoryCheckpointStore } from "../src/checkpoint.ts";
import { DEFAULT_MAX_CLOCK_DRIFT_MS, NON_DEVNET_TRUST_PARAMS, defaultTrustingPeriodMs } from "../src/trust.ts";
import { SPEC, assert, chainOf, eq, optionsOf, rejects } from "./case-helpers.ts";
import type { TestChain } from "./fixtures/chain.ts";
import { MemoryNode } from "./fixtures/memory-node.ts";

const DAY = 86_400_000;

/** The chain, a node serving up to 40, block 30's time, and a client factory resuming at 30 with `now` and options. */
async function at30(): Promise<{ chain: TestChain; t30: number; t40: number; resume: (now: number, o?: Partial<LightClientOptions>) => Promise<LightClient> }> {
  const chain = await chainOf(SPEC);
  const node = new MemoryNode(chain, 40);
  const first = await LightClient.open(optionsOf(chain, node));
  await first.sync(30);
  const checkpoint = first.checkpoint();
  const resume = (now: number, o: Partial<LightClientOptions> = {}): Promise<LightClient> => LightClient.open(optionsOf(chain, node, { store: new MemoryCheckpointStore(checkpoint), now: () => now, ...o }));
  return { chain, t30: Number((chain.headers[30] as BlockHeader).timeMs), t40: Number((chain.headers[40] as BlockHeader).timeMs), resume };
}

/** Whether a sync from the resumed client is refused as TRUST_EXPIRED ("expired") or reaches 40 ("synced"). */
async function outcome(lc: LightClient): Promise<"expired" | "synced"> {
  try {
    eq((await lc.sync()).to, 40n, "synced to 40");
    return "synced";
  } catch (e) {
    await rejects(Promise.reject(e), "TRUST_EXPIRED", "a refused sync");
    eq(lc.height, 30n, "head unchanged after TRUST_EXPIRED");
    return "expired";
  }
}

export const trustCases: Record<string, () => Promise<void>> = {
  "trusting period on by default: 2/3 of the unbonding period of the chain params (or of the non-devnet floors); a head older than it is TRUST_EXPIRED, one at the limit syncs": async () => {
    const { t30, resume } = await at30();
    // no chainParams: the non-devnet floors, 8 640 blocks × 10 000 ms → 57 600 000 ms (16 h)
    const floor = await resume(t30);
    eq(floor.trustingPeriodMs, 57_600_000, "default period without chain params");
    eq(await outcome(await resume(t30 + 57_600_001)), "expired", "16 h and 1 ms old");
    eq(await outcome(await resume(t30 + 57_600_000)), "synced", "exactly 16 h old");
    // a chain's own params: 30 blocks × 1 000 ms → 20 000 ms
    const devnet = { unbondingDelay: 30n, blockTimeMs: 1000 };
    const lc = await resume(t30 + 20_001, { chainParams: devnet });
    eq(lc.trustingPeriodMs, 20_000, "default period of 30 × 1 000 ms");
    eq(lc.headAgeMs, 20_001, "head age by the clock");
    const e = await rejects(lc.sync(), "TRUST_EXPIRED", "20 001 ms old");
    assert(e.reason.includes("block 30"), `the reason names the trusted block: ${e.reason}`);
    eq(await outcome(await resume(t30 + 20_000, { chainParams: devnet })), "synced", "20 000 ms old");
  },

  "property: the default period is floor(2/3 × unbondingDelay × blockTimeMs), and a sync is refused exactly when the head is older": async () => {
    const { t30, resume } = await at30();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 1_000_000 }), fc.integer({ min: 10, max: 20_000 }), fc.integer({ min: -3, max: 3 }), async (delay, blockMs, off) => {
        const period = Math.floor((2 * delay * blockMs) / 3);
        eq(defaultTrustingPeriodMs({ unbondingDelay: BigInt(delay), blockTimeMs: blockMs }), period, "formula");
        const lc = await resume(t30 + Math.max(0, period + off), { chainParams: { unbondingDelay: BigInt(delay), blockTimeMs: blockMs } });
        eq(await outcome(lc), off > 0 ? "expired" : "synced", `age ${period + off} vs period ${period}`);
      }),
      { numRuns: 12, seed: 7 },
    );
  },

  "an explicit trustingPeriodMs overrides the derived one (shorter or longer, below the unbonding period); one not below it is refused at open": async () => {
    const { t30, resume } = await at30();
    const devnet = { unbondingDelay: 30n, blockTimeMs: 1000 };
    eq(await outcome(await resume(t30 + 5_001, { chainParams: devnet, trustingPeriodMs: 5_000 })), "expired", "shorter: 5 001 ms old");
    eq(await outcome(await resume(t30 + 5_000, { chainParams: devnet, trustingPeriodMs: 5_000 })), "synced", "shorter: 5 000 ms old");
    eq(await outcome(await resume(t30 + 25_000, { chainParams: devnet, trustingPeriodMs: 29_999 })), "synced", "longer than the default 20 000 ms");
    for (const bad of [30_000, 0, -1, 1.5, Number.NaN, Infinity]) {
      const r = await resume(t30, { chainParams: devnet, trustingPeriodMs: bad }).then(() => "opened", (e: unknown) => (e instanceof RangeError ? "RangeError" : String(e)));
      eq(r, "RangeError", `trustingPeriodMs ${bad}`);
    }
    // without chainParams the bound is the non-devnet floor: one day is not below it
    const r = await resume(t30, { trustingPeriodMs: DAY }).then(() => "opened", (e: unknown) => (e instanceof RangeError ? "RangeError" : String(e)));
    eq(r, "RangeError", "a day against the 1-day floor");
    eq(NON_DEVNET_TRUST_PARAMS.unbondingDelay * BigInt(NON_DEVNET_TRUST_PARAMS.blockTimeMs), BigInt(DAY), "the floor's unbonding period is one day");
  },

  "the named opt-out trustingPeriodMs \"off\" follows a head a year old (tests and devnets only); without it the same head is TRUST_EXPIRED": async () => {
    const { t30, resume } = await at30();
    const yearLater = t30 + 365 * DAY;
    eq(await outcome(await resume(yearLater)), "expired", "default on");
    const off = await resume(yearLater, { trustingPeriodMs: "off" });
    eq(off.trustingPeriodMs, "off", "the period in force");
    eq(await outcome(off), "synced", "opted out");
  },

  "a certified header further in the future than the clock drift is refused (HEADER_FROM_FUTURE); within the drift, or with a larger maxClockDriftMs, it syncs": async () => {
    const { t30, t40, resume } = await at30();
    eq(DEFAULT_MAX_CLOCK_DRIFT_MS, 10_000, "default drift");
    const early = await resume(t40 - 10_001);
    eq(early.headAgeMs, t40 - 10_001 - t30, "head age (negative: block 30 is 10 s before 40)");
    const e = await rejects(early.sync(), "HEADER_FROM_FUTURE", "block 40 is 10 001 ms ahead");
    assert(e.reason.includes("block 40"), `the reason names the header: ${e.reason}`);
    eq(early.height, 30n, "head unchanged");
    eq((await (await resume(t40 - 10_000)).sync()).to, 40n, "10 000 ms ahead: within the drift");
    eq((await (await resume(t40 - 10_001, { maxClockDriftMs: 20_000 })).sync()).to, 40n, "a larger drift");
    await rejects((await resume(t40 - 1, { maxClockDriftMs: 0 })).sync(), "HEADER_FROM_FUTURE", "drift 0: 1 ms ahead");
  },
};
