/**
 * Fast sync through the node's start-up (`--fast-sync`, sync/bootstrap.ts) and under SIGKILL:
 * - `startNode` with `fastSync` on a fresh data dir bootstraps from a MemoryP2P peer's snapshot and
 *   opens at H with the source's tip; a second start does not sync again;
 * - a child process writing a verified snapshot is killed with SIGKILL at random batches: the data
 *   dir then holds either no chain (the staging directory is discarded at the next start and the
 *   write succeeds) or the complete chain (opens at H with the source's roots, and answers
 *   `get_light_update` from genesis exactly as the source: the kept set chain is in the same
 *   staging store, so it is never partial).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { stakingStateHash, toHex } from "@baios/consensus";
import { Chain } from "../src/chain.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { nodeCascadeParams } from "../src/cascade-store.ts";
import { Store } from "../src/store/store.ts";
import { SnapshotServer } from "../src/sync/snapshot-protocol.ts";
import { discardStaging, stagingDir } from "../src/sync/snapshot-write.ts";
import { installSnapshot } from "../src/sync/fast-sync.ts";
import { genesisSetChainHead, verifySetChainSteps } from "../src/sync/set-chain.ts";
import { chainLightSource } from "../src/rpc/light.ts";
import { buildLightUpdate } from "@baios/api/light-update";
import { testConfig, tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain } from "./helpers/fast-sync-genesis.ts";

const CHILD = fileURLToPath(new URL("./helpers/fast-sync-child.ts", import.meta.url));
const KILLS = 8;

describe("fast sync in the node (--fast-sync) and under kill -9", () => {
  it("startNode --fast-sync bootstraps a fresh dir from a peer's snapshot and opens at H with the source's tip", { timeout: 120_000 }, async () => {
    const genesis = await fastSyncGenesis();
    const dirA = tmpDir();
    await produceChain(dirA, genesis, 20);
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    try {
      const a = await startNode(testConfig(dirA), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "src") });
      nodes.push(a);
      const fs = new MemoryP2P(hub, "bootstrap");
      const start = fs.start.bind(fs);
      fs.start = async () => {
        await start();
        await fs.dial(`/memory/${a.net!.p2p.peerId}`);
      };
      const dirB = tmpDir();
      const b = await startNode(testConfig(dirB, { validator: false, validatorKey: undefined, fastSync: true }), { genesis, fastSyncP2p: fs, p2p: new MemoryP2P(hub, "b") });
      nodes.push(b);
      expect(b.chain.tip.height).toBe(20);
      expect(toHex(b.chain.tipHash)).toBe(toHex(a.chain.tipHash));
      expect(toHex(stakingStateHash(b.consensus.executor.stakingState))).toBe(toHex(a.chain.tipHeader.stakingStateHash));
      expect(await b.chain.store.getBlock(19)).toBeUndefined();
      await b.stop();
      nodes.pop();
      // a restart opens the store; no second fast sync (the bootstrap transport is not asked again)
      const again = await startNode(testConfig(dirB, { validator: false, validatorKey: undefined, fastSync: true }), { genesis, fastSyncP2p: { start: () => Promise.reject(new Error("must not run")) } as never });
      nodes.push(again);
      expect(again.chain.tip.height).toBe(20);
    } finally {
      for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
    }
  });

  it(`SIGKILL during the snapshot write (${KILLS} kills): either no chain (re-sync works) or the complete chain`, { timeout: 240_000 }, async () => {
    const genesis = await fastSyncGenesis();
    const dirA = tmpDir();
    await produceChain(dirA, genesis, 24);
    // what a downloader would hold: the snapshot bytes (with the cascade, the window of headers and certificates, block H)
    const store = await Store.open(join(dirA, "chain"), { sync: false });
    const cascadeParams = nodeCascadeParams(genesis.params);
    const chain = await Chain.open(store, genesis.block, genesis.certificate, { cascade: cascadeParams });
    const snap = await new SnapshotServer(chain).latest();
    const H = Number(snap.height);
    const files = tmpDir();
    writeFileSync(join(files, "snapshot.bin"), snap.bytes);
    const start = Math.max(0, H - Number(cascadeParams.depth)) + 1; // the window start: the set chain from genesis ends there
    const setSteps = (await buildLightUpdate(chainLightSource(chain), 0, start)).steps;
    writeFileSync(join(files, "setchain.json"), JSON.stringify({ steps: setSteps }));
    const want = { tip: toHex(chain.tipHash), outputRoot: toHex(chain.tipHeader.outputRoot), keyImageRoot: toHex(chain.tipHeader.keyImageRoot) };
    const wantLight = JSON.stringify(await buildLightUpdate(chainLightSource(chain), 0, H));
    await store.close();

    // how many batches a full write takes (an uninterrupted child)
    const run = (dataDir: string, killAt: number | undefined): Promise<{ batches: number; done: boolean }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CHILD, dataDir, files], { stdio: ["ignore", "pipe", "pipe"] });
        let batches = 0;
        let done = false;
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          for (const line of d.split("\n")) {
            if (line.startsWith("B ")) batches++;
            if (line === "DONE") done = true;
            if (killAt !== undefined && batches >= killAt) child.kill("SIGKILL");
          }
        });
        child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
        child.on("exit", (code, signal) => (code === 0 || signal === "SIGKILL" ? resolve({ batches, done }) : reject(new Error(`child exit ${code}: ${err}`))));
      });
    const full = await run(join(tmpDir(), "d"), undefined);
    expect(full.done).toBe(true);
    expect(full.batches).toBeGreaterThan(10);

    let empty = 0;
    let complete = 0;
    for (let k = 0; k < KILLS; k++) {
      const dataDir = join(tmpDir(), "d");
      mkdirSync(dataDir, { recursive: true });
      // the first child runs to the end (the complete branch); the others die at a random batch
      const killAt = k === 0 ? undefined : 1 + Math.floor(Math.random() * (full.batches + 2));
      const r = await run(dataDir, killAt);
      const chainDir = join(dataDir, "chain");
      if (!existsSync(chainDir)) {
        // nothing usable: the staging directory goes, and the write succeeds from scratch
        empty++;
        discardStaging(chainDir);
        expect(existsSync(stagingDir(chainDir))).toBe(false);
        await installSnapshot({ chainDir, chainId: genesis.params.chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity, cascadeParams, setChain: async () => verifySetChainSteps(genesisSetChainHead(genesis.block.header, genesis.validators), setSteps, genesis.params.chainId) }, snap.bytes);
      } else {
        complete++;
        expect(r.batches).toBeGreaterThanOrEqual(full.batches - 1);
      }
      const s = await Store.open(chainDir, { sync: false });
      const c = await Chain.open(s, genesis.block, genesis.certificate, { cascade: cascadeParams });
      expect(c.tip.height).toBe(H);
      expect({ tip: toHex(c.tipHash), outputRoot: toHex(c.tipHeader.outputRoot), keyImageRoot: toHex(c.tipHeader.keyImageRoot) }).toEqual(want);
      expect(JSON.stringify(await buildLightUpdate(chainLightSource(c), 0, H))).toBe(wantLight);
      await s.close();
    }
    console.log(`fast-sync kill -9: ${KILLS} kills over ${full.batches} batches → ${empty} empty (re-synced), ${complete} complete`);
    expect(empty + complete).toBe(KILLS);
    expect(complete).toBeGreaterThanOrEqual(1);
    expect(empty).toBeGreaterThanOrEqual(1);
  });
});
