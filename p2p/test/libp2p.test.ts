import { afterEach, describe, expect, it } from "vitest";
import { P2PError, ProtocolError, type PeerId, type Verdict } from "../src/index.ts";
import { Nodes, until } from "./helpers.ts";

let nodes: Nodes;
afterEach(async () => nodes.cleanup());

describe("libp2p P2P over loopback TCP", () => {
  it("gossips on a topic: validators see the payload and sender; ACCEPT relays to a third node", async () => {
    nodes = new Nodes();
    const seen: Record<string, string[]> = { a: [], b: [], c: [] };
    const mk = async (name: string) => {
      const n = await nodes.create();
      n.registerTopic({ name: "tx", maxBytes: 1000, validate: async (bytes, from: PeerId): Promise<Verdict> => (seen[name]?.push(`${Buffer.from(bytes).toString()}<${from.slice(-4)}`), "ACCEPT") });
      await n.start();
      return n;
    };
    const a = await mk("a");
    const b = await mk("b");
    const c = await mk("c");
    await b.dial(a.addresses()[0] as string);
    await c.dial(b.addresses()[0] as string);
    // wait for the gossipsub meshes (subscriptions are exchanged after identify)
    let probe = 0;
    expect(await until(async () => (await a.publish("tx", new TextEncoder().encode(`probe${probe++}`))) > 0 && seen.c!.length > 0, 15_000)).toBe(true);
    await a.publish("tx", new TextEncoder().encode("hello"));
    expect(await until(() => seen.c!.some((s) => s.startsWith("hello<")))).toBe(true);
    expect(seen.c!.find((s) => s.startsWith("hello<"))).toBe(`hello<${b.peerId.slice(-4)}`);
    expect(seen.a).toEqual([]);
    await expect(a.publish("tx", new Uint8Array(1001))).rejects.toMatchObject({ code: "TOO_LARGE" });
    await expect(a.publish("nope", new Uint8Array(1))).rejects.toMatchObject({ code: "UNKNOWN_PROTOCOL" });
  });

  it("request/response: echo, typed remote errors, caps on both sides, direction in peers()", async () => {
    nodes = new Nodes();
    const server = await nodes.create();
    const client = await nodes.create();
    for (const n of [server, client]) {
      n.registerProtocol({
        name: "echo",
        maxRequestBytes: 100,
        maxResponseBytes: 200,
        handler: async (bytes) => {
          if (bytes[0] === 0xee) throw new ProtocolError("NOT_FOUND", "no such thing");
          if (bytes[0] === 0xff) return new Uint8Array(300);
          return Uint8Array.of(...bytes, ...bytes);
        },
      });
      await n.start();
    }
    await client.dial(server.addresses()[0] as string);
    expect(await client.request(server.peerId, "echo", Uint8Array.of(1, 2))).toEqual(Uint8Array.of(1, 2, 1, 2));
    const err = await client.request(server.peerId, "echo", Uint8Array.of(0xee)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(P2PError);
    expect(err).toMatchObject({ code: "REMOTE_ERROR", remoteCode: "NOT_FOUND" });
    await expect(client.request(server.peerId, "echo", Uint8Array.of(0xff))).rejects.toMatchObject({ code: "REMOTE_ERROR", remoteCode: "INTERNAL" });
    await expect(client.request(server.peerId, "echo", new Uint8Array(101))).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(client.peers().map((p) => [p.id, p.direction])).toEqual([[server.peerId, "outbound"]]);
    expect(server.peers().map((p) => [p.id, p.direction])).toEqual([[client.peerId, "inbound"]]);
    expect(server.peers()[0]?.address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+/);
  });
});
