/**
 * Issue 8, crash safety of a real validator process: 4 `baios node` validators on loopback
 * libp2p keep finalizing while one of them (chosen at random each time) is killed with SIGKILL
 * at a random moment ≥ 20 times and restarted on the same data directory. An in-test libp2p
 * observer records every vote on the `vote` topic: no validator may ever sign two different
 * block hashes for one (kind, height, round) (the double-sign guard, node/src/consensus/
 * signer-guard.ts), no block may carry equivocation evidence, and the restarted node must catch
 * up with the others' head each time.
 */
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { stopNodeProc, until, type NodeProc } from "./helpers/procs.ts";
import { blockAt, clusterSeeds, heightOf, startMember, startVoteObserver, tmp, writeClusterGenesis } from "./helpers/bft-cluster.ts";

const KILLS = 20;

describe("BFT: kill -9 a validator 20 times (real processes)", () => {
  const procs: (NodeProc | undefined)[] = [];
  let observer: Awaited<ReturnType<typeof startVoteObserver>> | undefined;
  afterAll(async () => {
    await observer?.stop().catch(() => undefined);
    for (const p of procs) if (p !== undefined) await stopNodeProc(p, "SIGKILL").catch(() => undefined);
  });

  it("never signs conflicting votes, keeps finalizing, and the restarted validator catches up each time", async () => {
    const root = tmp("baios-bft-kill9-");
    const seeds = clusterSeeds(4);
    const g = writeClusterGenesis(root, seeds, 300);
    const dirs = seeds.map((_, i) => join(root, `v${i}`));
    for (const d of dirs) mkdirSync(d);
    procs.push(await startMember({ dataDir: dirs[0]!, genesisPath: g.path, seed: seeds[0], bootstrap: [] }));
    // a full mesh from the start: a node whose only other peer is the observer (which serves no
    // sync or peer exchange) would not re-dial its bootstrap peers (p2p re-dials only at 0 peers)
    for (let i = 1; i < 4; i++) procs.push(await startMember({ dataDir: dirs[i]!, genesisPath: g.path, seed: seeds[i], bootstrap: procs.map((p) => p!.addr) }));
    observer = await startVoteObserver(g.chainId, procs.map((p) => p!.addr));
    await until(async () => (await Promise.all(procs.map((p) => heightOf(p!)))).every((h) => h >= 2), 40_000, "first blocks");

    let seed = 0x5eed;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 12) % n; // the low bits of this LCG cycle with a short period
    };
    const log: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const i = rnd(4);
      const victim = procs[i]!;
      await new Promise((r) => setTimeout(r, rnd(700)));
      await stopNodeProc(victim, "SIGKILL");
      procs[i] = undefined;
      const others = procs.filter((p): p is NodeProc => p !== undefined);
      const before = Math.max(...(await Promise.all(others.map(heightOf))));
      const bootstrap = others.map((p) => p.addr);
      const p = await startMember({ dataDir: dirs[i]!, genesisPath: g.path, seed: seeds[i], bootstrap, rpcPort: victim.rpcPort, p2pPort: victim.p2pPort });
      procs[i] = p;
      // the observer re-dials it (it would re-dial only at 0 peers): it keeps seeing every validator's votes first-hand,
      // and its peer-exchange answers lead a validator that lost its peers back to the restarted one
      await observer.p2p.dial(p.addr).catch(() => undefined);
      // the others kept finalizing (3 of 4 equal stakes > 2/3) and the restarted one catches up
      await until(async () => (await heightOf(p)) >= before + 1, 20_000, `v${i} catching up past ${before} after kill ${k}`).catch(async (e: unknown) => {
        throw new Error(`${(e as Error).message}: ${(await Promise.all(procs.map(async (q, j) => { const st = await q!.client.status().catch(() => undefined); return `v${j}: h=${st?.height} peers=${st?.network?.peerCount}`; }))).join("; ")}`);
      });
      log.push(`kill ${k}: v${i} at ≥${before}`);
    }
    // every validator, also those not killed last, follows the head
    const head = Math.max(...(await Promise.all(procs.map((p) => heightOf(p!)))));
    const stat = async (): Promise<string> => (await Promise.all(procs.map(async (p, i) => { const st = await p!.client.status(); return `v${i} ${p!.peerId.slice(-6)}: h=${st.height} peers=${st.network?.peers.map((x) => x.id.slice(-6)).join("/")} bans=${JSON.stringify(st.network?.bans)} sync=${JSON.stringify(st.network?.sync)}`; }))).join("; ");
    await until(async () => (await Promise.all(procs.map((p) => heightOf(p!)))).every((x) => x >= head), 20_000, "every validator at the head").catch(async (e: unknown) => {
      throw new Error(`${(e as Error).message}: ${await stat()}`);
    });
    const heights = await Promise.all(procs.map((p) => heightOf(p!)));
    const h = Math.min(...heights);
    expect(h).toBeGreaterThan(KILLS / 2);
    // one chain everywhere
    const tips = await Promise.all(procs.map((p) => blockAt(p!, h)));
    for (const t of tips) expect(t.hash).toBe(tips[0]!.hash);
    // no double sign on the wire, no evidence in any block
    expect(observer.votes.length).toBeGreaterThan(50);
    expect(observer.conflicts()).toEqual([]);
    for (let x = 1; x <= h; x++) expect((await blockAt(procs[0]!, x)).block.evidence).toEqual([]);
    console.log(`kill9: ${KILLS} kills, final heights ${heights.join(",")}, ${observer.votes.length} votes observed`);
  }, 170_000);
});
