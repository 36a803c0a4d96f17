/**
 * Scenarios for the simulated network (fast-check arbitrary) and the properties checked after a
 * run: safety, liveness after GST, evidence, certificates.
 */
import { expect } from "vitest";
import fc from "fast-check";
import { verifyFinalityCertificate } from "../../src/engine.ts";
import { toHex } from "../../src/encoding/bytes.ts";
import { verifyDuplicateVote } from "../../src/bft/evidence.ts";
import { SIM_CHAIN_ID, Simulation, type ByzantineBehaviour, type SimConfig } from "./sim.ts";

const TIMEOUTS = { proposeBaseMs: 300, proposeDeltaMs: 100, prevoteBaseMs: 150, prevoteDeltaMs: 100, precommitBaseMs: 150, precommitDeltaMs: 100 };
/** Rounds an honest node may start at or after GST before it commits a height. */
const ROUNDS_AFTER_GST = 5;

const byzArb: fc.Arbitrary<ByzantineBehaviour> = fc.record({ equivocate: fc.boolean(), conflictingProposals: fc.boolean(), withhold: fc.boolean() });

export const scenarioArb = fc
  .record({
    seed: fc.integer(),
    n: fc.integer({ min: 4, max: 7 }),
    stakes: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 7, maxLength: 7 }),
    byzMask: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    byz: fc.array(byzArb, { minLength: 7, maxLength: 7 }),
    gstMs: fc.integer({ min: 0, max: 3000 }),
    partition: fc.option(fc.record({ fromMs: fc.integer({ min: 0, max: 2000 }), lenMs: fc.integer({ min: 100, max: 2500 }), groups: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 7, maxLength: 7 }) }), { nil: undefined }),
    crash: fc.option(fc.record({ node: fc.nat(6), atMs: fc.integer({ min: 0, max: 2500 }), downMs: fc.integer({ min: 50, max: 1500 }) }), { nil: undefined }),
    dropPct: fc.integer({ min: 0, max: 30 }),
    dupPct: fc.integer({ min: 0, max: 20 }),
    maxDelayMs: fc.integer({ min: 1, max: 300 }),
    deltaMs: fc.integer({ min: 1, max: 40 }),
    invalidPct: fc.integer({ min: 0, max: 30 }),
  })
  .map((s): SimConfig => {
    const stakes = s.stakes.slice(0, s.n).map(BigInt);
    const total = stakes.reduce((a, b) => a + b, 0n);
    // Byzantine: the masked validators, smallest stakes first, while their stake stays < 1/3.
    const byzantine = new Map<number, ByzantineBehaviour>();
    let byzStake = 0n;
    const order = [...stakes.keys()].sort((a, b) => Number(stakes[a]! - stakes[b]!));
    for (const i of order) {
      if (!s.byzMask[i] || 3n * (byzStake + stakes[i]!) >= total) continue;
      byzantine.set(i, s.byz[i]!);
      byzStake += stakes[i]!;
    }
    let gstMs = s.gstMs;
    const partition = s.partition === undefined ? undefined : { fromMs: s.partition.fromMs, toMs: s.partition.fromMs + s.partition.lenMs, groups: s.partition.groups.slice(0, s.n) };
    if (partition) gstMs = Math.max(gstMs, partition.toMs);
    let crash: SimConfig["crash"];
    if (s.crash !== undefined) {
      const node = s.crash.node % s.n;
      if (!byzantine.has(node)) {
        crash = { node, atMs: s.crash.atMs, restartMs: s.crash.atMs + s.crash.downMs };
        gstMs = Math.max(gstMs, crash.restartMs);
      }
    }
    const cfg: SimConfig = { seed: s.seed, stakes, byzantine, gstMs, dropRate: s.dropPct / 100, dupRate: s.dupPct / 100, maxDelayMs: s.maxDelayMs, deltaMs: s.deltaMs, invalidRate: s.invalidPct / 100, heights: 3, timeouts: TIMEOUTS, endMs: gstMs + 60_000 };
    if (partition) cfg.partition = partition;
    if (crash) cfg.crash = crash;
    return cfg;
  });

export function describeCfg(c: SimConfig): string {
  return JSON.stringify({ ...c, stakes: c.stakes.map(String), byzantine: [...c.byzantine] });
}

export function check(sim: Simulation): void {
  const cfg = sim.cfg;
  const honest = sim.honest();
  // No engine errors: every message in the run is well-formed and from the scheduled proposer.
  for (const n of sim.nodes) expect(n.errors.map((e) => e.code)).toEqual([]);
  // SAFETY: one block per height among honest nodes; every certificate verifies.
  for (let h = 1n; h <= BigInt(cfg.heights); h++) {
    const hashes = new Set(honest.filter((n) => n.commits.has(h)).map((n) => toHex(n.commits.get(h)!.blockHash)));
    expect(hashes.size).toBeLessThanOrEqual(1);
    for (const n of honest) {
      const c = n.commits.get(h);
      if (c === undefined) continue;
      verifyFinalityCertificate(c.certificate, { chainId: SIM_CHAIN_ID, height: h, blockHash: c.blockHash, validatorSet: sim.set });
      expect(sim.valid.get(toHex(c.blockHash))).toBe(true);
    }
  }
  // LIVENESS: every honest node decided every height, starting at most ROUNDS_AFTER_GST rounds at/after GST per height.
  for (const n of honest) {
    for (let h = 1n; h <= BigInt(cfg.heights); h++) {
      expect(n.commits.has(h), `node ${n.idx} height ${h}`).toBe(true);
      const started = (n.roundsStarted.get(h) ?? []).filter((x) => x.atMs >= cfg.gstMs && x.atMs <= n.commits.get(h)!.atMs);
      expect(new Set(started.map((x) => x.round)).size, `node ${n.idx} height ${h} rounds after GST`).toBeLessThanOrEqual(ROUNDS_AFTER_GST);
    }
  }
  // EVIDENCE: every equivocation delivered to an honest node's current height produced evidence; all evidence verifies and names a Byzantine validator.
  const byzKeys = new Set([...cfg.byzantine.keys()].map((i) => toHex(sim.nodes[i]!.key)));
  for (const n of honest) {
    const got = new Set<string>();
    for (const ev of n.evidence) {
      const offender = verifyDuplicateVote(SIM_CHAIN_ID, ev, sim.set);
      expect(byzKeys.has(toHex(offender.publicKey))).toBe(true);
      got.add(`${toHex(ev.voteA.validator)}/${ev.voteA.kind}/${ev.voteA.height}/${ev.voteA.round}/${toHex(ev.voteA.blockHash)}/${toHex(ev.voteB.blockHash)}`);
    }
    const slots = new Map<string, Set<string>>();
    for (const d of n.delivered) {
      const k = `${toHex(d.vote.validator)}/${d.vote.kind}/${d.vote.height}/${d.vote.round}`;
      const s = slots.get(k) ?? new Set<string>();
      s.add(toHex(d.vote.blockHash));
      slots.set(k, s);
    }
    for (const [k, hs] of slots) {
      const sorted = [...hs].sort();
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) expect(got.has(`${k}/${sorted[i]}/${sorted[j]}`), `node ${n.idx} evidence ${k}`).toBe(true);
    }
    expect(n.guardRefusals).toBe(0);
  }
}

