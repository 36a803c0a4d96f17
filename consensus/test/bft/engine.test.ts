/**
 * Rules of the Tendermint engine ([LG] Algorithm 1, src/bft/engine.ts), one scenario each:
 * validation before prevote, nil prevote on timeout, lock and polka rules, valid-value
 * reproposal, round skip by stake, commit, evidence, buffering, extra precommits, errors.
 */
import { describe, expect, it } from "vitest";
import { TendermintEngine } from "../../src/bft/engine.ts";
import type { BftEffect, BftEvent } from "../../src/bft/types.ts";
import { verifyDuplicateVote } from "../../src/bft/evidence.ts";
import { verifyFinalityCertificate } from "../../src/engine.ts";
import { toHex } from "../../src/encoding/bytes.ts";
import { isConsensusError } from "../../src/errors.ts";
import { CHAIN, hashOf, NIL, proposal, proposerOf, validators, vote, type Keyed } from "./fixtures.ts";

const T = { proposeBaseMs: 100, proposeDeltaMs: 10, prevoteBaseMs: 50, prevoteDeltaMs: 10, precommitBaseMs: 60, precommitDeltaMs: 10 };
const A = hashOf(0xaa);
const B = hashOf(0xbb);
const C = hashOf(0xcc);

/** Four validators of stake 1 (by default); `me` is the proposer of round 3 at height 1 (not of rounds 0–2), or `vals[meIndex]`. */
function setup(stakes: bigint[] = [1n, 1n, 1n, 1n], meIndex?: number) {
  const { vals, set } = validators(stakes);
  const me = meIndex === undefined ? proposerOf(vals, set, 1n, 3) : vals[meIndex]!;
  const others = vals.filter((v) => v !== me);
  const eng = new TendermintEngine({ chainId: CHAIN, timeouts: T });
  const start = eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n, localKey: me.key });
  const feed = (...events: BftEvent[]): BftEffect[] => events.flatMap((e) => eng.handle(e));
  const prop = (round: number, polRound: number, h: Uint8Array, height = 1n): BftEvent => ({ type: "proposal", proposal: proposal(proposerOf(vals, set, height, round), height, round, polRound, h) });
  const votes = (from: Keyed[], kind: "prevote" | "precommit", round: number, h: Uint8Array, height = 1n): BftEvent[] => from.map((v) => ({ type: "vote", vote: vote(v, kind, height, round, h) }));
  return { vals, set, me, others, eng, start, feed, prop, votes };
}

const signs = (fx: BftEffect[]) => fx.filter((f) => f.type === "sign").map((f) => (f.type === "sign" ? f.message : undefined)!);
const signed = (fx: BftEffect[]) => signs(fx).map((m) => (m.type === "vote" ? `${m.kind} ${m.round} ${toHex(m.blockHash).slice(0, 2)}` : `proposal ${m.round} ${m.polRound} ${toHex(m.blockHash).slice(0, 2)}`));
const of = <K extends BftEffect["type"]>(fx: BftEffect[], type: K) => fx.filter((f): f is Extract<BftEffect, { type: K }> => f.type === type);

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isConsensusError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe("propose step", () => {
  it("start schedules timeoutPropose(0); a proposal is validated before the prevote", () => {
    const { start, feed, prop, eng } = setup();
    expect(start).toEqual([{ type: "scheduleTimeout", height: 1n, round: 0, step: "propose", ms: 100 }]);
    const fx = feed(prop(0, -1, A));
    expect(fx).toEqual([{ type: "validate", height: 1n, round: 0, blockHash: A }]);
    expect(eng.step).toBe("propose");
    expect(signed(feed({ type: "validated", height: 1n, blockHash: A, valid: true }))).toEqual(["prevote 0 aa"]);
    expect(eng.step).toBe("prevote");
  });

  it("an invalid block gets a nil prevote", () => {
    const { feed, prop } = setup();
    feed(prop(0, -1, A));
    expect(signed(feed({ type: "validated", height: 1n, blockHash: A, valid: false }))).toEqual(["prevote 0 00"]);
  });

  it("timeoutPropose → nil prevote; stale or repeated timeouts do nothing", () => {
    const { feed, eng } = setup();
    expect(feed({ type: "timeout", height: 1n, round: 1, step: "propose" })).toEqual([]);
    expect(signed(feed({ type: "timeout", height: 1n, round: 0, step: "propose" }))).toEqual(["prevote 0 00"]);
    expect(feed({ type: "timeout", height: 1n, round: 0, step: "propose" })).toEqual([]);
    expect(eng.step).toBe("prevote");
  });

  it("the proposer asks for a value and proposes it with polRound −1, once", () => {
    const { vals, set } = validators([1n, 1n, 1n, 1n]);
    const p0 = proposerOf(vals, set, 1n, 0);
    const eng = new TendermintEngine({ chainId: CHAIN, timeouts: T });
    const fx = eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n, localKey: p0.key });
    expect(of(fx, "requestValue")).toEqual([{ type: "requestValue", height: 1n, round: 0 }]);
    expect(signed(eng.handle({ type: "value", height: 1n, round: 0, blockHash: A }))).toEqual(["proposal 0 -1 aa"]);
    expect(eng.handle({ type: "value", height: 1n, round: 0, blockHash: B })).toEqual([]);
    // its own proposal comes back: validated like any other before the prevote
    const back = eng.handle({ type: "proposal", proposal: proposal(p0, 1n, 0, -1, A) });
    expect(of(back, "validate")).toHaveLength(1);
    expect(signed(eng.handle({ type: "validated", height: 1n, blockHash: A, valid: true }))).toEqual(["prevote 0 aa"]);
  });
});

describe("locks and polkas", () => {
  /** Drives `me` to lock on A in round 0. */
  function locked() {
    const s = setup();
    s.feed(s.prop(0, -1, A), { type: "validated", height: 1n, blockHash: A, valid: true });
    const fx = s.feed(...s.votes([s.me, ...s.others.slice(0, 2)], "prevote", 0, A));
    expect(signed(fx)).toEqual(["precommit 0 aa"]);
    expect([s.eng.lockedRound, toHex(s.eng.lockedValue!)]).toEqual([0, toHex(A)]);
    expect([s.eng.validRound, toHex(s.eng.validValue!)]).toEqual([0, toHex(A)]);
    return s;
  }
  /** Moves from round r to r+1 through > 2/3 nil precommits and timeoutPrecommit(r). */
  function nextRound(s: ReturnType<typeof setup>, r: number): BftEffect[] {
    const fx = s.feed(...s.votes(s.others, "precommit", r, NIL));
    expect(of(fx, "scheduleTimeout").map((t) => t.step)).toContain("precommit");
    return s.feed({ type: "timeout", height: 1n, round: r, step: "precommit" });
  }

  it("> 2/3 prevotes for the proposal: lock, precommit, validValue", () => {
    locked();
  });

  it("> 2/3 nil prevotes: nil precommit; > 2/3 mixed prevotes: timeoutPrevote, then nil precommit", () => {
    const s = setup();
    s.feed({ type: "timeout", height: 1n, round: 0, step: "propose" });
    expect(signed(s.feed(...s.votes(s.others, "prevote", 0, NIL)))).toEqual(["precommit 0 00"]);
    const t = setup();
    t.feed({ type: "timeout", height: 1n, round: 0, step: "propose" });
    const fx = t.feed(...t.votes(t.others.slice(0, 2), "prevote", 0, A), ...t.votes([t.others[2]!], "prevote", 0, B));
    expect(of(fx, "scheduleTimeout")).toEqual([{ type: "scheduleTimeout", height: 1n, round: 0, step: "prevote", ms: 50 }]);
    expect(signed(t.feed({ type: "timeout", height: 1n, round: 0, step: "prevote" }))).toEqual(["precommit 0 00"]);
  });

  it("a locked process prevotes nil for another value without a newer polka", () => {
    const s = locked();
    const fx = nextRound(s, 0);
    expect(of(fx, "scheduleTimeout")).toEqual([{ type: "scheduleTimeout", height: 1n, round: 1, step: "propose", ms: 110 }]);
    s.feed(s.prop(1, -1, B));
    expect(signed(s.feed({ type: "validated", height: 1n, blockHash: B, valid: true }))).toEqual(["prevote 1 00"]);
  });

  it("a locked process prevotes its locked value when it is proposed again", () => {
    const s = locked();
    nextRound(s, 0);
    expect(signed(s.feed(s.prop(1, 0, A)))).toEqual(["prevote 1 aa"]);
  });

  it("a polka for another value in a later round moves the lock (l. 36)", () => {
    const s = locked();
    nextRound(s, 0);
    s.feed(s.prop(1, -1, B), { type: "validated", height: 1n, blockHash: B, valid: true });
    expect(signed(s.feed(...s.votes(s.others, "prevote", 1, B)))).toEqual(["precommit 1 bb"]);
    expect([s.eng.lockedRound, toHex(s.eng.lockedValue!)]).toEqual([1, toHex(B)]);
  });

  it("a proposal with polRound ≥ lockedRound and that round's polka unlocks (l. 28)", () => {
    const s = locked();
    // prevotes for B in round 1 from > 1/3: round skip to 1 (no proposal seen for round 1)
    const skip = s.feed(...s.votes(s.others.slice(0, 2), "prevote", 1, B));
    expect(s.eng.round).toBe(1);
    expect(of(skip, "scheduleTimeout")).toEqual([{ type: "scheduleTimeout", height: 1n, round: 1, step: "propose", ms: 110 }]);
    s.feed(...s.votes([s.others[2]!], "prevote", 1, B), { type: "timeout", height: 1n, round: 1, step: "propose" });
    nextRound(s, 1);
    expect(s.eng.round).toBe(2);
    // without the polka round the lock holds; with polRound 1 (polka for B there) it does not
    expect(signed(s.feed(s.prop(2, 1, B)))).toEqual([]); // validation first
    expect(signed(s.feed({ type: "validated", height: 1n, blockHash: B, valid: true }))).toEqual(["prevote 2 bb"]);
  });

  it("a proposal with a polRound but no polka for it is not prevoted before timeoutPropose", () => {
    const s = locked();
    nextRound(s, 0);
    s.feed(s.prop(1, 0, B), { type: "validated", height: 1n, blockHash: B, valid: true });
    expect(s.eng.step).toBe("propose");
    expect(signed(s.feed({ type: "timeout", height: 1n, round: 1, step: "propose" }))).toEqual(["prevote 1 00"]);
  });

  it("the proposer re-proposes its valid value with polRound = validRound", () => {
    const s = locked();
    const fx = s.feed(...s.votes(s.others.slice(0, 2), "prevote", 3, NIL));
    expect(s.eng.round).toBe(3);
    expect(of(fx, "requestValue")).toEqual([]);
    expect(signed(fx)).toEqual(["proposal 3 0 aa"]);
  });
});

describe("round skip and weights", () => {
  it("needs messages of a higher round from > 1/3 of the stake", () => {
    const s = setup();
    expect(s.feed(...s.votes([s.others[0]!], "precommit", 5, NIL))).toEqual([]);
    expect(s.eng.round).toBe(0);
    const fx = s.feed(...s.votes([s.others[1]!], "prevote", 5, A));
    expect(s.eng.round).toBe(5);
    expect(of(fx, "scheduleTimeout")).toContainEqual({ type: "scheduleTimeout", height: 1n, round: 5, step: "propose", ms: 150 });
  });

  it("counts stake, not heads", () => {
    const s = setup([10n, 1n, 1n, 1n], 3);
    const big = s.vals[0]!;
    // two small validators: 2/13 is not > 1/3 — no skip; the big one alone is
    s.feed(...s.votes(s.vals.slice(1, 3), "prevote", 4, NIL));
    expect(s.eng.round).toBe(0);
    s.feed(...s.votes([big], "prevote", 4, NIL));
    expect(s.eng.round).toBe(4);
    // > 2/3 of the stake from one validator is a polka; three small ones are not
    const t = setup([10n, 1n, 1n, 1n], 3);
    t.feed({ type: "timeout", height: 1n, round: 0, step: "propose" });
    expect(signed(t.feed(...t.votes(t.vals.slice(1), "prevote", 0, NIL)))).toEqual([]);
    expect(signed(t.feed(...t.votes([t.vals[0]!], "prevote", 0, NIL)))).toEqual(["precommit 0 00"]);
  });

  it("keeps one validator's messages in at most maxFutureRoundsPerValidator future rounds", () => {
    const { vals, set } = validators([1n, 1n, 1n, 1n]);
    const me = proposerOf(vals, set, 1n, 3);
    const [x, y] = vals.filter((v) => v !== me) as [Keyed, Keyed];
    const run = (cap: number) => {
      const eng = new TendermintEngine({ chainId: CHAIN, timeouts: T, maxFutureRoundsPerValidator: cap });
      eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n, localKey: me.key });
      eng.handle({ type: "vote", vote: vote(x, "prevote", 1n, 3, NIL) });
      eng.handle({ type: "vote", vote: vote(x, "prevote", 1n, 4, NIL) });
      eng.handle({ type: "vote", vote: vote(y, "prevote", 1n, 4, NIL) });
      return eng.round;
    };
    expect(run(2)).toBe(4);
    expect(run(1)).toBe(0);
  });
});

describe("commit", () => {
  it("needs the proposal, > 2/3 precommits and a validated block; the certificate verifies", () => {
    const s = setup();
    const pre = s.votes(s.others, "precommit", 0, A);
    expect(of(s.feed(...pre), "commit")).toEqual([]);
    s.feed(s.prop(0, -1, A));
    expect(of(s.feed(), "commit")).toEqual([]);
    const fx = s.feed({ type: "validated", height: 1n, blockHash: A, valid: true });
    const [c] = of(fx, "commit");
    expect(c).toBeDefined();
    expect([c!.height, c!.round, toHex(c!.blockHash)]).toEqual([1n, 0, toHex(A)]);
    verifyFinalityCertificate(c!.certificate, { chainId: CHAIN, height: 1n, blockHash: A, validatorSet: s.set });
    expect(s.eng.decision?.blockHash).toEqual(A);
    // decided: nothing else happens at this height
    expect(s.feed({ type: "timeout", height: 1n, round: 0, step: "propose" })).toEqual([]);
  });

  it("never commits an invalid block", () => {
    const s = setup();
    s.feed(s.prop(0, -1, A), ...s.votes(s.others, "precommit", 0, A));
    expect(of(s.feed({ type: "validated", height: 1n, blockHash: A, valid: false }), "commit")).toEqual([]);
    expect(s.eng.decision).toBeUndefined();
  });

  it("commits a value decided in an earlier round (l. 49, any round)", () => {
    const s = setup();
    s.feed(...s.votes(s.others.slice(0, 2), "prevote", 2, NIL));
    expect(s.eng.round).toBe(2);
    const fx = s.feed(s.prop(0, -1, A), { type: "validated", height: 1n, blockHash: A, valid: true }, ...s.votes(s.others, "precommit", 0, A));
    expect(of(fx, "commit").map((c) => c.round)).toEqual([0]);
  });

  it("an observer without a key signs nothing but commits", () => {
    const { vals, set } = validators([1n, 1n, 1n, 1n]);
    const eng = new TendermintEngine({ chainId: CHAIN, timeouts: T });
    const fx: BftEffect[] = eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n });
    const p = proposerOf(vals, set, 1n, 0);
    fx.push(...eng.handle({ type: "proposal", proposal: proposal(p, 1n, 0, -1, A) }), ...eng.handle({ type: "validated", height: 1n, blockHash: A, valid: true }));
    for (const v of vals) fx.push(...eng.handle({ type: "vote", vote: vote(v, "prevote", 1n, 0, A) }), ...eng.handle({ type: "vote", vote: vote(v, "precommit", 1n, 0, A) }));
    expect(signs(fx)).toEqual([]);
    expect(of(fx, "commit")).toHaveLength(1);
  });
});

describe("heights", () => {
  function committed() {
    const s = setup();
    s.feed(s.prop(0, -1, A), { type: "validated", height: 1n, blockHash: A, valid: true }, ...s.votes(s.others, "precommit", 0, A));
    expect(s.eng.decision).toBeDefined();
    return s;
  }

  it("buffers messages of the next height and replays them on start; drops later heights", () => {
    const s = setup();
    const p2 = { type: "proposal", proposal: proposal(proposerOf(s.vals, s.set, 2n, 0), 2n, 0, -1, B) } as const;
    const p3 = { type: "proposal", proposal: proposal(proposerOf(s.vals, s.set, 3n, 0), 3n, 0, -1, C) } as const;
    expect(s.feed(p2, p3)).toEqual([]);
    s.feed(s.prop(0, -1, A), { type: "validated", height: 1n, blockHash: A, valid: true }, ...s.votes(s.others, "precommit", 0, A));
    const fx = s.feed({ type: "start", height: 2n, validatorSet: s.set, setStartHeight: 1n, localKey: s.me.key });
    expect(of(fx, "validate")).toEqual([{ type: "validate", height: 2n, round: 0, blockHash: B }]);
    expect(s.feed({ type: "start", height: 3n, validatorSet: s.set, setStartHeight: 1n, localKey: s.me.key }).filter((f) => f.type === "validate")).toEqual([]);
  });

  it("keeps collecting precommits of the committed block (extra precommits) after start(h+1)", () => {
    const s = committed();
    expect(s.eng.committedPrecommits()).toHaveLength(3);
    s.feed({ type: "start", height: 2n, validatorSet: s.set, setStartHeight: 1n, localKey: s.me.key });
    s.feed(...s.votes([s.me], "precommit", 0, A));
    expect(s.eng.committedPrecommits()).toHaveLength(4);
    const cert = s.eng.lastCertificate()!;
    expect(cert.votes).toHaveLength(4);
    verifyFinalityCertificate(cert, { chainId: CHAIN, height: 1n, blockHash: A, validatorSet: s.set });
    // prevotes of the old height are dropped
    expect(s.feed(...s.votes(s.others, "prevote", 0, B))).toEqual([]);
  });
});

describe("evidence", () => {
  it("every conflicting pair of one validator's votes, nil included; an identical vote is a no-op", () => {
    const s = setup();
    const x = s.others[0]!;
    expect(s.feed(...s.votes([x], "prevote", 0, A))).toEqual([]);
    expect(s.feed(...s.votes([x], "prevote", 0, A))).toEqual([]);
    const one = of(s.feed(...s.votes([x], "prevote", 0, NIL)), "evidence");
    expect(one).toHaveLength(1);
    const two = of(s.feed(...s.votes([x], "prevote", 0, B)), "evidence");
    expect(two).toHaveLength(2);
    for (const e of [...one, ...two]) {
      expect(verifyDuplicateVote(CHAIN, e.evidence, s.set).publicKey).toEqual(x.key);
    }
    // other kind or round: no conflict
    expect(of(s.feed(...s.votes([x], "precommit", 0, C), ...s.votes([x], "prevote", 1, C)), "evidence")).toEqual([]);
  });

  it("conflicting precommits for the previous height still produce evidence", () => {
    const s = setup();
    s.feed(s.prop(0, -1, A), { type: "validated", height: 1n, blockHash: A, valid: true }, ...s.votes(s.others, "precommit", 0, A));
    s.feed({ type: "start", height: 2n, validatorSet: s.set, setStartHeight: 1n, localKey: s.me.key });
    const ev = of(s.feed(...s.votes([s.others[1]!], "precommit", 0, B)), "evidence");
    expect(ev).toHaveLength(1);
    verifyDuplicateVote(CHAIN, ev[0]!.evidence, s.set);
  });
});

describe("errors", () => {
  it("rejects bad events with typed codes and leaves the state unchanged", () => {
    const { vals, set } = validators([1n, 1n, 1n, 1n]);
    const stranger = validators([1n, 1n, 1n, 1n, 1n]).vals[4]!;
    const eng = new TendermintEngine({ chainId: CHAIN, timeouts: T });
    expect(code(() => eng.handle({ type: "vote", vote: vote(vals[0]!, "prevote", 1n, 0, A) }))).toBe("BFT_NOT_STARTED");
    eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n, localKey: vals[0]!.key });
    expect(code(() => eng.handle({ type: "vote", vote: vote(stranger, "prevote", 1n, 0, A) }))).toBe("BFT_UNKNOWN_VALIDATOR");
    const notProposer = vals.find((v) => v !== proposerOf(vals, set, 1n, 0))!;
    expect(code(() => eng.handle({ type: "proposal", proposal: proposal(notProposer, 1n, 0, -1, A) }))).toBe("BFT_WRONG_PROPOSER");
    const p1 = proposerOf(vals, set, 1n, 1);
    expect(code(() => eng.handle({ type: "proposal", proposal: { ...proposal(p1, 1n, 1, 0, A), polRound: 1 } }))).toBe("BFT_BAD_POL_ROUND");
    expect(code(() => eng.handle({ type: "proposal", proposal: { ...proposal(p1, 1n, 1, 0, A), blockHash: NIL } }))).toBe("BFT_NIL_PROPOSAL");
    expect(code(() => eng.handle({ type: "vote", vote: { ...vote(vals[1]!, "prevote", 1n, 0, A), blockHash: new Uint8Array(31) } }))).toBe("BFT_MALFORMED");
    expect(code(() => eng.handle({ type: "start", height: 1n, validatorSet: set, setStartHeight: 1n }))).toBe("BFT_BAD_START");
    expect([eng.height, eng.round, eng.step]).toEqual([1n, 0, "propose"]);
  });
});
