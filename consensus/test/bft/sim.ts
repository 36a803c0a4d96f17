/**
 * A deterministic simulated network of Tendermint engines (virtual clock, seeded schedule).
 *
 * Network model: partial synchrony as in [LG] §2 — before GST a message may be delayed up to
 * `maxDelayMs`, duplicated, reordered, or "dropped" (delivered only after GST, as gossip would
 * re-send it); messages across an active partition are held until it heals (≤ GST); after GST
 * every message arrives within `deltaMs`. Honest nodes relay messages signed by Byzantine
 * validators once (the gossip property: what one correct node receives, all do). A crashed node
 * loses what is delivered while it is down; on restart it replays its write-ahead log (the
 * events of its current height up to the last one that made it sign or commit, i.e. what a
 * sequential log fsynced at each signature holds) and signs only through its double-sign guard.
 * Gossip catch-up from status heartbeats (every 250 ms, each node's height): an honest peer at
 * the same height re-sends every message it signed for that height, and a peer ahead sends the
 * proposal and the precommits that decided the laggard's height (CometBFT's gossip routines do
 * the same from the peer round state).
 *
 * Validators sign with real Ed25519 keys; block validity is a global registry of hashes.
 */
import { ed25519PublicKey } from "@baios/crypto";
import { makeValidatorSet, signVote, type SignedVote, type ValidatorSet } from "../../src/engine.ts";
import { toHex, ZERO_HASH } from "../../src/encoding/bytes.ts";
import { ConsensusError } from "../../src/errors.ts";
import type { DuplicateVoteEvidence, FinalityCertificate } from "../../src/types.ts";
import { TendermintEngine } from "../../src/bft/engine.ts";
import { signProposal } from "../../src/bft/proposal.ts";
import type { BftEffect, BftEvent, BftStep, SignedProposal, UnsignedMessage } from "../../src/bft/types.ts";
import type { BftTimeouts } from "../../src/bft/timeouts.ts";

export const SIM_CHAIN_ID = 4242;

/** What a Byzantine validator does on top of running the protocol. */
export interface ByzantineBehaviour {
  /** Signs a second, different prevote/precommit for every vote and splits the two across the network. */
  equivocate: boolean;
  /** As proposer, signs two proposals for different blocks (one possibly invalid) and splits them. */
  conflictingProposals: boolean;
  /** Keeps its votes to itself. */
  withhold: boolean;
}

export interface SimConfig {
  seed: number;
  stakes: bigint[];
  /** Byzantine validators by index (their stake must stay below 1/3 for the properties). */
  byzantine: Map<number, ByzantineBehaviour>;
  gstMs: number;
  /** Partition: `groups[i]` is node i's side; active in [fromMs, toMs), toMs ≤ gstMs. */
  partition?: { fromMs: number; toMs: number; groups: number[] };
  /** Honest node crashes at atMs, restarts at restartMs ≤ gstMs. */
  crash?: { node: number; atMs: number; restartMs: number };
  dropRate: number;
  dupRate: number;
  maxDelayMs: number;
  deltaMs: number;
  /** Fraction of honest proposer values that are invalid, before GST only. */
  invalidRate: number;
  /** Heights to decide. */
  heights: number;
  timeouts: BftTimeouts;
  /** Virtual-time cap (ms). */
  endMs: number;
}

type Msg = { type: "proposal"; p: SignedProposal } | { type: "vote"; v: SignedVote } | { type: "status"; from: number; height: bigint };

type Item =
  | { kind: "deliver"; to: number; msg: Msg }
  | { kind: "event"; node: number; inc: number; event: BftEvent }
  | { kind: "start"; node: number; inc: number; height: bigint }
  | { kind: "crash"; node: number }
  | { kind: "restart"; node: number }
  | { kind: "heartbeat" };

/** One honest node's record of a vote delivered to its engine. */
export interface DeliveredVote {
  vote: SignedVote;
  engineHeight: bigint;
  engineRound: number;
  /** Index of the vote's event in the node's write-ahead log. */
  walPos: number;
}

export interface Commit {
  height: bigint;
  round: number;
  blockHash: Uint8Array;
  certificate: FinalityCertificate;
  atMs: number;
}

export interface SimNode {
  idx: number;
  seed: Uint8Array;
  key: Uint8Array;
  byz: ByzantineBehaviour | undefined;
  engine: TendermintEngine;
  inc: number;
  up: boolean;
  commits: Map<bigint, Commit>;
  catchUp: Map<bigint, { proposal: SignedProposal; precommits: SignedVote[] }>;
  proposals: Map<string, SignedProposal>;
  wal: BftEvent[];
  walSynced: number;
  guard: Map<string, string>;
  lastHrs: [bigint, number, number];
  relayed: Set<string>;
  /** Messages this node signed, per height (re-gossiped to peers at the same height on their status). */
  own: Map<bigint, Msg[]>;
  evidence: DuplicateVoteEvidence[];
  delivered: DeliveredVote[];
  /** Rounds started per height (from scheduleTimeout(propose)), with the virtual time. */
  roundsStarted: Map<bigint, { round: number; atMs: number }[]>;
  /** ConsensusErrors thrown by the engine (none are expected in a run). */
  errors: ConsensusError[];
  guardRefusals: number;
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Heap {
  private a: { t: number; seq: number; item: Item }[] = [];
  private seq = 0;
  get size(): number {
    return this.a.length;
  }
  push(t: number, item: Item): void {
    const a = this.a;
    a.push({ t, seq: this.seq++, item });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(i, p)) {
        [a[i], a[p]] = [a[p]!, a[i]!];
        i = p;
      } else break;
    }
  }
  pop(): { t: number; item: Item } | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(i: number, j: number): boolean {
    const x = this.a[i]!;
    const y = this.a[j]!;
    return x.t < y.t || (x.t === y.t && x.seq < y.seq);
  }
}

const STEP_ORD = { proposal: 0, prevote: 1, precommit: 2 } as const;
const HEARTBEAT_MS = 250;

export class Simulation {
  readonly cfg: SimConfig;
  readonly set: ValidatorSet;
  readonly nodes: SimNode[];
  readonly valid = new Map<string, boolean>();
  now = 0;
  private readonly heap = new Heap();
  private readonly rand: () => number;
  private readonly byzKeys = new Set<string>();

  constructor(cfg: SimConfig) {
    this.cfg = cfg;
    this.rand = rng(cfg.seed);
    const seeds = cfg.stakes.map((_, i) => {
      const s = new Uint8Array(32);
      for (let j = 0; j < 32; j++) s[j] = Math.floor(this.rand() * 256);
      s[0] = i;
      return s;
    });
    this.set = makeValidatorSet(seeds.map((s, i) => ({ publicKey: ed25519PublicKey(s), stake: cfg.stakes[i]! })));
    this.nodes = seeds.map((seed, idx) => ({
      idx,
      seed,
      key: ed25519PublicKey(seed),
      byz: cfg.byzantine.get(idx),
      engine: this.newEngine(),
      inc: 0,
      up: true,
      commits: new Map(),
      catchUp: new Map(),
      proposals: new Map(),
      wal: [],
      walSynced: 0,
      guard: new Map(),
      lastHrs: [0n, 0, -1],
      relayed: new Set(),
      own: new Map(),
      evidence: [],
      delivered: [],
      roundsStarted: new Map(),
      errors: [],
      guardRefusals: 0,
    }));
    for (const n of this.nodes) if (n.byz !== undefined) this.byzKeys.add(toHex(n.key));
  }

  private newEngine(): TendermintEngine {
    return new TendermintEngine({ chainId: SIM_CHAIN_ID, timeouts: this.cfg.timeouts, maxFutureRoundsPerValidator: 4 });
  }

  honest(): SimNode[] {
    return this.nodes.filter((n) => n.byz === undefined);
  }

  private randomHash(): Uint8Array {
    const h = new Uint8Array(32);
    for (let j = 0; j < 32; j++) h[j] = Math.floor(this.rand() * 256);
    return h;
  }

  private newValue(valid: boolean): Uint8Array {
    const h = this.randomHash();
    this.valid.set(toHex(h), valid);
    return h;
  }

  /** Runs until every honest node decided `cfg.heights` heights or the time cap. */
  run(): void {
    for (const n of this.nodes) this.heap.push(0, { kind: "start", node: n.idx, inc: 0, height: 1n });
    if (this.cfg.crash) {
      this.heap.push(this.cfg.crash.atMs, { kind: "crash", node: this.cfg.crash.node });
      this.heap.push(this.cfg.crash.restartMs, { kind: "restart", node: this.cfg.crash.node });
    }
    this.heap.push(HEARTBEAT_MS, { kind: "heartbeat" });
    const target = BigInt(this.cfg.heights);
    for (;;) {
      const next = this.heap.pop();
      if (next === undefined || next.t > this.cfg.endMs) return;
      this.now = next.t;
      this.step(next.item);
      if (this.honest().every((n) => n.commits.has(target))) return;
    }
  }

  private step(it: Item): void {
    switch (it.kind) {
      case "deliver":
        return this.deliver(it.to, it.msg);
      case "event": {
        const n = this.nodes[it.node]!;
        if (n.up && n.inc === it.inc) this.feed(n, it.event);
        return;
      }
      case "start": {
        const n = this.nodes[it.node]!;
        if (!n.up || n.inc !== it.inc || (n.engine.height ?? 0n) >= it.height) return;
        // The new height's log starts with `start`, then the messages for it that the engine buffered.
        const early = n.wal.filter((e) => (e.type === "vote" && e.vote.height === it.height) || (e.type === "proposal" && e.proposal.height === it.height));
        n.wal = [];
        n.walSynced = 0;
        this.feed(n, { type: "start", height: it.height, validatorSet: this.set, setStartHeight: 1n, localKey: n.key });
        n.wal.push(...early);
        n.walSynced = n.wal.length;
        return;
      }
      case "crash": {
        const n = this.nodes[it.node]!;
        n.up = false;
        n.inc++;
        return;
      }
      case "restart": {
        const n = this.nodes[it.node]!;
        n.engine = this.newEngine();
        n.up = true;
        const log = n.wal.slice(0, n.walSynced);
        // What the crash lost (the log tail after the last fsync) never reached the restarted engine.
        const first = log[0];
        if (first?.type === "start") n.delivered = n.delivered.filter((d) => d.engineHeight !== first.height || d.walPos < n.walSynced);
        n.wal = [];
        for (const e of log) this.feed(n, e);
        return;
      }
      case "heartbeat":
        for (const n of this.nodes) if (n.up && n.engine.height !== undefined) this.broadcast(n.idx, { type: "status", from: n.idx, height: n.engine.height }, false);
        this.heap.push(this.now + HEARTBEAT_MS, { kind: "heartbeat" });
        return;
    }
  }

  // ------------------------------------------------------------------ network

  private delay(): number {
    if (this.now >= this.cfg.gstMs) return 1 + Math.floor(this.rand() * this.cfg.deltaMs);
    return 1 + Math.floor(this.rand() * this.cfg.maxDelayMs);
  }

  private send(from: number, to: number, msg: Msg): void {
    const p = this.cfg.partition;
    const afterGst = (): number => Math.max(this.now, this.cfg.gstMs) + 1 + Math.floor(this.rand() * this.cfg.deltaMs);
    let at: number;
    if (p !== undefined && this.now >= p.fromMs && this.now < p.toMs && p.groups[from] !== p.groups[to]) at = p.toMs + 1 + Math.floor(this.rand() * this.cfg.deltaMs);
    else if (this.now < this.cfg.gstMs && this.rand() < this.cfg.dropRate) at = afterGst();
    else at = this.now + this.delay();
    this.heap.push(at, { kind: "deliver", to, msg });
    if (this.rand() < this.cfg.dupRate) this.heap.push(this.now + this.delay(), { kind: "deliver", to, msg });
  }

  private broadcast(from: number, msg: Msg, toSelf: boolean, only?: (i: number) => boolean): void {
    for (const n of this.nodes) {
      if (n.idx === from) {
        if (toSelf) this.heap.push(this.now, { kind: "deliver", to: from, msg });
        continue;
      }
      if (only === undefined || only(n.idx)) this.send(from, n.idx, msg);
    }
  }

  private deliver(to: number, msg: Msg): void {
    const n = this.nodes[to]!;
    if (!n.up) return;
    if (msg.type === "status") return this.onStatus(n, msg.from, msg.height);
    if (n.byz === undefined) {
      const signer = msg.type === "vote" ? msg.v.validator : msg.p.proposer;
      const id = msgId(msg);
      if (this.byzKeys.has(toHex(signer)) && !n.relayed.has(id)) {
        n.relayed.add(id);
        this.broadcast(n.idx, msg, false);
      }
    }
    if (msg.type === "vote") {
      if (n.byz === undefined && msg.v.height === n.engine.height && msg.v.round <= n.engine.round) n.delivered.push({ vote: msg.v, engineHeight: n.engine.height, engineRound: n.engine.round, walPos: n.wal.length });
      this.feed(n, { type: "vote", vote: msg.v });
    } else {
      n.proposals.set(`${msg.p.height}/${msg.p.round}/${toHex(msg.p.blockHash)}`, msg.p);
      this.feed(n, { type: "proposal", proposal: msg.p });
    }
  }

  private onStatus(n: SimNode, from: number, height: bigint): void {
    if (n.byz === undefined && height === n.engine.height) for (const m of n.own.get(height) ?? []) this.send(n.idx, from, m);
    const c = n.catchUp.get(height);
    if (c === undefined) return;
    this.send(n.idx, from, { type: "proposal", p: c.proposal });
    for (const v of c.precommits) this.send(n.idx, from, { type: "vote", v });
  }

  // ------------------------------------------------------------------ node

  private feed(n: SimNode, event: BftEvent): void {
    n.wal.push(event);
    let fx: BftEffect[];
    try {
      fx = n.engine.handle(event);
    } catch (e) {
      if (e instanceof ConsensusError) {
        n.errors.push(e);
        return;
      }
      throw e;
    }
    if (fx.some((f) => f.type === "sign" || f.type === "commit")) n.walSynced = n.wal.length;
    for (const f of fx) this.effect(n, f);
  }

  private effect(n: SimNode, f: BftEffect): void {
    const inc = n.inc;
    switch (f.type) {
      case "scheduleTimeout": {
        if (f.step === "propose") {
          const list = n.roundsStarted.get(f.height) ?? [];
          list.push({ round: f.round, atMs: this.now });
          n.roundsStarted.set(f.height, list);
        }
        this.heap.push(this.now + f.ms, { kind: "event", node: n.idx, inc, event: { type: "timeout", height: f.height, round: f.round, step: f.step as BftStep } });
        return;
      }
      case "requestValue": {
        const invalid = n.byz !== undefined ? this.rand() < 0.5 : this.now < this.cfg.gstMs && this.rand() < this.cfg.invalidRate;
        const v = this.newValue(!invalid);
        this.heap.push(this.now + Math.floor(this.rand() * 30), { kind: "event", node: n.idx, inc, event: { type: "value", height: f.height, round: f.round, blockHash: v } });
        return;
      }
      case "validate": {
        const valid = this.valid.get(toHex(f.blockHash)) ?? false;
        this.heap.push(this.now + Math.floor(this.rand() * 20), { kind: "event", node: n.idx, inc, event: { type: "validated", height: f.height, blockHash: f.blockHash, valid } });
        return;
      }
      case "commit": {
        if (!n.commits.has(f.height)) n.commits.set(f.height, { height: f.height, round: f.round, blockHash: f.blockHash, certificate: f.certificate, atMs: this.now });
        const proposal = [...n.proposals.values()].find((p) => p.height === f.height && p.round === f.round && toHex(p.blockHash) === toHex(f.blockHash));
        if (proposal !== undefined) {
          const precommits = f.certificate.votes.map((v) => ({ kind: "precommit" as const, height: f.height, round: f.round, blockHash: f.blockHash, validator: v.validator, signature: v.signature }));
          n.catchUp.set(f.height, { proposal, precommits });
        }
        this.heap.push(this.now + 5, { kind: "start", node: n.idx, inc, height: f.height + 1n });
        return;
      }
      case "evidence":
        n.evidence.push(f.evidence);
        return;
      case "sign":
        return this.sign(n, f.message);
    }
  }

  /** The double-sign guard: (height, round, step) never signed twice with different content, never below the last signed. */
  private guardAllows(n: SimNode, m: UnsignedMessage): boolean {
    const step = m.type === "proposal" ? STEP_ORD.proposal : STEP_ORD[m.kind];
    const key = `${m.height}/${m.round}/${step}`;
    const content = `${toHex(m.blockHash)}/${m.type === "proposal" ? m.polRound : ""}`;
    const had = n.guard.get(key);
    if (had !== undefined) return had === content;
    const [h, r, s] = n.lastHrs;
    if (m.height < h || (m.height === h && (m.round < r || (m.round === r && step <= s)))) return false;
    n.guard.set(key, content);
    n.lastHrs = [m.height, m.round, step];
    return true;
  }

  private sign(n: SimNode, m: UnsignedMessage): void {
    if (n.byz === undefined && !this.guardAllows(n, m)) {
        n.guardRefusals++;
      return;
    }
    if (n.byz === undefined) {
      const msg: Msg = m.type === "proposal" ? { type: "proposal", p: signProposal(n.seed, SIM_CHAIN_ID, m) } : { type: "vote", v: signVote(n.seed, m.kind, SIM_CHAIN_ID, m.height, m.round, m.blockHash) };
      const list = n.own.get(m.height) ?? [];
      if (!list.some((x) => msgId(x) === msgId(msg))) list.push(msg);
      n.own.set(m.height, list);
      n.own.delete(m.height - 2n);
      this.broadcast(n.idx, msg, true);
      return;
    }
    const half = (i: number): boolean => i % 2 === 0;
    if (m.type === "proposal") {
      const p = signProposal(n.seed, SIM_CHAIN_ID, m);
      if (n.byz?.conflictingProposals) {
        const other = this.newValue(this.rand() < 0.5);
        const q = signProposal(n.seed, SIM_CHAIN_ID, { ...m, polRound: -1, blockHash: other });
        this.broadcast(n.idx, { type: "proposal", p }, true, half);
        this.broadcast(n.idx, { type: "proposal", p: q }, false, (i) => !half(i));
        return;
      }
      this.broadcast(n.idx, { type: "proposal", p }, true);
      return;
    }
    const v = signVote(n.seed, m.kind, SIM_CHAIN_ID, m.height, m.round, m.blockHash);
    if (n.byz?.withhold && this.rand() < 0.7) {
      this.heap.push(this.now, { kind: "deliver", to: n.idx, msg: { type: "vote", v } });
      return;
    }
    if (n.byz?.equivocate) {
      const isNil = toHex(m.blockHash) === toHex(ZERO_HASH);
      const alt = isNil ? this.newValue(this.rand() < 0.5) : this.rand() < 0.5 ? ZERO_HASH : this.newValue(true);
      const w = signVote(n.seed, m.kind, SIM_CHAIN_ID, m.height, m.round, alt);
      this.broadcast(n.idx, { type: "vote", v }, true, half);
      this.broadcast(n.idx, { type: "vote", v: w }, false, (i) => !half(i));
      return;
    }
    this.broadcast(n.idx, { type: "vote", v }, true);
  }
}

function msgId(m: Msg): string {
  if (m.type === "vote") return `v/${toHex(m.v.validator)}/${m.v.kind}/${m.v.height}/${m.v.round}/${toHex(m.v.blockHash)}`;
  if (m.type === "proposal") return `p/${m.p.height}/${m.p.round}/${m.p.polRound}/${toHex(m.p.blockHash)}`;
  return `s/${m.from}/${m.height}`;
}
