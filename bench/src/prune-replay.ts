/**
 * The real-node half of the pruning benchmark (prune.ts; issue 9 Benchmarks "Fast sync" and
 * "Memory"): an in-process archive validator produces a chain of `blocks` blocks at the devnet's
 * lowest block time (10 ms, so the retarget keeps the difficulty at its floor) with a real
 * 1-in/2-out ring-11 transaction every 20th block, then serves it over libp2p on loopback. Two
 * fresh `baios node --mode pruned` child processes bootstrap from it, one after the other:
 * - **full replay**: the normal header/block sync, every block validated and committed;
 * - **fast sync** (`--fast-sync`): the verified snapshot (docs/sync.md), then the normal sync of
 *   the blocks after it.
 * Each is timed from spawn until its `status` height reaches the source's tip, and its
 * `/proc/<pid>/status` VmRSS is sampled every 100 ms (max during the bootstrap, and after 3 s idle).
 * Then, under load: the source includes {@link LOAD_TXS} more real transactions,
 * {@link LOAD_PER_BLOCK} per block, which the fast-synced pruned child imports (every MLSAG and
 * range proof verified, the block committed, old bodies pruned); its VmRSS max over that load.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { genesisToFile } from "@baios/consensus";
import { NodeRpcClient, startNode } from "@baios/node";
import { buildTx, testConfig } from "../../node/test/helpers/fixture.ts";
import { benchGenesis, benchNodeGenesis } from "./chain-fixture.ts";

/** What {@link replayBench} measured. */
export interface ReplayFigures {
  blocks: number;
  txs: number;
  produceS: number;
  /** Spawn → at the source's tip (ms). */
  replayMs: number;
  fastMs: number;
  /** Spawn → RPC up, i.e. the fast sync itself plus process start (ms). */
  fastRpcUpMs: number;
  snapshotHeight: number;
  /** VmRSS bytes: max while bootstrapping, and after 3 s idle at the tip. */
  replayRssMax: number;
  replayRssAfter: number;
  fastRssMax: number;
  fastRssAfter: number;
  /** The pruned children's tails at the end. */
  replayTail: number;
  fastTail: number;
  /** Load phase on the fast-synced child: txs imported, blocks, wall time (ms), VmRSS max (bytes). */
  load: { txs: number; blocks: number; ms: number; rssMax: number };
}

const BIN = fileURLToPath(new URL("../../wallet/bin/baios.ts", import.meta.url));
const TX_EVERY = 20;
/** Transactions of the load phase, and per block. */
const LOAD_TXS = 300;
const LOAD_PER_BLOCK = 25;
const log = (s: string): void => void process.stderr.write(`[prune bench] ${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function vmRss(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Spawns a pruned child bootstrapping from `peer`, waits until it is at `tip`; returns times and RSS. */
async function bootstrapChild(genesisPath: string, peer: string, tip: number, fast: boolean, load?: () => Promise<number>): Promise<{ ms: number; rpcUpMs: number; rssMax: number; rssAfter: number; tail: number; snapshot: number; load?: { ms: number; rssMax: number } }> {
  const dir = mkdtempSync(join(tmpdir(), "baios-prune-child-"));
  const args = [BIN, "node", "--network", "devnet", "--data-dir", dir, "--genesis", genesisPath, "--rpc-host", "127.0.0.1", "--rpc-port", "0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", peer, "--mode", "pruned", "--workers", "1", "--log-level", "info", "--log-file", join(dir, "node.log")];
  if (fast) args.push("--fast-sync");
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_")));
  const t0 = performance.now();
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let out = "";
  let err = "";
  proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, vmRss(proc.pid!))), 100);
  try {
    const rpc = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not start within 600 s\n${err}`)), 600_000);
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^rpc (\S+)$/m.exec(out)?.[1];
        if (m !== undefined) {
          clearTimeout(timer);
          resolve(m);
        }
      });
      proc.once("exit", (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`child exited (${code ?? sig})\n${err}`));
      });
    });
    const rpcUpMs = performance.now() - t0;
    const client = new NodeRpcClient(rpc, { tokenFile: join(dir, "rpc.cookie") });
    const first = await client.status();
    const snapshot = fast ? first.tail : 0;
    for (;;) {
      const st = await client.status();
      if (st.height >= tip) break;
      if (performance.now() - t0 > 1_800_000) throw new Error(`child stuck at ${st.height} of ${tip}`);
      await sleep(50);
    }
    const ms = performance.now() - t0;
    await sleep(3000);
    const rssAfter = vmRss(proc.pid!);
    let loaded: { ms: number; rssMax: number } | undefined;
    if (load !== undefined) {
      const bootMax = rssMax;
      rssMax = 0;
      const l0 = performance.now();
      const loadTip = await load();
      for (;;) {
        const st = await client.status();
        if (st.height >= loadTip) break;
        if (performance.now() - l0 > 600_000) throw new Error(`child stuck at ${st.height} of ${loadTip} under load`);
        await sleep(50);
      }
      loaded = { ms: performance.now() - l0, rssMax };
      rssMax = bootMax;
    }
    const st = await client.status();
    return { ms, rpcUpMs, rssMax, rssAfter, tail: st.tail, snapshot, ...(loaded === undefined ? {} : { load: loaded }) };
  } finally {
    clearInterval(sampler);
    const done = new Promise<void>((r) => proc.once("exit", () => r()));
    if (proc.exitCode === null) proc.kill("SIGTERM");
    await done;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Produces the chain, then measures both bootstraps (module docs). */
export async function replayBench(blocks: number): Promise<ReplayFigures> {
  const outputs = Math.max(40, Math.ceil(blocks / TX_EVERY) + 12) + LOAD_TXS;
  const genesis = await benchNodeGenesis(outputs, 10);
  const dir = mkdtempSync(join(tmpdir(), "baios-prune-src-"));
  const genesisPath = join(dir, "genesis.json");
  writeFileSync(genesisPath, `${JSON.stringify(genesisToFile(benchGenesis(outputs, 10)), null, 2)}\n`);
  const a = await startNode(testConfig(join(dir, "src"), { p2pListen: ["/ip4/127.0.0.1/tcp/0"], mode: "archive" }), { genesis, manualBlocks: true });
  try {
    const t0 = performance.now();
    let txs = 0;
    for (let h = a.chain.tip.height + 1; h <= blocks; h++) {
      if (h % TX_EVERY === 0) {
        await a.submitTx(buildTx(genesis, txs).bytes);
        txs++;
      }
      await a.produceBlock();
      if (h % 500 === 0) log(`  source chain: block ${h} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const produceS = (performance.now() - t0) / 1000;
    const tip = a.chain.tip.height;
    const peer = a.net!.p2p.addresses().find((x) => x.includes("127.0.0.1"));
    if (peer === undefined) throw new Error("source has no loopback address");
    log(`  full replay of ${tip} blocks into a pruned child`);
    const r = await bootstrapChild(genesisPath, peer, tip, false);
    log(`  fast sync of ${tip} blocks into a pruned child`);
    log(`  building ${LOAD_TXS} txs for the load phase`);
    const loadTxs = Array.from({ length: LOAD_TXS }, (_, i) => buildTx(genesis, txs + i).bytes);
    let loadBlocks = 0;
    const load = async (): Promise<number> => {
      for (let i = 0; i < loadTxs.length; i += LOAD_PER_BLOCK) {
        for (const b of loadTxs.slice(i, i + LOAD_PER_BLOCK)) await a.submitTx(b);
        await a.produceBlock();
        loadBlocks++;
      }
      return a.chain.tip.height;
    };
    const f = await bootstrapChild(genesisPath, peer, tip, true, load);
    return {
      load: { txs: LOAD_TXS, blocks: loadBlocks, ms: f.load?.ms ?? NaN, rssMax: f.load?.rssMax ?? NaN }, blocks: tip, txs, produceS, replayMs: r.ms, fastMs: f.ms, fastRpcUpMs: f.rpcUpMs, snapshotHeight: f.snapshot, replayRssMax: r.rssMax, replayRssAfter: r.rssAfter, fastRssMax: f.rssMax, fastRssAfter: f.rssAfter, replayTail: r.tail, fastTail: f.tail };
  } finally {
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
