import { afterEach, describe, expect, it } from "vitest";
import type { BanInfo, Verdict } from "../src/index.ts";
import { Scores } from "../src/scores.ts";
import { Nodes, until } from "./helpers.ts";

let nodes: Nodes;
afterEach(async () => nodes?.cleanup());

describe("peer scoring over real libp2p nodes", () => {
  it("a peer publishing invalid messages is disconnected and banned; IGNORE costs nothing", async () => {
    nodes = new Nodes();
    // the victim judges by the first byte: 0 = valid, 1 = useless (IGNORE), 2 = invalid (REJECT)
    const verdict = (b: Uint8Array): Verdict => (b[0] === 0 ? "ACCEPT" : b[0] === 1 ? "IGNORE" : "REJECT");
    const victim = await nodes.create({ limits: { banMs: 60_000 } });
    victim.registerTopic({ name: "tx", maxBytes: 1000, validate: async (b) => verdict(b) });
    const bans: BanInfo[] = [];
    victim.on("peer:ban", (b) => bans.push(b));
    await victim.start();
    const mk = async () => {
      const n = await nodes.create();
      n.registerTopic({ name: "tx", maxBytes: 1000, validate: async () => "ACCEPT" });
      await n.start();
      await n.dial(victim.addresses()[0] as string);
      return n;
    };
    const honest = await mk();
    const bad = await mk();
    // wait until both senders see the victim subscribed
    let k = 0;
    for (const n of [honest, bad]) expect(await until(async () => (await n.publish("tx", Uint8Array.of(0, k++))) > 0, 15_000)).toBe(true);

    for (let i = 0; i < 10; i++) await honest.publish("tx", Uint8Array.of(1, i));
    for (let i = 0; i < 3; i++) await bad.publish("tx", Uint8Array.of(2, i));
    expect(await until(() => (victim.peers().find((p) => p.id === bad.peerId)?.score ?? 0) < -70)).toBe(true);
    expect(victim.peers().find((p) => p.id === bad.peerId)).toBeDefined();
    await bad.publish("tx", Uint8Array.of(2, 99));
    expect(await until(() => bans.length === 1)).toBe(true);
    expect(bans[0]).toMatchObject({ id: bad.peerId, reason: "invalid tx message" });
    expect(await until(() => !victim.peers().some((p) => p.id === bad.peerId))).toBe(true);
    expect(victim.bans().map((b) => b.id)).toEqual([bad.peerId]);
    // the honest peer's IGNOREd messages cost nothing
    expect(victim.peers().find((p) => p.id === honest.peerId)?.score).toBe(0);
    // the banned peer cannot come back while the ban lasts (the gater refuses it)
    await bad.dial(victim.addresses()[0] as string).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(victim.peers().some((p) => p.id === bad.peerId)).toBe(false);
    expect(victim.peers().some((p) => p.id === honest.peerId)).toBe(true);
  });

  it("oversized gossip (over the topic cap, under the RPC cap) is REJECTed before the validator runs", async () => {
    nodes = new Nodes();
    let validated = 0;
    const sizes: number[] = [];
    const victim = await nodes.create();
    victim.registerTopic({ name: "tx", maxBytes: 100, validate: async (b) => (validated++, sizes.push(b.length), "ACCEPT") });
    victim.registerTopic({ name: "block", maxBytes: 5000, validate: async () => "ACCEPT" });
    await victim.start();
    // the sender's own cap on "tx" is larger (a misconfigured or hostile peer)
    const sender = await nodes.create();
    sender.registerTopic({ name: "tx", maxBytes: 4000, validate: async () => "ACCEPT" });
    await sender.start();
    await sender.dial(victim.addresses()[0] as string);
    let k = 0;
    expect(await until(async () => (await sender.publish("tx", Uint8Array.of(0, k++))) > 0 && validated > 0, 15_000)).toBe(true);
    await sender.publish("tx", new Uint8Array(3000).fill(7));
    expect(await until(() => (victim.peers().find((p) => p.id === sender.peerId)?.score ?? 0) < -20)).toBe(true);
    expect(Math.max(...sizes)).toBe(2); // the validator never saw the 3000-byte message
  });
});

describe("Scores", () => {
  it("bans at the threshold, expires bans, decays scores towards 0", () => {
    let now = 0;
    const s = new Scores({ banThreshold: -50, rejectPenalty: 25, banMs: 1000 }, () => now);
    expect(s.penalise("p", "x")).toBeUndefined();
    expect(s.get("p")).toBe(-25);
    now += 60_000; // one minute: +1
    expect(s.get("p")).toBe(-24);
    const ban = s.penalise("p", "y");
    expect(ban).toBeUndefined(); // -49 > -50
    expect(s.penalise("p", "z")).toMatchObject({ id: "p", until: now + 1000, reason: "z" });
    expect(s.banned("p")).toBe(true);
    now += 1001;
    expect(s.banned("p")).toBe(false);
    expect(s.get("p")).toBe(0);
  });
});
