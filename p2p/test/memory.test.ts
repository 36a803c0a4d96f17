import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P, P2PError, ProtocolError, type Verdict } from "../src/index.ts";

const tick = () => new Promise((r) => setTimeout(r, 10));

describe("MemoryP2P", () => {
  it("floods ACCEPTed gossip once per node, penalises REJECT, bans at the threshold", async () => {
    const hub = new MemoryHub();
    const got: string[] = [];
    const mk = async (id: string, v: Verdict) => {
      const n = new MemoryP2P(hub, id, { rejectPenalty: 50 });
      n.registerTopic({ name: "tx", maxBytes: 10, validate: async (b, from) => (got.push(`${id}<${from}:${b[0]}`), v) });
      await n.start();
      return n;
    };
    const a = await mk("a", "ACCEPT");
    const b = await mk("b", "ACCEPT");
    const c = await mk("c", "REJECT");
    await b.dial("/memory/a");
    await c.dial("/memory/b");
    await c.dial("/memory/a");
    expect(a.peers().map((p) => [p.id, p.direction]).sort()).toEqual([["b", "inbound"], ["c", "inbound"]]);
    await a.publish("tx", Uint8Array.of(1));
    await tick();
    // b accepts and relays to c; c sees it once (dedup), from a or b
    expect(got.filter((g) => g.startsWith("b<"))).toEqual(["b<a:1"]);
    expect(got.filter((g) => g.startsWith("c<"))).toHaveLength(1);
    await expect(a.publish("tx", new Uint8Array(11))).rejects.toMatchObject({ code: "TOO_LARGE" });
    const bans: string[] = [];
    a.on("peer:ban", (x) => bans.push(x.id));
    a.reportPeer("b", "IGNORE", "free");
    expect(a.peers().find((p) => p.id === "b")?.score).toBe(0);
    a.reportPeer("b", "REJECT", "x");
    expect(a.peers().find((p) => p.id === "b")?.score).toBe(-50);
    a.reportPeer("b", "REJECT", "y"); // −100: at the threshold
    expect(bans).toEqual(["b"]);
    expect(a.peers().some((p) => p.id === "b")).toBe(false);
    await expect(b.dial("/memory/a")).rejects.toBeInstanceOf(P2PError);
  });

  it("request/response with caps and typed remote errors", async () => {
    const hub = new MemoryHub();
    const s = new MemoryP2P(hub, "s");
    const c = new MemoryP2P(hub, "c");
    for (const n of [s, c]) {
      n.registerProtocol({
        name: "echo",
        maxRequestBytes: 4,
        maxResponseBytes: 8,
        handler: async (b) => {
          if (b[0] === 9) throw new ProtocolError("NOT_FOUND", "nothing");
          return b[0] === 8 ? new Uint8Array(9) : b;
        },
      });
      await n.start();
    }
    await expect(c.request("s", "echo", Uint8Array.of(1))).rejects.toMatchObject({ code: "NOT_CONNECTED" });
    await c.dial("/memory/s");
    expect(await c.request("s", "echo", Uint8Array.of(1, 2))).toEqual(Uint8Array.of(1, 2));
    await expect(c.request("s", "echo", Uint8Array.of(9))).rejects.toMatchObject({ code: "REMOTE_ERROR", remoteCode: "NOT_FOUND" });
    await expect(c.request("s", "echo", Uint8Array.of(8))).rejects.toMatchObject({ code: "BAD_RESPONSE" });
    await expect(c.request("s", "echo", new Uint8Array(5))).rejects.toMatchObject({ code: "TOO_LARGE" });
    await expect(c.request("s", "nope", new Uint8Array(1))).rejects.toMatchObject({ code: "UNKNOWN_PROTOCOL" });
  });
});
