/**
 * Dandelion++ routing (Fanti et al. 2018, arXiv 1805.11060, Algorithms 1–2 and §4), as pure logic:
 * the clock, the randomness and the network are injected, so the node (over libp2p) and the
 * simulator (p2p/sim/) run this same code.
 *
 * Per epoch (≈10 min + jitter, per node): draw `stemRelays` (2) relays among outbound peers
 * (quasi-4-regular stem graph); decide once, with probability q, whether this node is a fluff
 * node; map each inbound peer to one relay for the whole epoch (pseudorandom, one-to-one as far
 * as the counts allow: the least-loaded relay, ties broken at random); own txs go to one relay
 * chosen for the epoch. Own txs are always stemmed. Every held stem tx gets an exponential
 * embargo timer; if it was not seen fluffed by then, this node fluffs it. A stem tx that comes
 * back to a node that holds it (a loop) is fluffed.
 * @module
 */
import { checkParams, DEFAULT_DANDELION_PARAMS, type DandelionParams } from "./params.ts";
import { randomIndex, sampleExponential, shuffled, type RandomSource } from "./random.ts";
import { Stempool, type StempoolRejectCode } from "./stempool.ts";
import type { DandelionEvent, DandelionTransport, FluffReason, PeerId } from "./transport.ts";

/** What the router did with a transaction handed to it. */
export type RouteOutcome =
  /** Sent to a stem relay and held with an embargo timer. */
  | { action: "stemmed"; to: PeerId }
  /** Fluffed by this node (see `reason`). */
  | { action: "fluffed"; reason: FluffReason }
  /** Own tx held without a relay (no outbound peer yet); retried on `tick`, embargo still runs. */
  | { action: "held" }
  /** Already handled: held in the stempool, or already fluffed. Nothing was sent. */
  | { action: "duplicate" }
  /** Refused (e.g. larger than the whole stempool). */
  | { action: "rejected"; code: StempoolRejectCode; reason: string };

/** Read-only view of the current epoch (tests, `status`, metrics). */
export interface EpochInfo {
  index: number;
  startedAt: number;
  endsAt: number;
  fluffMode: boolean;
  relays: PeerId[];
  ownRelay: PeerId | undefined;
  /** Inbound peer → relay mappings made so far this epoch. */
  inbound: Array<[PeerId, PeerId]>;
}

/** Construction options of a {@link DandelionRouter}. */
export interface DandelionRouterOptions {
  transport: DandelionTransport;
  /** Uniform randomness: `CryptoRandom` in a node, `SeededRandom` in tests and simulations. */
  random: RandomSource;
  /** Current time in ms (monotonic in a node). */
  clock: () => number;
  /** Overrides of {@link DEFAULT_DANDELION_PARAMS}. */
  params?: Partial<DandelionParams>;
  /** A stempool to use (default: a new one with the params' bounds). */
  stempool?: Stempool;
  /** Event sink (metrics, logs, tests). */
  onEvent?: (e: DandelionEvent) => void;
}

/** One node's Dandelion++ router. Not thread-safe; call from one event loop. */
export class DandelionRouter {
  readonly params: Readonly<DandelionParams>;
  readonly stempool: Stempool;
  private readonly transport: DandelionTransport;
  private readonly rng: RandomSource;
  private readonly clock: () => number;
  private readonly emit: (e: DandelionEvent) => void;
  private readonly fluffed = new Set<string>();

  private epochIndex = -1;
  private epochStart = 0;
  private epochEnd = 0;
  private fluffMode = false;
  private relays: PeerId[] = [];
  private ownRelay: PeerId | undefined;
  private inbound = new Map<PeerId, PeerId>();
  /** Relays whose send failed this epoch: not drawn again until they reconnect or the epoch ends. */
  private failed = new Set<PeerId>();

  constructor(opts: DandelionRouterOptions) {
    const params = { ...DEFAULT_DANDELION_PARAMS, ...opts.params };
    checkParams(params);
    this.params = Object.freeze(params);
    this.transport = opts.transport;
    this.rng = opts.random;
    this.clock = opts.clock;
    this.emit = opts.onEvent ?? (() => {});
    this.stempool = opts.stempool ?? new Stempool({ maxTxs: params.stempoolMaxTxs, maxBytes: params.stempoolMaxBytes });
    this.newEpoch(this.clock());
  }

  /** The current epoch's state. */
  epoch(): EpochInfo {
    return {
      index: this.epochIndex,
      startedAt: this.epochStart,
      endsAt: this.epochEnd,
      fluffMode: this.fluffMode,
      relays: [...this.relays],
      ownRelay: this.ownRelay,
      inbound: [...this.inbound.entries()],
    };
  }

  /**
   * A transaction this node created (wallet submit), already validated in full. Always stemmed:
   * never fluffed by its origin before the embargo, whatever the epoch's fluff decision.
   */
  onOwnTx(txid: string, bytes: Uint8Array): RouteOutcome {
    this.maybeRollEpoch();
    if (this.fluffed.has(txid) || this.stempool.has(txid)) return { action: "duplicate" };
    const added = this.hold(txid, bytes, true, undefined);
    if (added !== undefined) return added;
    const to = this.sendToRelay(txid, bytes, () => this.ownRelayPeer());
    if (to === undefined) {
      this.emit({ kind: "held", txid });
      return { action: "held" };
    }
    return { action: "stemmed", to };
  }

  /**
   * A stem transaction received from `from`, already validated in full by the node (an invalid
   * one must never reach here: it is rejected and the peer penalised).
   */
  onStemTx(from: PeerId, txid: string, bytes: Uint8Array): RouteOutcome {
    this.maybeRollEpoch();
    if (this.fluffed.has(txid)) return { action: "duplicate" };
    const held = this.stempool.get(txid);
    if (held !== undefined) {
      // It came back: a loop through this node. Our own tx gets one more try through the other
      // relay (an origin that fluffs would stand out to its neighbours); otherwise, or on a
      // second loop, fluff it so the loop ends here.
      if (held.own && !held.rerouted) {
        held.rerouted = true;
        const used = held.relayedTo;
        const to = this.sendToRelay(txid, held.bytes, () => this.relays.find((r) => r !== used));
        if (to !== undefined) return { action: "stemmed", to };
      }
      this.fluffNow(txid, "loop");
      return { action: "fluffed", reason: "loop" };
    }
    if (this.fluffMode) {
      this.publish(txid, bytes, "fluff-mode", false);
      return { action: "fluffed", reason: "fluff-mode" };
    }
    const added = this.hold(txid, bytes, false, from);
    if (added !== undefined) return added;
    const to = this.sendToRelay(txid, bytes, () => this.relayFor(from));
    if (to === undefined) {
      this.fluffNow(txid, "no-relay");
      return { action: "fluffed", reason: "no-relay" };
    }
    return { action: "stemmed", to };
  }

  /** The tx was seen fluffed (gossip) or included in a block: cancel its embargo, forget it. */
  onFluffSeen(txid: string): void {
    this.stempool.take(txid);
    this.remember(txid);
  }

  /** A peer connected; outbound ones may fill missing relay slots. */
  onPeerConnected(peer: PeerId): void {
    this.failed.delete(peer);
    if (this.relays.length >= this.params.stemRelays || this.relays.includes(peer)) return;
    if (!this.transport.outboundPeers().includes(peer)) return;
    this.relays.push(peer);
    this.ownRelay ??= peer;
  }

  /** A peer disconnected: if it was a relay, replace it and remap what pointed to it. */
  onPeerDisconnected(peer: PeerId): void {
    this.dropRelay(peer);
    this.inbound.delete(peer);
  }

  /**
   * Advances time: starts a new epoch when due, retries own txs still waiting for a relay, and
   * fluffs every stem tx whose embargo fired.
   */
  tick(now: number = this.clock()): void {
    if (now >= this.epochEnd) this.newEpoch(now);
    for (const e of this.stempool.unrelayed()) {
      if (e.deadline <= now) continue;
      this.sendToRelay(e.txid, e.bytes, () => (e.own ? this.ownRelayPeer() : this.relayFor(e.from ?? "")));
    }
    for (const e of this.stempool.due(now)) this.fluffNow(e.txid, "embargo");
  }

  /** The next time (ms) `tick` has work: the epoch end or the earliest embargo deadline. */
  nextDeadline(): number {
    const d = this.stempool.earliestDeadline();
    return d === undefined ? this.epochEnd : Math.min(d, this.epochEnd);
  }

  // ---- internals ----

  private maybeRollEpoch(): void {
    const now = this.clock();
    if (now >= this.epochEnd) this.newEpoch(now);
  }

  private newEpoch(now: number): void {
    this.epochIndex++;
    this.epochStart = now;
    this.epochEnd = now + this.params.epochMs + this.rng.next() * this.params.epochJitterMs;
    this.fluffMode = this.rng.next() < this.params.fluffProbability;
    this.relays = shuffled(this.rng, this.transport.outboundPeers()).slice(0, this.params.stemRelays);
    this.ownRelay = this.relays.length > 0 ? this.relays[randomIndex(this.rng, this.relays.length)] : undefined;
    this.inbound = new Map();
    this.failed = new Set();
    this.emit({ kind: "epoch", index: this.epochIndex, at: now, fluffMode: this.fluffMode, relays: [...this.relays] });
  }

  /** Tops the relay set up from outbound peers not yet used (after a failure or at start). */
  private refillRelays(): void {
    if (this.relays.length >= this.params.stemRelays) return;
    const candidates = this.transport.outboundPeers().filter((p) => !this.relays.includes(p) && !this.failed.has(p));
    for (const p of shuffled(this.rng, candidates)) {
      if (this.relays.length >= this.params.stemRelays) break;
      this.relays.push(p);
    }
  }

  private ownRelayPeer(): PeerId | undefined {
    if (this.ownRelay !== undefined && this.relays.includes(this.ownRelay)) return this.ownRelay;
    this.refillRelays();
    this.ownRelay = this.relays.length > 0 ? this.relays[randomIndex(this.rng, this.relays.length)] : undefined;
    return this.ownRelay;
  }

  /** The relay for txs arriving from `from`: fixed for the epoch once assigned. */
  private relayFor(from: PeerId): PeerId | undefined {
    const mapped = this.inbound.get(from);
    if (mapped !== undefined && this.relays.includes(mapped)) return mapped;
    this.refillRelays();
    if (this.relays.length === 0) return undefined;
    // One-to-one as far as possible: the relay with the fewest inbound peers mapped to it.
    const load = new Map<PeerId, number>(this.relays.map((r) => [r, 0]));
    for (const r of this.inbound.values()) if (load.has(r)) load.set(r, (load.get(r) ?? 0) + 1);
    const min = Math.min(...load.values());
    const least = this.relays.filter((r) => load.get(r) === min);
    const pick = least[randomIndex(this.rng, least.length)] as PeerId;
    this.inbound.set(from, pick);
    return pick;
  }

  private dropRelay(peer: PeerId): void {
    const i = this.relays.indexOf(peer);
    if (i < 0) return;
    this.relays.splice(i, 1);
    if (this.ownRelay === peer) this.ownRelay = undefined;
    for (const [from, r] of this.inbound) if (r === peer) this.inbound.delete(from);
    this.refillRelays();
  }

  /**
   * Sends to the relay `choose` returns; on failure drops that relay and tries another, at most
   * once per outbound peer. Returns the relay used, or undefined when none worked.
   */
  private sendToRelay(txid: string, bytes: Uint8Array, choose: () => PeerId | undefined): PeerId | undefined {
    const attempts = this.transport.outboundPeers().length + this.params.stemRelays;
    for (let i = 0; i <= attempts; i++) {
      const to = choose();
      if (to === undefined) return undefined;
      if (this.transport.sendStem(to, txid, bytes)) {
        const e = this.stempool.get(txid);
        if (e !== undefined) e.relayedTo = to;
        this.emit({ kind: "stem", txid, to, own: e?.own ?? false });
        return to;
      }
      this.emit({ kind: "relay-failed", peer: to });
      this.failed.add(to);
      this.dropRelay(to);
    }
    return undefined;
  }

  /** Puts a tx in the stempool with a fresh embargo; returns an outcome only on refusal. */
  private hold(txid: string, bytes: Uint8Array, own: boolean, from: PeerId | undefined): RouteOutcome | undefined {
    const now = this.clock();
    const deadline = now + Math.min(sampleExponential(this.rng, this.params.embargoMeanMs), this.params.embargoMaxMs);
    const entry = { txid, bytes, own, addedAt: now, deadline, ...(from !== undefined ? { from } : {}) };
    let r = this.stempool.add(entry);
    while (!r.ok && r.code === "STEMPOOL_FULL") {
      const victim = this.stempool.evictionCandidate();
      if (victim === undefined) break;
      this.fluffNow(victim.txid, "stempool-full");
      r = this.stempool.add(entry);
    }
    if (r.ok) return undefined;
    if (r.code === "STEMPOOL_DUPLICATE") return { action: "duplicate" };
    return { action: "rejected", code: r.code, reason: r.reason };
  }

  private fluffNow(txid: string, reason: FluffReason): void {
    const e = this.stempool.take(txid);
    if (e === undefined) return;
    this.publish(txid, e.bytes, reason, e.own);
  }

  private publish(txid: string, bytes: Uint8Array, reason: FluffReason, own: boolean): void {
    this.remember(txid);
    this.emit({ kind: "fluff", txid, reason, own });
    this.transport.fluff(txid, bytes);
  }

  private remember(txid: string): void {
    if (this.fluffed.has(txid)) return;
    this.fluffed.add(txid);
    if (this.fluffed.size > this.params.fluffedMemory) {
      const oldest = this.fluffed.values().next().value;
      if (oldest !== undefined) this.fluffed.delete(oldest);
    }
  }
}
