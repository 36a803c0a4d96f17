/**
 * The application peer-score table (docs/p2p.md §Scoring): every peer starts at 0; each REJECT
 * subtracts `rejectPenalty`; at or below `banThreshold` the peer is banned for `banMs`
 * (the caller disconnects it and the connection gater refuses it until then). Scores recover
 * towards 0 by 1 point per whole minute so that a rare false positive is forgotten. IGNORE costs
 * nothing. Sizes are bounded: at most 10 000 peers are remembered (oldest dropped first).
 * @module
 */
import type { BanInfo, P2PLimits, PeerId } from "./types.ts";

const MAX_ENTRIES = 10_000;
/** Scores recover 1 point per whole minute without REJECTs. */
const DECAY_MS = 60_000;

/** Resolved scoring limits. */
export interface ScoreLimits {
  banThreshold: number;
  banMs: number;
  rejectPenalty: number;
}

/** Defaults: −100 threshold, 10-minute bans, 25 points per REJECT (the 4th REJECT bans). */
export function scoreLimits(l: P2PLimits = {}): ScoreLimits {
  return { banThreshold: l.banThreshold ?? -100, banMs: l.banMs ?? 600_000, rejectPenalty: l.rejectPenalty ?? 25 };
}

/** Score table plus ban list. `now` is injectable for tests. */
export class Scores {
  readonly limits: ScoreLimits;
  readonly #score = new Map<PeerId, { v: number; at: number }>();
  readonly #bans = new Map<PeerId, BanInfo>();
  readonly #now: () => number;

  constructor(limits: P2PLimits = {}, now: () => number = Date.now) {
    this.limits = scoreLimits(limits);
    this.#now = now;
  }
  /** Current score (≤ 0), decayed towards 0. */
  get(peer: PeerId): number {
    const s = this.#score.get(peer);
    if (s === undefined) return 0;
    return Math.min(0, s.v + Math.floor((this.#now() - s.at) / DECAY_MS));
  }
  /** Subtracts one REJECT penalty; returns the new ban if the peer crossed the threshold. */
  penalise(peer: PeerId, reason: string): BanInfo | undefined {
    const v = this.get(peer) - this.limits.rejectPenalty;
    this.#score.delete(peer);
    this.#score.set(peer, { v, at: this.#now() });
    if (this.#score.size > MAX_ENTRIES) this.#score.delete(this.#score.keys().next().value as PeerId);
    if (v > this.limits.banThreshold || this.banned(peer)) return undefined;
    const ban: BanInfo = { id: peer, until: this.#now() + this.limits.banMs, reason };
    this.#bans.set(peer, ban);
    if (this.#bans.size > MAX_ENTRIES) this.#bans.delete(this.#bans.keys().next().value as PeerId);
    this.#score.delete(peer);
    return ban;
  }
  /** Whether the peer is banned now (expired bans are removed). */
  banned(peer: PeerId): boolean {
    const b = this.#bans.get(peer);
    if (b === undefined) return false;
    if (b.until > this.#now()) return true;
    this.#bans.delete(peer);
    return false;
  }
  /** Active bans. */
  bans(): BanInfo[] {
    return [...this.#bans.keys()].filter((p) => this.banned(p)).map((p) => this.#bans.get(p) as BanInfo);
  }
}
