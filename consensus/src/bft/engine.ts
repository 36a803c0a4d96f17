/**
 * The Tendermint BFT engine as a pure state machine (docs/consensus.md §2): Algorithm 1 of
 * E. Buchman, J. Kwon, Z. Milosevic, "The latest gossip on BFT consensus" (2018), **[LG]**, with
 * votes weighted by stake. `handle(event)` returns the effects to carry out; the engine does no
 * I/O, reads no clock, draws no randomness and never awaits.
 *
 * Mapping to [LG] (line numbers of Algorithm 1):
 * - `StartRound` (l. 11–21): the proposer signs its `validValue` with `polRound = validRound`, or
 *   emits `requestValue` and proposes the driver's `value` answer with `polRound = −1`. Every
 *   process (the proposer too, since it may wait for a value) schedules `timeoutPropose(r)`.
 * - `valid(v)` is the driver's answer: a `validate` effect is emitted once per block hash and
 *   height (the proposer's own value included); no rule that needs `valid(v)` fires before the
 *   `validated` event arrives.
 * - l. 22/28 prevote, l. 34 prevote timeout, l. 36 lock + validValue, l. 44 nil precommit,
 *   l. 47 precommit timeout, l. 49 commit (any round, needs the proposal, > 2/3 precommits and
 *   `valid(v)`), l. 55 round skip on messages of a higher round from validators holding > 1/3
 *   of the stake, l. 57–66 timeouts.
 * - "2f+1" = stake `x` with `3x > 2·total` ({@link hasQuorum}); "f+1" = `3x > total`.
 *
 * Heights: after `commit`, the engine waits for `start(h+1)` (the driver applies the block and
 * supplies the next validator set). Messages for `h+1` are buffered and replayed on start;
 * older ones are dropped, except precommits for the just-committed height, which keep
 * extending {@link TendermintEngine.committedPrecommits} (the next block's lastCertificate).
 *
 * Signatures are verified by the driver before events reach the engine; the engine checks
 * membership, the proposer schedule and field rules, and throws a {@link ConsensusError}
 * (`BFT_*`) before changing any state when an event breaks them.
 * @module
 */
import { equalBytes, toHex, ZERO_HASH } from "../encoding/bytes.ts";
import { ConsensusError } from "../errors.ts";
import { certificateFromVotes, hasQuorum, type SignedVote, type ValidatorSet } from "../engine.ts";
import type { FinalityCertificate } from "../types.ts";
import { duplicateVoteEvidence } from "./evidence.ts";
import { checkProposalFields } from "./proposal.ts";
import { proposerFor } from "./proposer.ts";
import { DEFAULT_BFT_TIMEOUTS, timeoutMs, type BftTimeouts } from "./timeouts.ts";
import { NO_POL_ROUND, type BftEffect, type BftEvent, type BftStep, type SignedProposal } from "./types.ts";
import { VoteSet } from "./votes.ts";

/** Options of {@link TendermintEngine}. */
export interface TendermintOptions {
  /** Chain id (u32), copied into evidence votes. */
  chainId: number;
  /** Timeouts (ms); missing fields take {@link DEFAULT_BFT_TIMEOUTS}. */
  timeouts?: Partial<BftTimeouts>;
  /** Rounds above the current one in which one validator's messages are kept (default 4); bounds memory against a validator spraying future rounds. */
  maxFutureRoundsPerValidator?: number;
  /** Messages for the next height kept until it starts (default 10 000); later ones are dropped. */
  maxBufferedMessages?: number;
  /** Distinct block hashes kept per validator per (round, kind) (default 4; see `VoteSet`). */
  maxVotesPerValidator?: number;
  /** Distinct proposals kept per round from the scheduled proposer (default 4). */
  maxProposalsPerRound?: number;
}

/** The decision of a height. */
export interface BftDecision {
  height: bigint;
  round: number;
  blockHash: Uint8Array;
}

interface RoundState {
  proposals: SignedProposal[];
  prevotes: VoteSet;
  precommits: VoteSet;
  /** Validators with any message in this round ([LG] l. 55), and their stake. */
  senders: Set<string>;
  senderStake: bigint;
  /** [LG] "for the first time" flags: l. 34, l. 47, l. 36. */
  prevoteWait: boolean;
  precommitWait: boolean;
  polka: boolean;
}

interface HeightState {
  height: bigint;
  set: ValidatorSet;
  setStartHeight: bigint;
  stakeOf: Map<string, bigint>;
  /** Hex key of the local validator, when it is in the set. */
  local: string | undefined;
  round: number;
  step: BftStep;
  lockedValue: Uint8Array | null;
  lockedRound: number;
  validValue: Uint8Array | null;
  validRound: number;
  rounds: Map<number, RoundState>;
  /** valid(v) per block hash: true/false once `validated`, null while asked. */
  validity: Map<string, boolean | null>;
  decision: { round: number; blockHash: Uint8Array } | null;
  /** The last round in which this process signed a proposal (−1: none). */
  proposedRound: number;
  /** Per validator, the future rounds it has been admitted to (see maxFutureRoundsPerValidator). */
  futureRounds: Map<string, Set<number>>;
}

type Buffered = { type: "proposal"; proposal: SignedProposal } | { type: "vote"; vote: SignedVote };

const NIL = ZERO_HASH;
/** f+1 by stake: `3x > total`. */
const hasOneThird = (x: bigint, total: bigint): boolean => 3n * x > total;
const isU32 = (r: number): boolean => Number.isInteger(r) && r >= 0 && r <= 0xffff_ffff;

/**
 * Tendermint consensus for one validator (or an observer without a key), one height at a time.
 * Drive it with {@link TendermintEngine.handle}; carry out the returned effects in order.
 */
export class TendermintEngine {
  readonly chainId: number;
  private readonly timeouts: BftTimeouts;
  private readonly maxFutureRounds: number;
  private readonly maxBuffered: number;
  private readonly maxVotes: number;
  private readonly maxProposals: number;
  private cur: HeightState | undefined;
  private prev: HeightState | undefined;
  private buffer: Buffered[] = [];

  constructor(opts: TendermintOptions) {
    this.chainId = opts.chainId;
    this.timeouts = { ...DEFAULT_BFT_TIMEOUTS, ...(opts.timeouts ?? {}) };
    for (const step of ["propose", "prevote", "precommit"] as const) timeoutMs(this.timeouts, step, 0);
    this.maxFutureRounds = opts.maxFutureRoundsPerValidator ?? 4;
    this.maxBuffered = opts.maxBufferedMessages ?? 10_000;
    this.maxVotes = Math.max(1, opts.maxVotesPerValidator ?? 4);
    this.maxProposals = Math.max(1, opts.maxProposalsPerRound ?? 4);
  }

  // ---------------------------------------------------------------- read-only view

  /** Current height (u64), or undefined before the first start. */
  get height(): bigint | undefined {
    return this.cur?.height;
  }
  /** Current round. */
  get round(): number {
    return this.cur?.round ?? 0;
  }
  /** Current step. */
  get step(): BftStep {
    return this.cur?.step ?? "propose";
  }
  /** [LG] lockedRound_p (−1: none). */
  get lockedRound(): number {
    return this.cur?.lockedRound ?? -1;
  }
  /** [LG] lockedValue_p (a copy; null: none). */
  get lockedValue(): Uint8Array | null {
    return this.cur?.lockedValue?.slice() ?? null;
  }
  /** [LG] validRound_p (−1: none). */
  get validRound(): number {
    return this.cur?.validRound ?? -1;
  }
  /** [LG] validValue_p (a copy; null: none). */
  get validValue(): Uint8Array | null {
    return this.cur?.validValue?.slice() ?? null;
  }
  /** The decision of the current height, once committed. */
  get decision(): BftDecision | undefined {
    const s = this.cur;
    return s?.decision ? { height: s.height, round: s.decision.round, blockHash: s.decision.blockHash.slice() } : undefined;
  }

  /**
   * The precommits for the last decided block (its height, decision round and hash), including
   * the "extra" ones that arrived after the commit, one per validator in arrival order: the
   * material of the next block's lastCertificate. Empty before the first commit.
   */
  committedPrecommits(): SignedVote[] {
    const s = this.cur?.decision ? this.cur : this.prev?.decision ? this.prev : undefined;
    if (s?.decision == null) return [];
    return s.rounds.get(s.decision.round)?.precommits.votesFor(s.decision.blockHash) ?? [];
  }

  /** {@link committedPrecommits} as a finality certificate (`certificateFromVotes`), or undefined before the first commit. */
  lastCertificate(): FinalityCertificate | undefined {
    const s = this.cur?.decision ? this.cur : this.prev?.decision ? this.prev : undefined;
    if (s?.decision == null) return undefined;
    return certificateFromVotes(s.height, s.decision.round, s.decision.blockHash, this.committedPrecommits());
  }

  // ---------------------------------------------------------------- events

  /**
   * Handles one event and returns the effects, in order.
   * @throws ConsensusError `BFT_NOT_STARTED` (any event before `start`), `BFT_BAD_START`,
   *   `BFT_MALFORMED`, `BFT_UNKNOWN_VALIDATOR`, `BFT_WRONG_PROPOSER`, `BFT_BAD_POL_ROUND`,
   *   `BFT_NIL_PROPOSAL`; the state is unchanged when it throws
   */
  handle(event: BftEvent): BftEffect[] {
    const fx: BftEffect[] = [];
    if (event.type === "start") {
      this.onStart(event, fx);
      return fx;
    }
    if (this.cur === undefined) throw new ConsensusError("BFT_NOT_STARTED", `${event.type} event before start`);
    switch (event.type) {
      case "proposal":
        this.onProposal(event.proposal, fx);
        break;
      case "vote":
        this.onVote(event.vote, fx);
        break;
      case "timeout":
        this.onTimeout(event.height, event.round, event.step, fx);
        break;
      case "validated":
        this.onValidated(event.height, event.blockHash, event.valid, fx);
        break;
      case "value":
        this.onValue(event.height, event.round, event.blockHash, fx);
        break;
    }
    return fx;
  }

  private onStart(e: Extract<BftEvent, { type: "start" }>, fx: BftEffect[]): void {
    if (this.cur !== undefined && e.height <= this.cur.height) throw new ConsensusError("BFT_BAD_START", `start(${e.height}) not above the current height ${this.cur.height}`);
    if (e.setStartHeight > e.height) throw new ConsensusError("BFT_BAD_START", `setStartHeight ${e.setStartHeight} above height ${e.height}`);
    if (e.localKey !== undefined && e.localKey.length !== 32) throw new ConsensusError("BFT_BAD_START", "localKey must be 32 bytes");
    const stakeOf = new Map(e.validatorSet.validators.map((v) => [toHex(v.publicKey), v.stake]));
    const localHex = e.localKey === undefined ? undefined : toHex(e.localKey);
    this.prev = this.cur !== undefined && this.cur.height + 1n === e.height ? this.cur : undefined;
    this.cur = {
      height: e.height,
      set: e.validatorSet,
      setStartHeight: e.setStartHeight,
      stakeOf,
      local: localHex !== undefined && stakeOf.has(localHex) ? localHex : undefined,
      round: 0,
      step: "propose",
      lockedValue: null,
      lockedRound: -1,
      validValue: null,
      validRound: -1,
      rounds: new Map(),
      validity: new Map(),
      decision: null,
      proposedRound: -1,
      futureRounds: new Map(),
    };
    this.startRound(this.cur, 0, fx);
    const replay = this.buffer.filter((m) => (m.type === "vote" ? m.vote.height : m.proposal.height) === e.height);
    this.buffer = [];
    for (const m of replay) {
      try {
        if (m.type === "vote") this.onVote(m.vote, fx);
        else this.onProposal(m.proposal, fx);
      } catch (err) {
        if (!(err instanceof ConsensusError)) throw err;
      }
    }
    this.evaluate(fx);
  }

  private bufferMessage(m: Buffered): void {
    if (this.buffer.length < this.maxBuffered) this.buffer.push(m);
  }

  private onProposal(p: SignedProposal, fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    checkProposalFields(p);
    if (p.proposer.length !== 32 || p.signature.length !== 64) throw new ConsensusError("BFT_MALFORMED", "proposer key must be 32 bytes, signature 64");
    if (p.height === s.height + 1n) return this.bufferMessage({ type: "proposal", proposal: p });
    if (p.height !== s.height) return;
    const who = toHex(p.proposer);
    const stake = s.stakeOf.get(who);
    if (stake === undefined) throw new ConsensusError("BFT_UNKNOWN_VALIDATOR", `proposal by ${who.slice(0, 16)}…, not in the set of height ${s.height}`);
    const expected = proposerFor(s.set, s.height - s.setStartHeight, p.round).publicKey;
    if (!equalBytes(expected, p.proposer)) throw new ConsensusError("BFT_WRONG_PROPOSER", `proposal (${p.height}, ${p.round}) by ${who.slice(0, 16)}…, scheduled ${toHex(expected).slice(0, 16)}…`);
    if (s.decision !== null || !this.admitRound(s, who, p.round)) return;
    const rs = this.roundState(s, p.round);
    if (rs.proposals.some((q) => q.polRound === p.polRound && equalBytes(q.blockHash, p.blockHash))) return;
    if (rs.proposals.length >= this.maxProposals) return;
    rs.proposals.push(p);
    this.addSender(rs, who, stake);
    const hex = toHex(p.blockHash);
    if (!s.validity.has(hex)) {
      s.validity.set(hex, null);
      fx.push({ type: "validate", height: s.height, round: p.round, blockHash: p.blockHash.slice() });
    }
    this.evaluate(fx);
  }

  private onVote(v: SignedVote, fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    if ((v.kind !== "prevote" && v.kind !== "precommit") || typeof v.height !== "bigint" || !isU32(v.round) || v.blockHash.length !== 32 || v.validator.length !== 32 || v.signature.length !== 64) {
      throw new ConsensusError("BFT_MALFORMED", "vote: kind, u64 height, u32 round, 32-byte hash and key, 64-byte signature required");
    }
    if (v.height === s.height + 1n) return this.bufferMessage({ type: "vote", vote: v });
    let target: HeightState;
    if (v.height === s.height) target = s;
    else if (this.prev !== undefined && v.height === this.prev.height && v.kind === "precommit") target = this.prev;
    else return;
    const who = toHex(v.validator);
    const stake = target.stakeOf.get(who);
    if (stake === undefined) throw new ConsensusError("BFT_UNKNOWN_VALIDATOR", `${v.kind} by ${who.slice(0, 16)}…, not in the set of height ${v.height}`);
    if (target === s) {
      if (!this.admitRound(s, who, v.round)) return;
    } else if (v.round > Math.max(target.round, target.decision?.round ?? 0)) return;
    const rs = this.roundState(target, v.round);
    const res = (v.kind === "prevote" ? rs.prevotes : rs.precommits).add(v, stake, this.maxVotes);
    for (const c of res.conflicts) fx.push({ type: "evidence", evidence: duplicateVoteEvidence(this.chainId, c, v) });
    if (!res.added) return;
    this.addSender(rs, who, stake);
    if (target === s) this.evaluate(fx);
  }

  private onTimeout(height: bigint, round: number, step: BftStep, fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    if (height !== s.height || round !== s.round || s.decision !== null) return;
    if (step === "propose" && s.step === "propose") this.prevote(s, NIL, fx); // l. 57
    else if (step === "prevote" && s.step === "prevote") this.precommit(s, NIL, fx); // l. 61
    else if (step === "precommit") this.startRound(s, round + 1, fx); // l. 65
    this.evaluate(fx);
  }

  private onValidated(height: bigint, blockHash: Uint8Array, valid: boolean, fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    if (height !== s.height) return;
    const hex = toHex(blockHash);
    if (typeof s.validity.get(hex) === "boolean") return;
    s.validity.set(hex, valid);
    this.evaluate(fx);
  }

  private onValue(height: bigint, round: number, blockHash: Uint8Array, fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    if (blockHash.length !== 32) throw new ConsensusError("BFT_MALFORMED", "value must be a 32-byte block hash");
    if (equalBytes(blockHash, NIL)) throw new ConsensusError("BFT_NIL_PROPOSAL", "value is the nil block hash");
    if (height !== s.height || round !== s.round || s.step !== "propose" || s.decision !== null) return;
    if (!this.isProposer(s, round) || s.proposedRound === round || s.validValue !== null) return;
    this.propose(s, blockHash, NO_POL_ROUND, fx);
    this.evaluate(fx);
  }

  // ---------------------------------------------------------------- rules

  /** Re-checks every upon-rule until none fires (each firing changes state, so this ends). */
  private evaluate(fx: BftEffect[]): void {
    const s = this.cur as HeightState;
    while (s.decision === null) {
      if (this.tryCommit(s, fx)) return;
      if (this.tryRoundSkip(s, fx)) continue;
      if (this.tryCurrentRound(s, fx)) continue;
      return;
    }
  }

  /** [LG] l. 49: a proposal of round r, > 2/3 precommits for its value in r, and valid(v). */
  private tryCommit(s: HeightState, fx: BftEffect[]): boolean {
    for (const [r, rs] of s.rounds) {
      for (const p of rs.proposals) {
        if (!hasQuorum(rs.precommits.stakeFor(p.blockHash), s.set.totalStake)) continue;
        if (s.validity.get(toHex(p.blockHash)) !== true) continue;
        s.decision = { round: r, blockHash: p.blockHash.slice() };
        const certificate = certificateFromVotes(s.height, r, p.blockHash, rs.precommits.votesFor(p.blockHash));
        fx.push({ type: "commit", height: s.height, round: r, blockHash: p.blockHash.slice(), certificate });
        return true;
      }
    }
    return false;
  }

  /** [LG] l. 55: messages of a round above the current one from validators holding > 1/3 of the stake. */
  private tryRoundSkip(s: HeightState, fx: BftEffect[]): boolean {
    let target = -1;
    for (const [r, rs] of s.rounds) if (r > s.round && r > target && hasOneThird(rs.senderStake, s.set.totalStake)) target = r;
    if (target < 0) return false;
    this.startRound(s, target, fx);
    return true;
  }

  /** The rules of the current round: [LG] l. 22, 28, 34, 36, 44, 47. */
  private tryCurrentRound(s: HeightState, fx: BftEffect[]): boolean {
    const total = s.set.totalStake;
    const rs = this.roundState(s, s.round);
    if (s.step === "propose") {
      for (const p of rs.proposals) {
        const valid = s.validity.get(toHex(p.blockHash));
        if (p.polRound === NO_POL_ROUND) {
          // l. 22
          if (typeof valid !== "boolean") continue;
          const ok = valid && (s.lockedRound === -1 || equalBytes(s.lockedValue as Uint8Array, p.blockHash));
          this.prevote(s, ok ? p.blockHash : NIL, fx);
          return true;
        }
        // l. 28: 0 ≤ vr < round (checked on arrival) and a polka for v in vr
        const pol = s.rounds.get(p.polRound);
        if (pol === undefined || !hasQuorum(pol.prevotes.stakeFor(p.blockHash), total)) continue;
        if (typeof valid !== "boolean") continue;
        const ok = valid && (s.lockedRound <= p.polRound || equalBytes(s.lockedValue as Uint8Array, p.blockHash));
        this.prevote(s, ok ? p.blockHash : NIL, fx);
        return true;
      }
      return false;
    }
    // l. 36 (step ≥ prevote, first time)
    if (!rs.polka) {
      for (const p of rs.proposals) {
        if (s.validity.get(toHex(p.blockHash)) !== true || !hasQuorum(rs.prevotes.stakeFor(p.blockHash), total)) continue;
        rs.polka = true;
        if (s.step === "prevote") {
          s.lockedValue = p.blockHash.slice();
          s.lockedRound = s.round;
          this.precommit(s, p.blockHash, fx);
        }
        s.validValue = p.blockHash.slice();
        s.validRound = s.round;
        return true;
      }
    }
    if (s.step === "prevote") {
      // l. 44
      if (hasQuorum(rs.prevotes.stakeFor(NIL), total)) {
        this.precommit(s, NIL, fx);
        return true;
      }
      // l. 34
      if (!rs.prevoteWait && hasQuorum(rs.prevotes.anyStake, total)) {
        rs.prevoteWait = true;
        fx.push({ type: "scheduleTimeout", height: s.height, round: s.round, step: "prevote", ms: timeoutMs(this.timeouts, "prevote", s.round) });
        return true;
      }
    }
    // l. 47
    if (!rs.precommitWait && hasQuorum(rs.precommits.anyStake, total)) {
      rs.precommitWait = true;
      fx.push({ type: "scheduleTimeout", height: s.height, round: s.round, step: "precommit", ms: timeoutMs(this.timeouts, "precommit", s.round) });
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- actions

  /** [LG] l. 11–21. */
  private startRound(s: HeightState, round: number, fx: BftEffect[]): void {
    s.round = round;
    s.step = "propose";
    if (this.isProposer(s, round)) {
      if (s.validValue !== null) this.propose(s, s.validValue, s.validRound, fx);
      else fx.push({ type: "requestValue", height: s.height, round });
    }
    fx.push({ type: "scheduleTimeout", height: s.height, round, step: "propose", ms: timeoutMs(this.timeouts, "propose", round) });
  }

  private propose(s: HeightState, blockHash: Uint8Array, polRound: number, fx: BftEffect[]): void {
    s.proposedRound = s.round;
    fx.push({ type: "sign", message: { type: "proposal", height: s.height, round: s.round, polRound, blockHash: blockHash.slice() } });
  }

  private prevote(s: HeightState, blockHash: Uint8Array, fx: BftEffect[]): void {
    s.step = "prevote";
    if (s.local !== undefined) fx.push({ type: "sign", message: { type: "vote", kind: "prevote", height: s.height, round: s.round, blockHash: blockHash.slice() } });
  }

  private precommit(s: HeightState, blockHash: Uint8Array, fx: BftEffect[]): void {
    s.step = "precommit";
    if (s.local !== undefined) fx.push({ type: "sign", message: { type: "vote", kind: "precommit", height: s.height, round: s.round, blockHash: blockHash.slice() } });
  }

  // ---------------------------------------------------------------- helpers

  private isProposer(s: HeightState, round: number): boolean {
    return s.local !== undefined && toHex(proposerFor(s.set, s.height - s.setStartHeight, round).publicKey) === s.local;
  }

  private roundState(s: HeightState, round: number): RoundState {
    let rs = s.rounds.get(round);
    if (rs === undefined) {
      rs = { proposals: [], prevotes: new VoteSet("prevote", round), precommits: new VoteSet("precommit", round), senders: new Set(), senderStake: 0n, prevoteWait: false, precommitWait: false, polka: false };
      s.rounds.set(round, rs);
    }
    return rs;
  }

  private addSender(rs: RoundState, who: string, stake: bigint): void {
    if (rs.senders.has(who)) return;
    rs.senders.add(who);
    rs.senderStake += stake;
  }

  /** Whether a message of `who` for `round` may be stored (future-round cap); records the round. */
  private admitRound(s: HeightState, who: string, round: number): boolean {
    if (round <= s.round) return true;
    let mine = s.futureRounds.get(who);
    if (mine === undefined) {
      mine = new Set();
      s.futureRounds.set(who, mine);
    }
    if (mine.has(round)) return true;
    let ahead = 0;
    for (const r of mine) if (r > s.round) ahead++;
    if (ahead >= this.maxFutureRounds) return false;
    mine.add(round);
    return true;
  }
}
