/**
 * The `unbond` gossip topic (docs/consensus.md §4.4, docs/p2p.md §Topics): signed unbond
 * requests travel between nodes like transactions and evidence, so whichever validator's miner
 * proposes next includes it, wherever it was submitted (CometBFT's staking messages are plain
 * mempool transactions; here they are a body entry of their own).
 *
 * Payload: exactly the 169 wire bytes of the request, the same bytes as its entry in a block body
 * (`encodeUnbond`, docs/protocol.md §10.3); the request's hash is its staking-root leaf
 * `unbondLeafHash` = `h32("BAIOS/v1/unbond-leaf", those bytes)`. No Dandelion++: the request
 * names and is signed by the validator's public key, so there is no sender to hide.
 *
 * A received request, in this order (cheapest first):
 * 1. not 169 bytes, undecodable → REJECT `BLOCK_MALFORMED`;
 * 2. hash already seen (admitted, or refused for good) → IGNORE, nothing else done;
 * 3. over the sender's rate ({@link UNBOND_PEER_RATE}: 32 at once, then 1 per second) → IGNORE;
 * 4. `checkUnbonds` (amount, points, Ed25519 signature) → REJECT `BLOCK_UNBOND_INVALID`; the
 *    ConsensusError code and reason go with the penalty (the ban reason names them);
 * 5. the pool's state checks on the tip (`UnbondPool.addVerified`: `STAKE_*`, pool full) →
 *    IGNORE: a peer at another tip may rightly see it apply (e.g. it already saw the bond, or not
 *    yet the block that included it), so it is dropped and not relayed but not held against the
 *    sender; `false` (the same one-time key pooled) → IGNORE;
 * 6. otherwise pooled → ACCEPT: gossipsub relays it to the node's other peers.
 *
 * Requests submitted at this node (`submit_unbond`) are published at once and again every
 * {@link UNBOND_REANNOUNCE_MS} while still pooled (a node that had no subscribed peer at the time,
 * or whose peers were at another tip, still gets it out; like a wallet's rebroadcast).
 *
 * @module
 */
import type { ReasonedVerdict, TopicSpec, Verdict } from "@baios/p2p";
import { UNBOND_BYTES, checkUnbonds, decodeUnbond, encodeUnbond, isConsensusError, toHex, unbondLeafHash, type StakingState, type Unbond } from "@baios/consensus";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../log.ts";
import { PeerRate, type PeerRateLimits } from "../net/peer-rate.ts";
import { MAX_POOLED_UNBONDS, type UnbondPool } from "./unbond-pool.ts";

/** Topic name; wire id `/baios/<chainIdHex>/unbond/1`. */
export const UNBOND_TOPIC = "unbond";
/** Request hashes remembered for dedupe (oldest forgotten first). */
export const UNBOND_SEEN_MAX = 4096;
/** Per-peer rate of the topic: a burst of 32, then 1 request per second; 1024 peers tracked. */
export const UNBOND_PEER_RATE: PeerRateLimits = { burst: 32, perSecond: 1, maxPeers: 1024 };

/** Re-announce period of own requests, ms: just over gossipsub's 2-minute seen-cache TTL, which swallows an earlier re-send as a duplicate. */
export const UNBOND_REANNOUNCE_MS = 125_000;

/** Outcome labels of `baios_unbond_gossip_total`. */
export type UnbondGossipResult = "accepted" | "duplicate" | "rate_limited" | "rejected" | "not_applicable";

/** What {@link UnbondRelay} needs. */
export interface UnbondRelayOptions {
  pool: UnbondPool;
  /** The staking state after the tip (the executor's). */
  state: () => StakingState;
  chainId: number;
  /** Rate limits (default {@link UNBOND_PEER_RATE}). */
  rate?: PeerRateLimits;
  /** Re-announce period of own requests, ms (default {@link UNBOND_REANNOUNCE_MS}). */
  reannounceMs?: number;
  now?: () => number;
  /** Registers `baios_unbond_gossip_total{result,code}` here. */
  registry?: Registry;
  log?: Logger;
}

/** See the module docs. */
export class UnbondRelay {
  /** Counts by outcome since start (tests, status). */
  readonly stats: Record<UnbondGossipResult, number> = { accepted: 0, duplicate: 0, rate_limited: 0, rejected: 0, not_applicable: 0 };
  readonly #o: UnbondRelayOptions;
  /** Request hashes (hex) admitted or refused for good, in insertion order. */
  readonly #seen = new Set<string>();
  readonly #rate: PeerRate;
  readonly #counter: Counter<"result" | "code"> | undefined;
  /** Gossips one request (set when the network starts). */
  #publish: ((bytes: Uint8Array) => Promise<unknown>) | undefined;
  /** Own requests (by one-time key hex) to re-announce while pooled. */
  readonly #own = new Map<string, Unbond>();
  #timer: NodeJS.Timeout | undefined;

  constructor(o: UnbondRelayOptions) {
    this.#o = o;
    this.#rate = new PeerRate(o.rate ?? UNBOND_PEER_RATE, o.now);
    const name = "baios_unbond_gossip_total";
    const reg = o.registry;
    this.#counter =
      reg === undefined
        ? undefined
        : ((reg.getSingleMetric(name) as Counter<"result" | "code"> | undefined) ??
          new Counter({ name, help: "Unbond requests received on the unbond gossip topic, by outcome (accepted|duplicate|rate_limited|rejected|not_applicable) and ConsensusError code", labelNames: ["result", "code"], registers: [reg] }));
  }

  /** The topic spec (register it on the p2p node before it starts). */
  topic(): TopicSpec {
    return { name: UNBOND_TOPIC, maxBytes: UNBOND_BYTES, validate: (bytes, from) => this.onGossip(bytes, from) };
  }

  /**
   * Starts relaying: `publish` sends the request's bytes on the topic. Requests pooled before
   * (e.g. `submit_unbond` while the network was coming up) are announced now.
   */
  setPublisher(publish: (bytes: Uint8Array) => Promise<unknown>): void {
    this.#publish = publish;
    for (const u of this.#o.pool.all()) this.#announce(u);
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#reannounce(), this.#o.reannounceMs ?? UNBOND_REANNOUNCE_MS);
    this.#timer.unref();
  }

  /** Stops the re-announce timer and relaying of own requests. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#publish = undefined;
  }

  #reannounce(): void {
    const pooled = new Set(this.#o.pool.all().map((u) => toHex(u.oneTimeKey)));
    for (const [k, u] of this.#own) {
      if (pooled.has(k)) this.#announce(u);
      else this.#own.delete(k);
    }
  }

  /**
   * `submit_unbond` on this node: admits the request to the pool (all checks) and gossips it.
   * @returns false when the same one-time key is already pooled (then nothing is sent)
   * @throws ConsensusError `BLOCK_UNBOND_INVALID`, `STAKE_*` (unbond-pool.ts)
   */
  submitOwn(u: Unbond): boolean {
    if (!this.#o.pool.add(u, this.#o.state(), this.#o.chainId)) return false;
    this.#remember(toHex(unbondLeafHash(u)));
    this.#own.set(toHex(u.oneTimeKey), u);
    if (this.#own.size > MAX_POOLED_UNBONDS) this.#own.delete(this.#own.keys().next().value as string);
    this.#announce(u);
    return true;
  }

  /** The topic validator (see the module docs for the order of the checks). Never throws. */
  async onGossip(bytes: Uint8Array, from: string): Promise<Verdict | ReasonedVerdict> {
    let u: Unbond;
    try {
      u = decodeUnbond(bytes);
    } catch (e) {
      return this.#refuse(undefined, e, from);
    }
    const h = toHex(unbondLeafHash(u));
    if (this.#seen.has(h)) return this.#count("duplicate", "IGNORE");
    if (!this.#rate.take(from)) return this.#count("rate_limited", "IGNORE");
    try {
      checkUnbonds([u], this.#o.chainId);
    } catch (e) {
      return this.#refuse(h, e, from);
    }
    try {
      if (!this.#o.pool.addVerified(u, this.#o.state())) {
        this.#remember(h);
        return this.#count("duplicate", "IGNORE");
      }
    } catch (e) {
      const code = isConsensusError(e) ? e.code : "INTERNAL";
      this.#o.log?.debug({ code, peer: from, validator: toHex(u.validator) }, "gossiped unbond does not apply on the tip");
      return this.#count("not_applicable", "IGNORE", code);
    }
    this.#remember(h);
    this.#o.log?.info({ validator: toHex(u.validator), amount: u.amount.toString(), peer: from }, "unbond request from a peer pooled");
    return this.#count("accepted", "ACCEPT");
  }

  /** A request that can never become valid: REJECT with its ConsensusError code (anything else: IGNORE). */
  #refuse(h: string | undefined, e: unknown, from: string): ReasonedVerdict {
    if (h !== undefined) this.#remember(h);
    if (!isConsensusError(e)) {
      this.#count("rejected", "IGNORE", "INTERNAL");
      return { verdict: "IGNORE", reason: e instanceof Error ? e.message : String(e) };
    }
    this.#o.log?.debug({ code: e.code, reason: e.reason, peer: from }, "invalid unbond request from a peer");
    this.#count("rejected", e.action, e.code);
    return { verdict: e.action, reason: `${e.code}: ${e.reason}` };
  }

  #count(result: UnbondGossipResult, v: Verdict, code = ""): Verdict {
    this.stats[result]++;
    this.#counter?.inc({ result, code });
    return v;
  }

  #remember(h: string): void {
    this.#seen.add(h);
    if (this.#seen.size > UNBOND_SEEN_MAX) this.#seen.delete(this.#seen.keys().next().value as string);
  }

  #announce(u: Unbond): void {
    const publish = this.#publish;
    if (publish === undefined) return;
    void publish(encodeUnbond(u)).catch((e: unknown) => this.#o.log?.debug({ err: e instanceof Error ? e.message : String(e) }, "unbond publish failed"));
  }
}
