/**
 * The `unbond` gossip topic (node/src/consensus/unbond-gossip.ts) between real `UnbondRelay`s and
 * pools on MemoryP2P: X (a raw peer) → B (relay + pool on a staking state) → C (relay + pool).
 * Valid requests are pooled and relayed; tampered ones are REJECTed with their ConsensusError code
 * (the ban reason names it) and not relayed; duplicates are ignored before any signature check;
 * requests that do not apply on the tip are IGNOREd without penalty; the per-peer rate holds.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MemoryHub, MemoryP2P, type P2P } from "@baios/p2p";
import { ed25519PublicKey, ed25519Sign, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { DEVNET_CHAIN_ID, MAINNET_STAKING_PARAMS, encodeUnbond, genesisStakingState, unbondMessage, type StakingState, type Unbond } from "@baios/consensus";
import { Registry } from "prom-client";
import { UnbondPool } from "../src/consensus/unbond-pool.ts";
import { UNBOND_TOPIC, UnbondRelay } from "../src/consensus/unbond-gossip.ts";
import { PeerRate } from "../src/net/peer-rate.ts";
import { PAYOUT } from "./helpers/fixture.ts";

const chainId = DEVNET_CHAIN_ID;
const SEED = new Uint8Array(32).fill(0x41);
const KEY = ed25519PublicKey(SEED);
const state: StakingState = genesisStakingState([{ publicKey: KEY, stake: 100n }], { ...MAINNET_STAKING_PARAMS, minStake: 1n });

/** A signed unbond of `amount` to a fresh one-time key of PAYOUT (by `seed`, default the bonded validator). */
function unbond(amount: bigint, seed = SEED): Unbond {
  const r = randomScalar();
  const out = makeOutput(r, PAYOUT.viewPublic, PAYOUT.spendPublic, 0, amount);
  const req: Omit<Unbond, "signature"> = { validator: ed25519PublicKey(seed), amount, oneTimeKey: out.oneTimeKey, viewTag: out.viewTag, txPublicKey: scalarMultBase(r) };
  return { ...req, signature: ed25519Sign(seed, unbondMessage(chainId, req)) };
}

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Side {
  p2p: MemoryP2P;
  pool: UnbondPool;
  relay: UnbondRelay;
  /** Payloads that reached this node's topic validator. */
  got: Uint8Array[];
}

async function relayNode(hub: MemoryHub, id: string, opts: { rate?: { burst: number; perSecond: number; maxPeers: number } } = {}): Promise<Side> {
  const p2p = new MemoryP2P(hub, id);
  const pool = new UnbondPool();
  const relay = new UnbondRelay({ pool, state: () => state, chainId, registry: new Registry(), ...opts });
  const got: Uint8Array[] = [];
  const t = relay.topic();
  p2p.registerTopic({ ...t, validate: async (bytes, from) => (got.push(bytes), t.validate(bytes, from)) });
  await p2p.start();
  relay.setPublisher((bytes) => p2p.publish(UNBOND_TOPIC, bytes));
  return { p2p, pool, relay, got };
}

async function rawPeer(hub: MemoryHub, id: string): Promise<P2P> {
  const p = new MemoryP2P(hub, id);
  p.registerTopic({ name: UNBOND_TOPIC, maxBytes: 169, validate: async () => "ACCEPT" });
  await p.start();
  return p;
}

/** X → B → C (X and C are not connected). */
async function line(opts: { rate?: { burst: number; perSecond: number; maxPeers: number } } = {}): Promise<{ hub: MemoryHub; x: P2P; b: Side; c: Side }> {
  const hub = new MemoryHub();
  const x = await rawPeer(hub, "x");
  const b = await relayNode(hub, "b", opts);
  const c = await relayNode(hub, "c");
  await x.dial("/memory/b");
  await b.p2p.dial("/memory/c");
  return { hub, x, b, c };
}

describe("unbond gossip: admission, relay, scoring", () => {
  it("a valid request from a peer is pooled and relayed on; submit_unbond's own request reaches every node", async () => {
    const { x, b, c } = await line();
    const u = unbond(10n);
    expect(await x.publish(UNBOND_TOPIC, encodeUnbond(u))).toBe(1);
    await tick();
    expect(b.pool.size).toBe(1);
    expect(c.pool.size).toBe(1);
    expect(c.got).toHaveLength(1);
    expect(b.relay.stats.accepted).toBe(1);
    // own submission at C travels back to B
    expect(c.relay.submitOwn(unbond(5n))).toBe(true);
    await tick();
    expect(b.pool.size).toBe(2);
    expect(b.p2p.peers().every((p) => p.score === 0)).toBe(true);
  });

  it("a tampered request is REJECTed with BLOCK_UNBOND_INVALID, not relayed, and the sender is scored down and finally banned with that code", async () => {
    const { x, b, c } = await line();
    const good = encodeUnbond(unbond(10n));
    for (let i = 0; i < 4; i++) {
      const bad = good.slice();
      bad[8 + i] = (bad[8 + i] as number) ^ 1; // the amount's bytes: the signature no longer verifies
      await x.publish(UNBOND_TOPIC, bad);
      await tick();
      if (i === 0) expect(b.p2p.peers().find((p) => p.id === "x")?.score).toBe(-25);
    }
    expect(b.pool.size).toBe(0);
    expect(c.got).toHaveLength(0);
    expect(b.relay.stats.rejected).toBe(4);
    const ban = b.p2p.bans().find((z) => z.id === "x");
    expect(ban?.reason).toMatch(/^invalid unbond message: BLOCK_UNBOND_INVALID: unbonds\[0\]\.signature/);
    // the same answer straight from the validator, with the code
    const bad = good.slice();
    bad[168] = (bad[168] as number) ^ 0x80;
    expect(await b.relay.onGossip(bad, "y")).toMatchObject({ verdict: "REJECT", reason: expect.stringMatching(/^BLOCK_UNBOND_INVALID: /) });
    expect(await b.relay.onGossip(good.subarray(0, 100), "y")).toMatchObject({ verdict: "REJECT", reason: expect.stringMatching(/^BLOCK_MALFORMED: /) });
  });

  it("a duplicate is not relayed twice and costs no rate token (dedupe by the request's hash)", async () => {
    const { hub, x, b, c } = await line({ rate: { burst: 1, perSecond: 0.001, maxPeers: 16 } });
    const bytes = encodeUnbond(unbond(10n));
    await x.publish(UNBOND_TOPIC, bytes);
    await tick();
    expect(c.got).toHaveLength(1);
    // past the transport's own dedupe: the relay's seen set answers IGNORE before the rate limit and the signature
    for (let i = 0; i < 5; i++) expect(await b.relay.onGossip(bytes, "x")).toBe("IGNORE");
    expect(b.relay.stats.duplicate).toBe(5);
    expect(b.relay.stats.rate_limited).toBe(0);
    // a second peer sends the same bytes: nothing more reaches C
    const x2 = await rawPeer(hub, "x2");
    await x2.dial("/memory/b");
    await x2.publish(UNBOND_TOPIC, bytes);
    await x.publish(UNBOND_TOPIC, bytes);
    await tick();
    expect(c.got).toHaveLength(1);
    expect(c.pool.size).toBe(1);
    // the rate (burst 1) was not spent by the duplicates: the next new request from x is still rate-limited, not the duplicates
    expect(await b.relay.onGossip(encodeUnbond(unbond(1n)), "x")).toBe("IGNORE");
    expect(b.relay.stats.rate_limited).toBe(1);
  });

  it("a request that does not apply on the tip (STAKE_*) is dropped without penalty; the per-peer rate bounds work", async () => {
    const { x, b, c } = await line({ rate: { burst: 3, perSecond: 0.001, maxPeers: 16 } });
    await x.publish(UNBOND_TOPIC, encodeUnbond(unbond(101n))); // more than bonded
    await x.publish(UNBOND_TOPIC, encodeUnbond(unbond(1n, new Uint8Array(32).fill(7)))); // never bonded
    await tick();
    expect(b.relay.stats.not_applicable).toBe(2);
    expect(b.p2p.peers().find((p) => p.id === "x")?.score).toBe(0);
    expect(c.got).toHaveLength(0);
    await x.publish(UNBOND_TOPIC, encodeUnbond(unbond(1n)));
    await x.publish(UNBOND_TOPIC, encodeUnbond(unbond(2n))); // 4th from x: over the burst of 3
    await tick();
    expect(b.pool.size).toBe(1);
    expect(b.relay.stats.rate_limited).toBe(1);
    expect(c.got).toHaveLength(1);
  });

  it("property: no mutation of a valid request is accepted, and the validator never throws", async () => {
    const pool = new UnbondPool();
    const relay = new UnbondRelay({ pool, state: () => state, chainId, rate: { burst: 1e9, perSecond: 1, maxPeers: 4 } });
    const good = encodeUnbond(unbond(10n));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 168 }), fc.integer({ min: 1, max: 255 }), fc.integer({ min: -1, max: 200 }), async (i, x, cut) => {
        const bad = good.slice();
        bad[i] = (bad[i] as number) ^ x;
        const bytes = cut < 0 ? bad : bad.subarray(0, cut);
        const v = await relay.onGossip(bytes, "p");
        expect(typeof v === "string" ? v : v.verdict).not.toBe("ACCEPT");
      }),
      { numRuns: 150 },
    );
    expect(pool.size).toBe(0);
    expect(await relay.onGossip(good, "p")).toBe("ACCEPT");
  });

  it("own requests are re-announced while pooled, and no more once a block included them", async () => {
    const pool = new UnbondPool();
    const relay = new UnbondRelay({ pool, state: () => state, chainId, reannounceMs: 20 });
    const sent: string[] = [];
    relay.setPublisher(async (bytes) => sent.push(Buffer.from(bytes).toString("hex")));
    const u = unbond(10n);
    expect(relay.submitOwn(u)).toBe(true);
    expect(relay.submitOwn(u)).toBe(false);
    await tick(110);
    expect(sent.length).toBeGreaterThanOrEqual(2); // the first send and at least one re-announce
    expect(new Set(sent)).toEqual(new Set([Buffer.from(encodeUnbond(u)).toString("hex")]));
    pool.prune([u], state);
    await tick(30);
    const n = sent.length;
    await tick(60);
    expect(sent.length).toBe(n);
    relay.stop();
  });

  it("PeerRate: burst, refill and a bounded table", () => {
    let now = 0;
    const r = new PeerRate({ burst: 2, perSecond: 1, maxPeers: 3 }, () => now);
    expect([r.take("a"), r.take("a"), r.take("a")]).toEqual([true, true, false]);
    now += 1000;
    expect([r.take("a"), r.take("a")]).toEqual([true, false]);
    for (const p of ["b", "c", "d", "e"]) r.take(p);
    expect(r.size).toBe(3);
  });
});
