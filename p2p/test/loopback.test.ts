import { describe, expect, it } from "vitest";
import { LoopbackHub, LoopbackNetwork, type NetworkHandlers, type TxMessage } from "../src/index.ts";

describe("LoopbackNetwork", () => {
  it("delivers to every other node (fluffed) and records REJECT verdicts against the sender", async () => {
    const hub = new LoopbackHub();
    const got: string[] = [];
    const handlers = (name: string, verdict: "ACCEPT" | "REJECT"): NetworkHandlers => ({
      onTx: async (m: TxMessage, from) => {
        got.push(`${name}:${m.phase}:${from}`);
        return verdict;
      },
      onBlock: async () => "ACCEPT",
      onVote: async () => "ACCEPT",
    });
    const a = new LoopbackNetwork(hub, "a");
    const b = new LoopbackNetwork(hub, "b");
    const c = new LoopbackNetwork(hub, "c");
    await a.start(handlers("a", "ACCEPT"));
    await b.start(handlers("b", "ACCEPT"));
    await c.start(handlers("c", "REJECT"));
    await a.publishTx({ phase: "stem", bytes: new Uint8Array([1]) });
    expect(got.sort()).toEqual(["b:fluff:a", "c:fluff:a"]);
    expect(c.reports).toEqual([{ peer: "a", action: "REJECT", reason: "invalid message" }]);
    expect(a.peers().sort()).toEqual(["b", "c"]);
    await c.stop();
    expect(a.peers()).toEqual(["b"]);
  });
});
