/**
 * Separate node processes over real libp2p TCP on loopback (docs/node.md §Network, §Sync).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createP2P, type P2P } from "@baios/p2p";
import { DEVNET_CHAIN_ID } from "@baios/consensus";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodePair } from "../src/net/wire.ts";
import { loadGenesis } from "../src/genesis.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { startNodeProc, stopNodeProc, until, writeTestGenesis, type NodeProc } from "./helpers/procs.ts";
import { buildTx, tmpDir } from "./helpers/fixture.ts";

const procs: NodeProc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => stopNodeProc(p, "SIGKILL")));
});

/** Both nodes hold the same block at `height` (hash compared over RPC). */
async function sameBlockAt(a: NodeProc, b: NodeProc, height: number): Promise<boolean> {
  const [x, y] = await Promise.all([a.client.getBlock({ height }), b.client.getBlock({ height })]);
  return x.header.hash === y.header.hash;
}

describe("node processes over libp2p (loopback)", () => {
  it("a node that joins late syncs to the same head; restarted after kill -9 it syncs again", async () => {
    const root = tmpDir("baios-p2p-");
    const genesisPath = writeTestGenesis(root, 250);
    const v = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: true });
    procs.push(v);
    const a = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: false, bootstrap: [v.addr] });
    procs.push(a);
    await until(async () => (await v.client.status()).height >= 12, 30_000, "12 blocks");
    // B joins late and knows only A: it must sync the whole chain from A (headers + certificates, then blocks)
    let b = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: false, bootstrap: [a.addr] });
    procs.push(b);
    const h1 = (await v.client.status()).height;
    await until(async () => (await b.client.status()).height >= h1, 30_000, "late node synced");
    expect(await sameBlockAt(v, b, h1)).toBe(true);
    const st = await b.client.status();
    expect(st.network?.sync.imported).toBeGreaterThan(0);
    expect(st.network?.peerCount).toBeGreaterThan(0);
    // kill -9, the chain moves on, restart on the same data dir and ports
    await stopNodeProc(b, "SIGKILL");
    const hKilled = (await v.client.status()).height;
    await until(async () => (await v.client.status()).height >= hKilled + 8, 30_000, "chain moved on");
    b = await startNodeProc({ dataDir: b.dataDir, genesisPath, validator: false, bootstrap: [a.addr], rpcPort: b.rpcPort, p2pPort: b.p2pPort });
    procs.push(b);
    expect(b.peerId).toBe(procs[2]!.peerId); // the persistent peer key in the data dir
    const h2 = (await v.client.status()).height;
    await until(async () => (await b.client.status()).height >= h2, 30_000, "restarted node synced");
    expect(await sameBlockAt(v, b, h2)).toBe(true);
    const [sv, sb] = await Promise.all([v.client.getBlock({ height: h2 }), b.client.getBlock({ height: h2 })]);
    expect(sb.header.outputRoot).toBe(sv.header.outputRoot);
    await Promise.all([v, a, b].map((p) => stopNodeProc(p)));
  }, 90_000);

  it("a peer that sends invalid transactions and blocks is banned; the node keeps working", async () => {
    const root = tmpDir("baios-p2p-");
    const genesisPath = writeTestGenesis(root, 250);
    const v = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: true });
    procs.push(v);
    const chainId = (await v.client.status()).chainId;
    expect(chainId).toBe(DEVNET_CHAIN_ID);
    const bad: P2P = await createP2P({ chainId, dataDir: tmpDir(), listen: ["/ip4/127.0.0.1/tcp/0"], bootstrap: [v.addr] });
    bad.registerTopic({ name: "tx", maxBytes: 1 << 16, validate: async () => "IGNORE" });
    bad.registerTopic({ name: "block", maxBytes: 8 << 20, validate: async () => "IGNORE" });
    await bad.start();
    try {
      await until(() => bad.peers().some((p) => p.id === (v.addr.split("/p2p/")[1] ?? "")), 20_000, "bad peer connected");
      // wait until the node's gossip mesh includes us (publish reaches ≥ 1 peer)
      let probe = 0;
      await until(() => bad.peers().length > 0 && bad.publish("tx", Uint8Array.of(1, 2, 3, probe++)).then((n) => n > 0), 20_000, "gossip subscription");
      for (let i = 0; i < 6 && !(await banned(v, bad.peerId)); i++) {
        // undecodable transaction (TX_MALFORMED → REJECT) and a block whose bytes are junk (BLOCK_MALFORMED → REJECT)
        await bad.publish("tx", Uint8Array.from({ length: 200 }, (_x, j) => (j * 7 + i) & 0xff)).catch(() => 0);
        await bad.publish("block", encodePair(Uint8Array.from({ length: 300 }, (_x, j) => (j + i) & 0xff), new Uint8Array(10))).catch(() => 0);
        await new Promise((r) => setTimeout(r, 300));
      }
      await until(() => banned(v, bad.peerId), 20_000, "ban");
      const st = await v.client.status();
      expect(st.network?.peers.some((p) => p.id === bad.peerId)).toBe(false);
      const h = st.height;
      await until(async () => (await v.client.status()).height > h + 2, 20_000, "node keeps producing");
      const metrics = await (await fetch(`http://127.0.0.1:${v.rpcPort}/metrics`, { headers: { authorization: `Bearer ${(await import("node:fs")).readFileSync(`${v.dataDir}/rpc.cookie`, "utf8").trim()}` } })).text();
      expect(metrics).toMatch(/^baios_p2p_banned_peers [1-9]/m);
    } finally {
      await bad.stop();
      await stopNodeProc(v);
    }
  }, 60_000);
});

describe("Dandelion++ between node processes (loopback)", () => {
  it("a tx submitted at a node is stemmed: the origin's public RPC does not show it at first; every node then gets it", async () => {
    const root = tmpDir("baios-p2p-");
    const genesisPath = writeTestGenesis(root, 60_000); // no block takes the txs away during the test
    const long = ["--dandelion-embargo-ms", "600000"]; // no embargo fires: stems end by fluff epochs or loops
    const v = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: true, extra: long });
    procs.push(v);
    const a = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: false, bootstrap: [v.addr], extra: [...long, "--log-level", "debug"] });
    procs.push(a);
    const b = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: false, bootstrap: [v.addr, a.addr], extra: long });
    procs.push(b);
    await until(async () => ((await a.client.status()).network?.peerCount ?? 0) >= 2, 20_000, "A connected");
    const genesis = await loadGenesis(genesisPath);
    for (let i = 0; i < 3; i++) {
      const t = buildTx(genesis, 2 + i, { salt: 40 + i });
      const id = Buffer.from(t.txid).toString("hex");
      await a.client.submitTx(t.bytes);
      // right after submit_tx the origin answers as if it had never seen it (the stem is under way)
      await expect(a.client.getTx(id)).rejects.toMatchObject({ code: RPC_ERRORS.NOT_FOUND });
      expect((await a.client.getMempool()).txs.some((x) => x.txid === id)).toBe(false);
      // fluffed somewhere along the stem: then every node has it
      await until(async () => (await Promise.all([v, a, b].map((n) => n.client.getTx(id).then(() => true, () => false)))).every(Boolean), 20_000, "tx everywhere");
    }
    const logText = readFileSync(join(a.dataDir, "node.log"), "utf8");
    expect(logText.match(/"action":"stemmed"[^\n]*"own tx routed"/g)?.length ?? 0).toBe(3);
    await Promise.all([v, a, b].map((p) => stopNodeProc(p)));
  }, 60_000);
});

async function banned(n: NodeProc, peerId: string): Promise<boolean> {
  const st = await n.client.status();
  return st.network?.bans.some((b) => b.id === peerId) ?? false;
}
