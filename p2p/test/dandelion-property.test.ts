/**
 * Random operation sequences against one DandelionRouter: invariants that must hold whatever
 * peers do (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DANDELION_PARAMS } from "../src/dandelion/index.ts";
import { harness, TX } from "./dandelion-harness.ts";

type Op =
  | { k: "own"; id: number }
  | { k: "stem"; from: number; id: number }
  | { k: "seen"; id: number }
  | { k: "drop"; peer: number }
  | { k: "back"; peer: number }
  | { k: "fail"; peer: number }
  | { k: "wait"; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant("own" as const), id: fc.nat(30) }),
  fc.record({ k: fc.constant("stem" as const), from: fc.nat(5), id: fc.nat(30) }),
  fc.record({ k: fc.constant("seen" as const), id: fc.nat(30) }),
  fc.record({ k: fc.constant("drop" as const), peer: fc.nat(5) }),
  fc.record({ k: fc.constant("back" as const), peer: fc.nat(5) }),
  fc.record({ k: fc.constant("fail" as const), peer: fc.nat(5) }),
  fc.record({ k: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
);

describe("DandelionRouter invariants (property)", () => {
  it("never loses a tx, sends only to outbound peers, keeps its bounds, never fluffs an own tx before its embargo unless it looped or the pool was full", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.array(op, { maxLength: 120 }), (seed, q, ops) => {
        const all = ["o0", "o1", "o2", "o3", "o4", "o5"];
        const h = harness({ seed, peers: all.slice(0, 4), params: { fluffProbability: q, stempoolMaxTxs: 8 } });
        const handed = new Set<string>();
        const seen = new Set<string>();
        for (const o of ops) {
          if (o.k === "own") {
            const txid = `t${o.id}`;
            const r = h.router.onOwnTx(txid, TX);
            if (r.action !== "duplicate") handed.add(txid);
          } else if (o.k === "stem") {
            const txid = `t${o.id}`;
            const r = h.router.onStemTx(`in${o.from}`, txid, TX);
            if (r.action !== "duplicate") handed.add(txid);
          } else if (o.k === "seen") {
            h.router.onFluffSeen(`t${o.id}`);
            seen.add(`t${o.id}`);
          } else if (o.k === "drop") {
            const p = `o${o.peer}`;
            const i = h.peers.indexOf(p);
            if (i >= 0) h.peers.splice(i, 1);
            h.router.onPeerDisconnected(p);
          } else if (o.k === "back") {
            const p = `o${o.peer}`;
            if (!h.peers.includes(p)) h.peers.push(p);
            h.failing.delete(p);
            h.router.onPeerConnected(p);
          } else if (o.k === "fail") h.failing.add(`o${o.peer}`);
          else h.advance(o.ms);
          expect(h.router.stempool.size).toBeLessThanOrEqual(8);
        }
        // Stems go only to peers that were outbound at some point.
        for (const s of h.sent) expect(all).toContain(s.peer);
        // After every embargo has run out, nothing is left: every tx was fluffed here or seen fluffed.
        h.advance(DEFAULT_DANDELION_PARAMS.embargoMaxMs + 1);
        expect(h.router.stempool.size).toBe(0);
        for (const t of handed) expect(h.fluffs.includes(t) || seen.has(t)).toBe(true);
        // Own txs: fluffed by this node only by the embargo, a loop or a full pool.
        for (const e of h.events) {
          if (e.kind !== "fluff" || !e.own) continue;
          expect(["embargo", "loop", "stempool-full"]).toContain(e.reason);
        }
        expect(h.events.some((e) => e.kind === "fluff" && e.own && e.reason === "fluff-mode")).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
