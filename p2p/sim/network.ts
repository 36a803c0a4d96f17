/**
 * A simulated message-passing network that runs one real {@link DandelionRouter} per honest node
 * (the same code the node runs over libp2p), or plain flooding for comparison. Links have a fixed
 * per-edge latency plus per-message processing and exponential jitter. Spy nodes record the first
 * time and the sender of every transaction they receive (stem or fluff), for the first-spy
 * estimator, and drop stem transactions (black holes); they relay fluff like honest nodes.
 * Used by p2p/test/dandelion-*.test.ts and bench/src/dandelion-sim.ts.
 * @module
 */
import { DandelionRouter, type DandelionParams, type DandelionEvent, type FluffReason, SeededRandom, randomIndex, sampleExponential } from "../src/dandelion/index.ts";
import { EventQueue } from "./events.ts";

/** How transactions spread in a run. */
export type SimMode = "dandelion" | "flood";

/** Simulation options. Times in ms. */
export interface SimOptions {
  /** Number of nodes (spies included). */
  nodes: number;
  /** Outbound connections each node dials (the undirected graph has average degree ≈ 2× this). */
  outDegree: number;
  /** Fraction p of nodes that are spies. */
  spyFraction: number;
  mode: SimMode;
  seed: number;
  /** Router parameter overrides (dandelion mode). */
  params?: Partial<DandelionParams>;
  /** Per-edge one-way latency, drawn uniformly in [min, max] (ms). Default [50, 150]. */
  linkLatencyMs?: [number, number];
  /** Per-hop processing (full validation) (ms). Default 7. */
  processingMs?: number;
  /** Mean of the per-message exponential jitter (ms). Default 10. */
  jitterMeanMs?: number;
  /** Honest-looking nodes that drop everything they receive (tests). */
  blackHoles?: number[];
  /** Replaces the random outbound peers of some nodes (tests). */
  outboundOverride?: Record<number, number[]>;
}

/** What the first spy to receive a tx saw. */
export interface SpySighting {
  spy: number;
  /** The (honest) neighbour that sent it: the first-spy estimator's guess of the origin. */
  from: number;
  at: number;
  phase: "stem" | "fluff";
}

/** Per-transaction record. */
export interface SimTx {
  txid: string;
  origin: number;
  createdAt: number;
  /** Optional grouping label (the bench's rounds). */
  round: number;
  firstSpy?: SpySighting;
  /** First fluff: which node, when, why, after how many stem hops. */
  firstFluff?: { node: number; at: number; reason: FluffReason | "flood"; hops: number };
  /** Nodes that received it (any phase). */
  reached: number;
  /** Time the last node received it. */
  lastReachAt: number;
}

interface Link {
  to: number;
  latency: number;
}

/** The simulated network. */
export class SimNetwork {
  readonly q = new EventQueue();
  readonly opts: Required<Omit<SimOptions, "params" | "blackHoles" | "outboundOverride">> & Pick<SimOptions, "params">;
  readonly spies: boolean[];
  readonly blackHoles: Set<number>;
  readonly outbound: number[][];
  readonly routers: Array<DandelionRouter | undefined>;
  readonly txs = new Map<string, SimTx>();
  /** Per node: txids it holds as fluffed (its "mempool"). */
  readonly fluffed: Array<Set<string>>;
  /** Router events per node (tests). */
  readonly events: Array<Array<{ at: number; e: DandelionEvent }>>;
  /** Messages delivered (both phases). */
  messages = 0;
  private readonly rng: SeededRandom;
  private readonly links: Link[][];
  private readonly seen: Array<Set<string>>;
  private readonly hops: Array<Map<string, number>>;
  private readonly tickAt: number[];
  private readonly down = new Set<number>();
  private readonly bytes = new Uint8Array(1758);
  recordEvents = false;

  constructor(options: SimOptions) {
    this.opts = {
      linkLatencyMs: [50, 150],
      processingMs: 7,
      jitterMeanMs: 10,
      ...options,
    };
    const n = options.nodes;
    this.rng = new SeededRandom(options.seed);
    this.blackHoles = new Set(options.blackHoles ?? []);
    // Spies: a uniformly random set of round(p·n) nodes (never a configured black hole).
    const spyCount = Math.round(options.spyFraction * n);
    const order = shuffledRange(this.rng, n).filter((i) => !this.blackHoles.has(i));
    this.spies = new Array<boolean>(n).fill(false);
    for (const i of order.slice(0, spyCount)) this.spies[i] = true;
    // Graph: each node dials outDegree distinct peers; no duplicate undirected edges.
    this.outbound = [];
    this.links = Array.from({ length: n }, () => []);
    const edge = new Set<string>();
    const [lo, hi] = this.opts.linkLatencyMs;
    const connect = (a: number, b: number): boolean => {
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (a === b || edge.has(key)) return false;
      edge.add(key);
      const latency = lo + this.rng.next() * (hi - lo);
      (this.links[a] as Link[]).push({ to: b, latency });
      (this.links[b] as Link[]).push({ to: a, latency });
      return true;
    };
    for (let i = 0; i < n; i++) {
      const out: number[] = [];
      const forced = options.outboundOverride?.[i];
      if (forced !== undefined) {
        for (const j of forced) if (connect(i, j) || this.links[i]?.some((l) => l.to === j)) out.push(j);
      } else {
        for (let tries = 0; out.length < options.outDegree && tries < 50 * options.outDegree; tries++) {
          const j = randomIndex(this.rng, n);
          if (connect(i, j)) out.push(j);
        }
      }
      this.outbound.push(out);
    }
    this.seen = Array.from({ length: n }, () => new Set<string>());
    this.fluffed = Array.from({ length: n }, () => new Set<string>());
    this.hops = Array.from({ length: n }, () => new Map<string, number>());
    this.events = Array.from({ length: n }, () => []);
    this.tickAt = new Array<number>(n).fill(Infinity);
    this.routers = [];
    for (let i = 0; i < n; i++) {
      const honest = !this.spies[i] && !this.blackHoles.has(i);
      this.routers.push(options.mode === "dandelion" && honest ? this.makeRouter(i, options) : undefined);
    }
    for (let i = 0; i < n; i++) this.scheduleTick(i);
  }

  /** Schedules node `origin` to create transaction `txid` at time `at`. */
  submit(origin: number, txid: string, at: number, round = 0): void {
    this.txs.set(txid, { txid, origin, createdAt: at, round, reached: 0, lastReachAt: at });
    this.q.at(at, () => {
      this.markSeen(origin, txid);
      const r = this.routers[origin];
      this.hops[origin]?.set(txid, 0);
      if (r === undefined) {
        this.flood(origin, txid, -1, "flood");
        return;
      }
      r.onOwnTx(txid, this.bytes);
      this.scheduleTick(origin);
    });
  }

  /** Disconnects a node from everyone at time `at` (its peers' routers are told). */
  disconnect(node: number, at: number): void {
    this.q.at(at, () => {
      this.down.add(node);
      for (const l of this.links[node] ?? []) {
        this.routers[l.to]?.onPeerDisconnected(String(node));
        this.scheduleTick(l.to);
      }
    });
  }

  /** Runs the simulation until time `until` (ms). */
  run(until: number): void {
    this.q.runUntil(until);
  }

  /** Whether `node` is a spy. */
  isSpy(node: number): boolean {
    return this.spies[node] === true;
  }

  /** Undirected neighbours of `node`. */
  neighbours(node: number): number[] {
    return (this.links[node] ?? []).map((l) => l.to);
  }

  private makeRouter(i: number, options: SimOptions): DandelionRouter {
    const self = this;
    return new DandelionRouter({
      random: new SeededRandom((options.seed * 7919 + i * 104729) | 0),
      clock: () => self.q.now,
      params: options.params ?? {},
      onEvent: (e) => {
        if (self.recordEvents) (self.events[i] as Array<{ at: number; e: DandelionEvent }>).push({ at: self.q.now, e });
        if (e.kind === "fluff") self.noteFluff(i, e.txid, e.reason);
      },
      transport: {
        outboundPeers: () => (self.outbound[i] ?? []).filter((j) => !self.down.has(j)).map(String),
        sendStem: (peer, txid) => {
          const j = Number(peer);
          if (self.down.has(j)) return false;
          const h = (self.hops[i]?.get(txid) ?? 0) + 1;
          self.send(i, j, txid, "stem", h);
          return true;
        },
        fluff: (txid) => self.flood(i, txid, -1, null),
      },
    });
  }

  private noteFluff(node: number, txid: string, reason: FluffReason | "flood"): void {
    const tx = this.txs.get(txid);
    if (tx !== undefined && tx.firstFluff === undefined) tx.firstFluff = { node, at: this.q.now, reason, hops: this.hops[node]?.get(txid) ?? 0 };
  }

  private scheduleTick(i: number): void {
    const r = this.routers[i];
    if (r === undefined) return;
    const d = r.nextDeadline();
    if (d >= (this.tickAt[i] as number)) return;
    this.tickAt[i] = d;
    this.q.at(d, () => {
      if (this.tickAt[i] !== d) return;
      this.tickAt[i] = Infinity;
      r.tick(this.q.now);
      this.scheduleTick(i);
    });
  }

  private delay(latency: number): number {
    return latency + this.opts.processingMs + sampleExponential(this.rng, this.opts.jitterMeanMs);
  }

  private send(from: number, to: number, txid: string, phase: "stem" | "fluff", hops: number): void {
    const link = (this.links[from] ?? []).find((l) => l.to === to);
    if (link === undefined) return;
    this.q.at(this.q.now + this.delay(link.latency), () => this.deliver(from, to, txid, phase, hops));
  }

  /** Gossips from `node` to all neighbours except `except`. */
  private flood(node: number, txid: string, except: number, reason: "flood" | null): void {
    if (this.fluffed[node]?.has(txid)) return;
    this.fluffed[node]?.add(txid);
    if (reason !== null) this.noteFluff(node, txid, reason);
    for (const l of this.links[node] ?? []) if (l.to !== except && !this.down.has(l.to)) this.send(node, l.to, txid, "fluff", 0);
  }

  private markSeen(node: number, txid: string): void {
    const s = this.seen[node] as Set<string>;
    if (s.has(txid)) return;
    s.add(txid);
    const tx = this.txs.get(txid);
    if (tx !== undefined) {
      tx.reached++;
      tx.lastReachAt = this.q.now;
    }
  }

  private deliver(from: number, to: number, txid: string, phase: "stem" | "fluff", hops: number): void {
    if (this.down.has(to) || this.down.has(from)) return;
    this.messages++;
    this.markSeen(to, txid);
    const tx = this.txs.get(txid);
    if (this.spies[to] && tx !== undefined && tx.firstSpy === undefined) tx.firstSpy = { spy: to, from, at: this.q.now, phase };
    if (this.blackHoles.has(to)) return;
    if (phase === "stem") {
      const r = this.routers[to];
      if (r === undefined) return; // spies drop stem transactions
      this.hops[to]?.set(txid, hops);
      r.onStemTx(String(from), txid, this.bytes);
      this.scheduleTick(to);
      return;
    }
    if (this.fluffed[to]?.has(txid)) return;
    const r = this.routers[to];
    if (r !== undefined) {
      r.onFluffSeen(txid);
      this.scheduleTick(to);
    }
    this.flood(to, txid, from, null);
  }
}

function shuffledRange(rng: SeededRandom, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return a;
}
