/**
 * p2p benchmark (README §Benchmarks): 4 node processes (`baios node`, 1 validator + 3 full
 * nodes) over libp2p TCP on loopback, Dandelion++ on, real ring-11 RingCT transactions.
 *
 * 1. **Propagation**: each tx is submitted to one node (round-robin) and timed until `get_tx`
 *    finds it (mempool or block) on EVERY node, polled every 5 ms; the stem phase is included
 *    (the origin itself shows the tx only once it is fluffed). p50/p99 over `LAT_TXS` txs.
 * 2. **Bytes on the wire per tx**: every node counts the bytes it writes on its p2p TCP
 *    connections (bench/src/p2p-bytes-preload.ts, TCP payload: noise + yamux + gossipsub +
 *    request framing). A burst of `BYTES_TXS` txs is timed until every node has all of them;
 *    an idle window of the same length (heartbeats, blocks, peer exchange) is subtracted.
 *    Reported for the whole network per tx and per node per tx, against the tx size.
 * 3. **RSS per node** (VmRSS from /proc) sampled every 100 ms from before the burst to the end;
 *    peak per node.
 * 4. **Stem hop delay** (send → the relay checked the tx in full and answered), from the
 *    nodes' debug logs ("stem hop"): the d_hop of the embargo derivation (docs/node.md §Dandelion++).
 * Writes bench/results/p2p.json and prints a table. Not a test: nothing is asserted.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { genesisToFile } from "@baios/consensus";
import { RpcError, RPC_ERRORS, type NodeRpcClient } from "@baios/node";
import { freePort, startNodeProc, stopNodeProc, until, type NodeProc } from "../../node/test/helpers/procs.ts";
import { tmpDir } from "../../node/test/helpers/fixture.ts";
import { benchGenesis, benchNodeGenesis, buildSpend } from "./chain-fixture.ts";
import { median, printTable } from "./harness.ts";

const NODES = 4;
const LAT_TXS = Number(process.env["BENCH_P2P_LAT_TXS"] ?? 40);
const BYTES_TXS = Number(process.env["BENCH_P2P_BYTES_TXS"] ?? 40);
const PREMINE = LAT_TXS + BYTES_TXS + 40;
const BLOCK_TIME_MS = 2000;
const PRELOAD = fileURLToPath(new URL("./p2p-bytes-preload.ts", import.meta.url));
const RESULTS = fileURLToPath(new URL("../results/", import.meta.url));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** Does the node show the tx (mempool or confirmed)? */
async function has(c: NodeRpcClient, txid: string): Promise<boolean> {
  try {
    await c.getTx(txid);
    return true;
  } catch (e) {
    if (e instanceof RpcError && e.code === RPC_ERRORS.NOT_FOUND) return false;
    throw e;
  }
}

function vmRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? NaN : Number(m[1]) / 1024;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const root = tmpDir("baios-bench-p2p-");
  const genesisPath = join(root, "genesis.json");
  writeFileSync(genesisPath, JSON.stringify(genesisToFile(benchGenesis(PREMINE, BLOCK_TIME_MS)), null, 2));
  const genesis = await benchNodeGenesis(PREMINE, BLOCK_TIME_MS);
  const nodes: NodeProc[] = [];
  const bytesFiles: string[] = [];
  const onSignal = (): void => {
    void Promise.all(nodes.map((n) => stopNodeProc(n))).then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  log(`starting ${NODES} node processes…`);
  try {
    for (let i = 0; i < NODES; i++) {
      const dataDir = join(root, `node${i}`);
      mkdirSync(dataDir, { recursive: true });
      const rpcPort = await freePort();
      const bytesFile = join(dataDir, "p2p-bytes.json");
      bytesFiles.push(bytesFile);
      nodes.push(
        await startNodeProc({
          dataDir,
          genesisPath,
          validator: i === 0,
          rpcPort,
          bootstrap: nodes.map((n) => n.addr),
          extra: ["--log-level", "debug", "--workers", "1", "--dandelion-epoch-ms", "60000"],
          nodeArgs: ["--import", PRELOAD],
          env: { BAIOS_BENCH_BYTES_FILE: bytesFile, BAIOS_BENCH_RPC_PORT: String(rpcPort) },
        }),
      );
    }
    await until(async () => (await Promise.all(nodes.map(async (n) => (await n.client.status()).network?.peerCount ?? 0))).every((c) => c >= 2), 30_000, "peers");
    const h0 = (await nodes[0]!.client.status()).height;
    await until(async () => (await Promise.all(nodes.map(async (n) => (await n.client.status()).height))).every((h) => h >= h0), 30_000, "sync");
    const bytesNow = (): number => bytesFiles.reduce((s, f) => s + (existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { written: number }).written : 0), 0);
    let next = 0;
    const tx = (): ReturnType<typeof buildSpend> => buildSpend(genesis, next++);

    // 1. propagation
    log(`propagation: ${LAT_TXS} txs, each submitted to one node, until every node has it…`);
    const lat: number[] = [];
    let txSize = 0;
    for (let i = 0; i < LAT_TXS; i++) {
      const t = tx();
      txSize = t.bytes.length;
      const id = hex(t.txid);
      const t0 = performance.now();
      await nodes[i % NODES]!.client.submitTx(t.bytes);
      const seen = new Set<number>();
      while (seen.size < NODES) {
        await Promise.all(nodes.map(async (n, k) => (seen.has(k) ? undefined : (await has(n.client, id)) && seen.add(k))));
        if (seen.size < NODES) await sleep(5);
        if (performance.now() - t0 > 120_000) throw new Error(`tx ${id} did not reach every node in 120 s`);
      }
      lat.push(performance.now() - t0);
    }

    // 2. bytes per tx (burst) with an idle baseline of the same length; 3. RSS throughout
    const rss: number[][] = nodes.map(() => []);
    const sampler = setInterval(() => nodes.forEach((n, k) => rss[k]!.push(vmRssMb(n.child.pid!))), 100);
    const burst = Array.from({ length: BYTES_TXS }, () => tx());
    const b0 = bytesNow();
    const tb0 = performance.now();
    await Promise.all(burst.map((t, i) => nodes[i % NODES]!.client.submitTx(t.bytes)));
    for (const t of burst) await until(async () => (await Promise.all(nodes.map((n) => has(n.client, hex(t.txid))))).every(Boolean), 180_000, "burst propagation");
    await sleep(300); // counters are written every 100 ms
    const burstMs = performance.now() - tb0;
    const burstBytes = bytesNow() - b0;
    log(`idle baseline of ${(burstMs / 1000).toFixed(1)} s…`);
    const i0 = bytesNow();
    await sleep(burstMs);
    const idleBytes = bytesNow() - i0;
    clearInterval(sampler);
    const perTxNetwork = (burstBytes - idleBytes) / BYTES_TXS;
    const perTxNode = perTxNetwork / NODES;

    // 4. stem hop delays from the logs
    const hops: number[] = [];
    for (const n of nodes) {
      const text = existsSync(join(n.dataDir, "node.log")) ? readFileSync(join(n.dataDir, "node.log"), "utf8") : "";
      for (const m of text.matchAll(/"hopMs":([0-9.]+)/g)) hops.push(Number(m[1]));
    }
    const rssPeak = rss.map((xs) => Math.max(...xs.filter((x) => Number.isFinite(x))));
    const result = {
      when: new Date().toISOString(),
      nodes: NODES,
      setup: "4 `baios node` processes on loopback (node0 validator, 3 full nodes), libp2p TCP+noise+yamux+gossipsub, Dandelion++ on, 2 s blocks, 1 worker thread each, 2-core machine shared with other jobs",
      txBytes: txSize,
      propagation: { txs: LAT_TXS, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: Math.max(...lat), medianMs: median(lat) },
      wire: { txs: BYTES_TXS, burstMs, burstBytes, idleBytes, perTxNetworkBytes: perTxNetwork, perTxPerNodeBytes: perTxNode, perNodeRatioToTx: perTxNode / txSize },
      rssPeakMb: rssPeak,
      stemHopMs: { samples: hops.length, p50: pct(hops, 50), p90: pct(hops, 90), mean: hops.reduce((s, x) => s + x, 0) / Math.max(1, hops.length) },
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "p2p.json"), JSON.stringify(result, null, 2) + "\n");
    printTable(
      ["figure", "value", "target"],
      [
        ["propagation submit → every node's mempool, p50", `${result.propagation.p50Ms.toFixed(0)} ms`, "measure (stem phase included)"],
        ["propagation p99", `${result.propagation.p99Ms.toFixed(0)} ms`, "measure"],
        ["bytes on the wire per tx, whole network", `${perTxNetwork.toFixed(0)} B`, "measure"],
        ["bytes per tx per node / tx size", `${perTxNode.toFixed(0)} B / ${txSize} B = ${result.wire.perNodeRatioToTx.toFixed(2)}×`, "≤ 3×"],
        ["RSS per node under load (peak)", rssPeak.map((x) => `${x.toFixed(0)}`).join(" / ") + " MB", "≤ 250 MB"],
        ["stem hop delay (send → relay checked, answered)", `p50 ${result.stemHopMs.p50.toFixed(1)} ms, p90 ${result.stemHopMs.p90.toFixed(1)} ms (${hops.length} hops)`, "d_hop for the embargo"],
      ],
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await Promise.all(nodes.map((n) => stopNodeProc(n)));
  }
}

await main();
