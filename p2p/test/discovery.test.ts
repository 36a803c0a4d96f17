import { stat, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createP2P } from "../src/index.ts";
import { peerKeyPath } from "../src/peer-key.ts";
import { CHAIN, Nodes, until } from "./helpers.ts";

let nodes: Nodes;
afterEach(async () => nodes?.cleanup());

describe("discovery", () => {
  it("bootstrap + peer exchange: a node that only knows A learns B", async () => {
    nodes = new Nodes();
    const a = await nodes.create();
    await a.start();
    const boot = [a.addresses()[0] as string];
    const b = await nodes.create({ bootstrap: boot });
    await b.start();
    const c = await nodes.create({ bootstrap: boot });
    await c.start();
    expect(c.peers().map((p) => p.id)).toContain(a.peerId);
    expect(await until(() => c.peers().some((p) => p.id === b.peerId) || b.peers().some((p) => p.id === c.peerId), 20_000)).toBe(true);
  }, 30_000);
});

describe("persistent peer key", () => {
  it("is created 0600 in <dataDir>/p2p/peer.key on first start and reused after", async () => {
    nodes = new Nodes();
    const dir = await nodes.dir();
    const first = await createP2P({ chainId: CHAIN, dataDir: dir, listen: [], bootstrap: [] });
    const st = await stat(peerKeyPath(dir));
    expect(st.mode & 0o777).toBe(0o600);
    const again = await createP2P({ chainId: CHAIN, dataDir: dir, listen: [], bootstrap: [] });
    expect(again.peerId).toBe(first.peerId);
    const other = await createP2P({ chainId: CHAIN, dataDir: await nodes.dir(), listen: [], bootstrap: [] });
    expect(other.peerId).not.toBe(first.peerId);
  });

  it("a corrupt key file is an error, never silently replaced", async () => {
    nodes = new Nodes();
    const dir = await nodes.dir();
    await createP2P({ chainId: CHAIN, dataDir: dir, listen: [], bootstrap: [] });
    await writeFile(peerKeyPath(dir), "garbage");
    await expect(createP2P({ chainId: CHAIN, dataDir: dir, listen: [], bootstrap: [] })).rejects.toThrow(/not a libp2p private key/);
  });
});
