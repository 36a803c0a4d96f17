/**
 * Dandelion++ in a simulated network of real DandelionRouter instances (p2p/sim/network.ts).
 */
import { describe, expect, it } from "vitest";
import { SimNetwork } from "../sim/network.ts";

const ALL = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("Dandelion++ network (simulated, real routers)", () => {
  it("a black-hole stem relay that drops everything: the embargo fluffs the tx and it reaches every node", () => {
    // Node 0's only outbound peer (hence its only stem relay) is node 1, which drops everything.
    const net = new SimNetwork({ nodes: 30, outDegree: 3, spyFraction: 0, mode: "dandelion", seed: 42, blackHoles: [1], outboundOverride: { 0: [1], 2: [0, 3, 4] } });
    net.submit(0, "tx-bh", 1_000);
    net.run(1_000 + net.routers[0]!.params.embargoMaxMs + 60_000);
    const tx = net.txs.get("tx-bh")!;
    expect(tx.firstFluff).toMatchObject({ node: 0, reason: "embargo" });
    // Fluffed by the origin only after the stem was sent and the embargo ran out.
    expect(tx.firstFluff!.at).toBeGreaterThan(1_000);
    for (const i of ALL(30)) if (i !== 1) expect(net.fluffed[i]!.has("tx-bh"), `node ${i}`).toBe(true);
    expect(tx.reached).toBe(30); // the black hole received it too, it just never relays
  });

  it("spies that drop every stem tx (20 %) and q = 0: every tx still reaches every node through embargoes", () => {
    const net = new SimNetwork({ nodes: 60, outDegree: 4, spyFraction: 0.2, mode: "dandelion", seed: 7, params: { fluffProbability: 0 } });
    const honest = ALL(60).filter((i) => !net.isSpy(i));
    honest.slice(0, 40).forEach((o, k) => net.submit(o, `t${k}`, 1_000 + k * 5_000));
    net.run(1_000 + 40 * 5_000 + net.routers[honest[0]!]!.params.embargoMaxMs + 60_000);
    for (const tx of net.txs.values()) {
      expect(tx.reached, tx.txid).toBe(60);
      expect(["embargo", "loop"]).toContain(tx.firstFluff?.reason);
    }
  });

  it("stem loops are broken: with q = 0 and an embargo far beyond the run, loop detection ends every stem", () => {
    const huge = 1e12;
    const net = new SimNetwork({ nodes: 30, outDegree: 3, spyFraction: 0, mode: "dandelion", seed: 3, params: { fluffProbability: 0, embargoMeanMs: huge, embargoMaxMs: huge } });
    ALL(30).forEach((o) => net.submit(o, `l${o}`, 1_000 + o * 2_000));
    net.run(1_000 + 30 * 2_000 + 60_000);
    for (const tx of net.txs.values()) {
      expect(tx.firstFluff?.reason, tx.txid).toBe("loop");
      expect(tx.reached).toBe(30);
    }
    // Each stem visited each node at most once before the loop closed.
    for (const tx of net.txs.values()) expect(tx.firstFluff!.hops).toBeLessThanOrEqual(30);
  });

  it("a node's own transactions are never fluffed by it first, even when every relay is a fluff node", () => {
    const net = new SimNetwork({ nodes: 50, outDegree: 4, spyFraction: 0, mode: "dandelion", seed: 9, params: { fluffProbability: 1 } });
    ALL(50).forEach((o) => net.submit(o, `o${o}`, 1_000 + o * 1_000));
    net.run(120_000);
    for (const tx of net.txs.values()) {
      expect(tx.firstFluff?.node, tx.txid).not.toBe(tx.origin);
      expect(tx.firstFluff?.reason).toBe("fluff-mode");
      expect(tx.firstFluff?.hops).toBe(1);
      expect(tx.reached).toBe(50);
    }
  });

  it("is deterministic for a seed", () => {
    const run = () => {
      const net = new SimNetwork({ nodes: 40, outDegree: 4, spyFraction: 0.1, mode: "dandelion", seed: 5 });
      ALL(40).filter((i) => !net.isSpy(i)).forEach((o) => net.submit(o, `d${o}`, o * 3_000));
      net.run(600_000);
      return [...net.txs.values()].map((t) => [t.firstSpy?.from, t.firstFluff?.node, t.lastReachAt]);
    };
    expect(run()).toEqual(run());
  });
});
