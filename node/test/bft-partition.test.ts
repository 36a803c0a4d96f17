/**
 * Issue 8, network partition and late joiner with real `baios node` processes on loopback
 * libp2p: 4 validators of equal stake finalize; then every validator is restarted (SIGKILL, same
 * data directory) on a new p2p port into two islands {v0, v1} and {v2, v3} that know only each
 * other's new addresses, so neither side holds > 2/3 of the stake: no height may be finalized.
 * The partition heals when a full node started only now (a late joiner) dials one validator of
 * each island: gossip crosses it, finality resumes within a few rounds, every node agrees on the
 * blocks, and the late joiner syncs to the same head.
 */
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { freePort, stopNodeProc, until, type NodeProc } from "./helpers/procs.ts";
import { blockAt, clusterSeeds, heightOf, startMember, tmp, writeClusterGenesis } from "./helpers/bft-cluster.ts";

describe("BFT: partition without a 2/3 side, then heal (real processes)", () => {
  const procs: NodeProc[] = [];
  afterAll(async () => {
    for (const p of procs) await stopNodeProc(p, "SIGKILL").catch(() => undefined);
  });

  it("no finality while split 2|2; resumes after healing; all nodes and a late joiner agree", async () => {
    const root = tmp("baios-bft-part-");
    const seeds = clusterSeeds(4);
    const g = writeClusterGenesis(root, seeds, 300);
    const dirs = seeds.map((_, i) => join(root, `v${i}`));
    for (const d of dirs) mkdirSync(d);
    const v: NodeProc[] = [];
    v.push(await startMember({ dataDir: dirs[0]!, genesisPath: g.path, seed: seeds[0], bootstrap: [] }));
    for (let i = 1; i < 4; i++) v.push(await startMember({ dataDir: dirs[i]!, genesisPath: g.path, seed: seeds[i], bootstrap: [v[0]!.addr] }));
    procs.push(...v);
    await until(async () => (await Promise.all(v.map(heightOf))).every((h) => h >= 5), 40_000, "first blocks");

    // split: restart everyone on new p2p ports, each island knowing only its own members
    await Promise.all(v.map((p) => stopNodeProc(p, "SIGKILL")));
    procs.length = 0;
    const island = async (a: number, b: number): Promise<NodeProc[]> => {
      const pa = await startMember({ dataDir: dirs[a]!, genesisPath: g.path, seed: seeds[a], bootstrap: [], rpcPort: v[a]!.rpcPort, p2pPort: await freePort() });
      procs.push(pa);
      const pb = await startMember({ dataDir: dirs[b]!, genesisPath: g.path, seed: seeds[b], bootstrap: [pa.addr], rpcPort: v[b]!.rpcPort, p2pPort: await freePort() });
      procs.push(pb);
      return [pa, pb];
    };
    const [a0, a1] = await island(0, 1);
    const [b0, b1] = await island(2, 3);
    const split = [a0!, a1!, b0!, b1!];
    await until(async () => (await a1!.client.status()).network!.peers.some((p) => p.id === a0!.peerId), 15_000, "island A connected");
    await until(async () => (await b1!.client.status()).network!.peers.some((p) => p.id === b0!.peerId), 15_000, "island B connected");
    await new Promise((r) => setTimeout(r, 1500));
    const frozen = await Promise.all(split.map(heightOf));
    await new Promise((r) => setTimeout(r, 5000)); // > several rounds with 1 s propose / 0.3 s vote timeouts
    expect(await Promise.all(split.map(heightOf))).toEqual(frozen);
    // the islands really are apart
    for (const p of [a0!, a1!]) expect((await p.client.status()).network!.peers.map((x) => x.id)).not.toContain(b0!.peerId);

    // heal through a late-joining full node that dials both islands
    const fullDir = join(root, "full");
    mkdirSync(fullDir);
    const full = await startMember({ dataDir: fullDir, genesisPath: g.path, seed: undefined, bootstrap: [a0!.addr, b0!.addr] });
    procs.push(full);
    const top = Math.max(...frozen);
    const healedAt = Date.now();
    await until(async () => (await Promise.all(split.map(heightOf))).every((h) => h >= top + 3), 30_000, "finality after healing");
    const resumeMs = Date.now() - healedAt;
    const h = Math.min(...(await Promise.all(split.map(heightOf))));
    await until(async () => (await heightOf(full)) >= h, 20_000, "late joiner synced");
    const hashes = await Promise.all([...split, full].map(async (p) => (await blockAt(p, h)).hash));
    for (const x of hashes) expect(x).toBe(hashes[0]);
    // every height on one chain: parent links of the late joiner's copy match validator 0's hashes
    for (let x = 1; x <= h; x++) expect((await blockAt(full, x)).hash).toBe((await blockAt(a0!, x)).hash);
    console.log(`partition: frozen at ${frozen.join(",")}, +3 heights ${resumeMs} ms after healing, agreed up to ${h}`);
  }, 120_000);
});
