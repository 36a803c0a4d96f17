import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DANDELION_PARAMS, Stempool } from "../src/dandelion/index.ts";
import { harness, TX } from "./dandelion-harness.ts";

const EPOCH = DEFAULT_DANDELION_PARAMS.epochMs + DEFAULT_DANDELION_PARAMS.epochJitterMs;

describe("DandelionRouter: own transactions", () => {
  it("are always stemmed to one outbound peer, never fluffed first, whatever q (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 8 }), (seed, q, npeers) => {
        const h = harness({ seed, peers: ["a", "b", "c", "d", "e", "f", "g", "h"].slice(0, npeers), params: { fluffProbability: q } });
        const out = h.router.onOwnTx("t1", TX);
        expect(out.action).toBe("stemmed");
        expect(h.sent).toHaveLength(1);
        expect(h.peers).toContain(h.sent[0]?.peer);
        expect(h.fluffs).toEqual([]);
        // Not fluffed before its embargo deadline, fluffed (by the embargo) after it.
        const deadline = h.router.stempool.get("t1")?.deadline ?? NaN;
        h.advance(deadline - h.now() - 1);
        expect(h.fluffs).toEqual([]);
        h.advance(1);
        expect(h.fluffs).toEqual(["t1"]);
        expect(h.events.some((e) => e.kind === "fluff" && e.txid === "t1" && e.reason === "embargo" && e.own)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("go to the same relay for the whole epoch, even on a fluff node", () => {
    const h = harness({ seed: 7, params: { fluffProbability: 1 } });
    expect(h.router.epoch().fluffMode).toBe(true);
    for (let i = 0; i < 20; i++) expect(h.router.onOwnTx(`t${i}`, TX).action).toBe("stemmed");
    expect(new Set(h.sent.map((s) => s.peer)).size).toBe(1);
    expect(h.sent[0]?.peer).toBe(h.router.epoch().ownRelay);
    expect(h.fluffs).toEqual([]);
  });

  it("with no outbound peer are held (not fluffed) and stemmed once a peer appears", () => {
    const h = harness({ peers: [] });
    expect(h.router.onOwnTx("t1", TX).action).toBe("held");
    expect(h.fluffs).toEqual([]);
    h.peers.push("x");
    h.router.onPeerConnected("x");
    h.advance(1);
    expect(h.sent).toEqual([{ peer: "x", txid: "t1", at: h.now() }]);
    expect(h.fluffs).toEqual([]);
  });
});

describe("DandelionRouter: stem and fluff", () => {
  it("a fluff node fluffs received stem txs; a stem node relays them and holds them", () => {
    const f = harness({ params: { fluffProbability: 1 } });
    expect(f.router.onStemTx("in1", "s1", TX)).toEqual({ action: "fluffed", reason: "fluff-mode" });
    expect(f.fluffs).toEqual(["s1"]);
    expect(f.router.stempool.has("s1")).toBe(false);
    const s = harness({ params: { fluffProbability: 0 } });
    const out = s.router.onStemTx("in1", "s1", TX);
    expect(out.action).toBe("stemmed");
    expect(s.fluffs).toEqual([]);
    expect(s.router.stempool.has("s1")).toBe(true);
    expect(s.router.epoch().relays).toContain(s.sent[0]?.peer);
  });

  it("maps each inbound peer to one relay for the whole epoch, one-to-one for two inbound peers (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.constantFrom("i1", "i2", "i3", "i4"), { minLength: 2, maxLength: 60 }), (seed, froms) => {
        const h = harness({ seed, params: { fluffProbability: 0 } });
        const mapping = new Map<string, string>();
        froms.forEach((from, k) => {
          h.router.onStemTx(from, `s${k}`, TX);
          const to = h.sent[h.sent.length - 1]?.peer as string;
          if (mapping.has(from)) expect(to).toBe(mapping.get(from));
          mapping.set(from, to);
        });
        const relays = h.router.epoch().relays;
        expect(relays).toHaveLength(2);
        for (const to of mapping.values()) expect(relays).toContain(to);
        // The first two distinct inbound peers get different relays (least-loaded assignment).
        const [first, second] = [...new Set(froms)];
        if (second !== undefined) expect(mapping.get(first as string)).not.toBe(mapping.get(second));
      }),
      { numRuns: 200 },
    );
  });

  it("re-draws relays, the own relay and the inbound mapping when the epoch changes", () => {
    const h = harness({ seed: 3, params: { fluffProbability: 0 } });
    const sets = new Set<string>();
    for (let e = 0; e < 40; e++) {
      const ep = h.router.epoch();
      expect(ep.relays).toHaveLength(2);
      expect(new Set(ep.relays).size).toBe(2);
      for (const r of ep.relays) expect(h.peers).toContain(r);
      sets.add([...ep.relays].sort().join(","));
      // Within the epoch the relays do not change.
      h.router.onStemTx("in", `x${e}`, TX);
      h.advance(DEFAULT_DANDELION_PARAMS.epochMs / 2);
      expect(h.router.epoch().relays).toEqual(ep.relays);
      expect(h.router.epoch().inbound).toHaveLength(1);
      h.advance(EPOCH);
      expect(h.router.epoch().index).toBe(ep.index + 1);
      expect(h.router.epoch().inbound).toHaveLength(0);
    }
    // 8 peers give 28 possible pairs; 40 independent draws hit many of them.
    expect(sets.size).toBeGreaterThan(10);
  });

  it("decides fluff mode once per epoch with probability q (20,000 seeded epochs, within 4σ)", () => {
    for (const q of [0.1, 0.2]) {
      const h = harness({ seed: 11, params: { fluffProbability: q } });
      const n = 20_000;
      let fluff = 0;
      for (let e = 0; e < n; e++) {
        if (h.router.epoch().fluffMode) fluff++;
        h.advance(EPOCH);
      }
      const sigma = Math.sqrt((q * (1 - q)) / n);
      expect(Math.abs(fluff / n - q)).toBeLessThan(4 * sigma);
    }
  });

  it("draws exponential embargo timers with the configured mean (5,000 txs, within 5 %)", () => {
    const h = harness({ seed: 5, params: { fluffProbability: 0, stempoolMaxTxs: 10_000, stempoolMaxBytes: 1e9 } });
    const n = 5_000;
    let sum = 0;
    let below = 0;
    const mean = DEFAULT_DANDELION_PARAMS.embargoMeanMs;
    for (let i = 0; i < n; i++) {
      h.router.onStemTx("in", `e${i}`, TX);
      const d = (h.router.stempool.get(`e${i}`)?.deadline ?? NaN) - h.now();
      sum += d;
      if (d < mean) below++;
    }
    expect(Math.abs(sum / n / mean - 1)).toBeLessThan(0.05);
    // Exponential: P(X < mean) = 1 − 1/e ≈ 0.632.
    expect(Math.abs(below / n - (1 - Math.exp(-1)))).toBeLessThan(0.03);
  });
});

describe("DandelionRouter: embargo, loops, failures", () => {
  it("fluffs a held stem tx when its embargo fires, unless it was seen fluffed first", () => {
    const h = harness({ params: { fluffProbability: 0 } });
    h.router.onStemTx("in", "s1", TX);
    h.router.onStemTx("in", "s2", TX);
    h.router.onFluffSeen("s2");
    expect(h.router.stempool.has("s2")).toBe(false);
    h.advance(DEFAULT_DANDELION_PARAMS.embargoMaxMs + 1);
    expect(h.fluffs).toEqual(["s1"]);
    // A late stem copy of a fluffed tx is ignored, not relayed.
    const before = h.sent.length;
    expect(h.router.onStemTx("in2", "s2", TX)).toEqual({ action: "duplicate" });
    expect(h.sent.length).toBe(before);
  });

  it("breaks a loop: a relayed stem tx that comes back is fluffed; a third copy is ignored", () => {
    const h = harness({ params: { fluffProbability: 0 } });
    expect(h.router.onStemTx("in1", "s1", TX).action).toBe("stemmed");
    expect(h.router.onStemTx("in2", "s1", TX)).toEqual({ action: "fluffed", reason: "loop" });
    expect(h.fluffs).toEqual(["s1"]);
    expect(h.router.onStemTx("in3", "s1", TX)).toEqual({ action: "duplicate" });
    expect(h.sent).toHaveLength(1);
  });

  it("an own tx that loops back tries the other relay once, then fluffs", () => {
    const h = harness({ params: { fluffProbability: 0 } });
    h.router.onOwnTx("t1", TX);
    const first = h.sent[0]?.peer;
    const second = h.router.onStemTx("in", "t1", TX);
    expect(second.action).toBe("stemmed");
    expect(h.sent[1]?.peer).not.toBe(first);
    expect(h.fluffs).toEqual([]);
    expect(h.router.onStemTx("in", "t1", TX)).toEqual({ action: "fluffed", reason: "loop" });
  });

  it("replaces a relay whose send fails; fluffs a relayed tx when no relay is left", () => {
    const h = harness({ peers: ["a", "b", "c"], params: { fluffProbability: 0 } });
    const [r1] = h.router.epoch().relays;
    h.failing.add(r1 as string);
    // Two inbound peers map to the two relays, so r1 is tried.
    h.router.onStemTx("in", "s1", TX);
    h.router.onStemTx("in-other", "s1b", TX);
    expect(h.events.some((e) => e.kind === "relay-failed" && e.peer === r1)).toBe(true);
    expect(h.sent).toHaveLength(2);
    expect(h.sent.map((s) => s.peer)).not.toContain(r1);
    expect(h.router.epoch().relays).not.toContain(r1);
    expect(h.router.epoch().relays).toHaveLength(2);
    for (const p of h.peers) h.failing.add(p);
    expect(h.router.onStemTx("in2", "s2", TX)).toEqual({ action: "fluffed", reason: "no-relay" });
    expect(h.router.onOwnTx("t1", TX)).toEqual({ action: "held" });
    expect(h.fluffs).toEqual(["s2"]);
  });

  it("replaces a relay that disconnects and remaps the inbound peers that used it", () => {
    const h = harness({ params: { fluffProbability: 0 } });
    h.router.onStemTx("in", "s1", TX);
    const used = h.sent[0]?.peer as string;
    h.peers.splice(h.peers.indexOf(used), 1);
    h.router.onPeerDisconnected(used);
    expect(h.router.epoch().relays).not.toContain(used);
    expect(h.router.epoch().relays).toHaveLength(2);
    h.router.onStemTx("in", "s2", TX);
    expect(h.sent[1]?.peer).not.toBe(used);
  });
});

describe("Stempool", () => {
  const entry = (txid: string, deadline: number, own = false, size = 100) => ({ txid, bytes: new Uint8Array(size), own, addedAt: 0, deadline });

  it("is bounded by count and bytes, with typed refusals", () => {
    const p = new Stempool({ maxTxs: 2, maxBytes: 250 });
    expect(p.add(entry("a", 5))).toEqual({ ok: true });
    expect(p.add(entry("a", 5))).toMatchObject({ ok: false, code: "STEMPOOL_DUPLICATE" });
    expect(p.add(entry("big", 5, false, 251))).toMatchObject({ ok: false, code: "STEMPOOL_TX_TOO_LARGE" });
    expect(p.add(entry("b", 3))).toEqual({ ok: true });
    expect(p.add(entry("c", 1))).toMatchObject({ ok: false, code: "STEMPOOL_FULL" });
    expect(p.size).toBe(2);
    expect(p.bytes).toBe(200);
    expect(p.due(4).map((e) => e.txid)).toEqual(["b"]);
    expect(p.earliestDeadline()).toBe(3);
    expect(p.take("b")?.txid).toBe("b");
    expect(p.has("b")).toBe(false);
    expect(p.bytes).toBe(100);
  });

  it("when full, the router fluffs the earliest-due relayed tx early, never an own one first", () => {
    const h = harness({ params: { fluffProbability: 0, stempoolMaxTxs: 3 } });
    h.router.onOwnTx("own", TX);
    h.router.onStemTx("in", "s1", TX);
    h.router.onStemTx("in", "s2", TX);
    const d1 = h.router.stempool.get("s1")?.deadline ?? 0;
    const d2 = h.router.stempool.get("s2")?.deadline ?? 0;
    h.router.onStemTx("in", "s3", TX);
    expect(h.fluffs).toEqual([d1 <= d2 ? "s1" : "s2"]);
    expect(h.router.stempool.has("own")).toBe(true);
    expect(h.router.stempool.size).toBe(3);
  });
});
