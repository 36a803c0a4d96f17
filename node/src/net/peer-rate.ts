/**
 * A per-peer token bucket (the classic leaky-bucket rate limit): each peer may send `burst`
 * messages at once and `perSecond` more every second after that. Used to bound how much
 * signature checking one peer can make this node do on a gossip topic (unbond-gossip.ts). At most
 * `maxPeers` buckets are kept (the least recently refilled is dropped first; a dropped peer
 * starts over with a full bucket, which only bounds memory, not the rate of peers that come back).
 * @module
 */

/** Limits of a {@link PeerRate}. */
export interface PeerRateLimits {
  /** Messages a peer may send at once (bucket size, ≥ 1). */
  burst: number;
  /** Tokens a peer regains per second (> 0). */
  perSecond: number;
  /** Buckets kept at most (peers tracked). */
  maxPeers: number;
}

/** See the module docs. `now` (Unix ms) is injectable for tests. */
export class PeerRate {
  readonly limits: PeerRateLimits;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  /** @throws RangeError on limits out of range */
  constructor(limits: PeerRateLimits, now: () => number = Date.now) {
    if (!(limits.burst >= 1 && limits.perSecond > 0 && limits.maxPeers >= 1)) throw new RangeError(`bad rate limits ${JSON.stringify(limits)}`);
    this.limits = limits;
    this.#now = now;
  }

  /** Takes one token of `peer`'s bucket; false (nothing taken) when it is empty. */
  take(peer: string): boolean {
    const now = this.#now();
    const b = this.#buckets.get(peer);
    const tokens = b === undefined ? this.limits.burst : Math.min(this.limits.burst, b.tokens + ((now - b.at) / 1000) * this.limits.perSecond);
    this.#buckets.delete(peer); // re-inserted last: the map stays in least-recently-used order
    if (this.#buckets.size >= this.limits.maxPeers) this.#buckets.delete(this.#buckets.keys().next().value as string);
    const ok = tokens >= 1;
    this.#buckets.set(peer, { tokens: ok ? tokens - 1 : tokens, at: now });
    return ok;
  }

  /** Peers tracked now. */
  get size(): number {
    return this.#buckets.size;
  }
}
