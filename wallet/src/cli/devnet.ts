/**
 * `baios devnet`: one command that shows the chain working end to end (docs/wallet.md §9).
 *
 * 1. writes a devnet genesis (devnet-genesis.ts: 1 s blocks, easy Tx-PoW, 10-block epochs)
 *    funding the deterministic devnet wallets "alice", "bob" and "dave", with 4 genesis validators
 *    of equal stake, and starts `--nodes` (default 5) node processes (`baios node …`) on loopback:
 *    node0…node3 are the validators, node4 a full node that also has a validator key (not in
 *    the genesis set); every node mines Tx-PoW block candidates; each has its own data directory
 *    (`<dir>/node<i>`), RPC port and p2p port, and each node bootstraps from the nodes before it
 *    over libp2p (TCP, noise, yamux, gossipsub);
 * 2. restores alice, bob and dave from their devnet mnemonics and creates an empty wallet "carol";
 *    dave sends a bond transaction bonding stake to node4's validator key (consent signed with
 *    the key file the devnet wrote);
 * 3. makes private transfers among them, each submitted to a DIFFERENT node's RPC (one to carol,
 *    one with two destinations, one from carol once she has funds), each built, signed and
 *    Tx-PoW-mined here; Dandelion++ stems them before they are fluffed;
 *    with `--nodes` ≥ 2 a pruned full node (`--mode pruned --prune-depth` {@link DEVNET_PRUNE_DEPTH})
 *    starts with the last keyed node;
 * 4. waits until each transfer is in a finalized block, and until node4 is in the validator set
 *    (after the next epoch boundary) and a finality certificate carries its precommit; then starts
 *    a full node with `--fast-sync` and an empty data directory (docs/sync.md);
 * 5. prints a summary: every node's finalized head and state (height, tip hash, output MMR
 *    root, key-image count, peers, `stakingStateHash`) which must agree; the storage table
 *    (devnet-storage.ts: mode, tail, bytes on disk, roots at a common finalized height, "pruning
 *    at work"), checked; blocks and transactions,
 *    sizes, validation times (from node0's /metrics), finality latency p50/p99 (candidate arrival
 *    → certificate, from the nodes' logs), each validator's stake, voting power and signed share
 *    of the run's certificates (`get_staking`, `get_blocks_range`), node4's entry at the epoch
 *    boundary, each wallet's balance as that wallet sees it, the receiver finding its funds and
 *    a tx-key payment proof checked against the chain.
 * `--keep` leaves the node running and prints its endpoints and wallet files.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Command } from "commander";
import getPort from "get-port";
import pWaitFor from "p-wait-for";
import { ed25519PublicKey, txPowExpectedHashes } from "@baios/crypto";
import { NETWORK_PORTS, NodeRpcClient, RPC_ERRORS, RpcError, readRpcCookie } from "@baios/node";
import { formatBai } from "../amount.ts";
import { devnetMnemonic } from "../keys.ts";
import { checkTxKey } from "../txkey.ts";
import { Wallet, type TransferResult } from "../wallet.ts";
import { TEST_SCRYPT } from "../walletfile.ts";
import { bytesToHex } from "../hex.ts";
import { out } from "./common.ts";
import { powBar, scanBar } from "./progress.ts";
import { plainTable } from "./table.ts";
import { DEVNET_FUNDED, DEVNET_MINE_HASH_RATE, DEVNET_PAYOUT_INDEX, DEVNET_STAKE_BAI, DEVNET_STAKING, DEVNET_VALIDATOR_COUNT, devnetTxPowTarget, devnetValidatorSeed, writeDevnetGenesis } from "./devnet-genesis.ts";
import { fastSyncLogLine, printStorageSummary } from "./devnet-storage.ts";
import { printConsensusSummary, waitValidatorEntry, type ValidatorEntry } from "./devnet-staking.ts";
import { bondWithSeed } from "./wallet-stake.ts";

export { DEVNET_FUNDED, DEVNET_PAYOUT_INDEX, DEVNET_POW_FACTOR, devnetTxPowTarget } from "./devnet-genesis.ts";

/** Devnet wallet files are encrypted with this password (and cheap scrypt): throw-away keys only. */
export const DEVNET_WALLET_PASSWORD = "devnet";

/**
 * Devnet Dandelion++ embargo mean (ms): the paper's bound T ≥ −k(k−1)·d_hop / (2·ln(1−ε)) with
 * k = 10, ε = 0.1 and the stem hop delay measured on loopback, d_hop = 63 ms (bench/src/p2p.ts,
 * README §Benchmarks) → 26.9 s, rounded up.
 */
export const DEVNET_EMBARGO_MS = 27_000;

/** Options of {@link runDevnet}: the `baios devnet` flags (docs/wallet.md §10). */
export interface DevnetOptions {
  /** Directory for genesis.json, the node's database, logs and key (`--data-dir`); default a fresh temporary folder, removed afterwards unless `keep` is set or the run failed. */
  dataDir?: string;
  /** Leave the node running (detached) and save the wallets to `<dataDir>/wallets/*.json`, password `devnet` (`--keep`). */
  keep?: boolean;
  /** Block interval in ms (`--block-time-ms`, default 1000), written into a new genesis (`params.blockTimeMs`); the node takes it from there. */
  blockTimeMs?: number;
  /** RPC port of node0 on 127.0.0.1 (`--rpc-port`); default {@link DEVNET_RPC_PORT} (node i: +10·i; p2p {@link DEVNET_P2P_PORT} + 10·i), a busy port replaced by a free one. */
  rpcPort?: number;
  /** Number of node processes (`--nodes`, default 5, at least 1): the first min(4, n − 1) (at least 1) are genesis validators, the others full nodes with a validator key outside the genesis set; the first of them gets the devnet's bond. */
  nodes?: number;
  /** Dandelion++ epoch in ms for every node (`--dandelion-epoch-ms`, default 30 000: short, so a devnet sees several epochs). */
  dandelionEpochMs?: number;
  /** Dandelion++ mean embargo in ms (`--dandelion-embargo-ms`; default {@link DEVNET_EMBARGO_MS}, derived from the loopback hop delay). */
  dandelionEmbargoMs?: number;
  /** No progress bars (`-q`). */
  quiet?: boolean;
  /** Also start a pruned full node (`--mode pruned --prune-depth` {@link DEVNET_PRUNE_DEPTH}) with the others; default true when `nodes` ≥ 2 (`--no-pruned-node`). */
  prunedNode?: boolean;
  /** Also start a full node with `--fast-sync` mid-run, once the transfers are final and the joiner is in the set; default true when `nodes` ≥ 2 (`--no-fast-sync-node`). */
  fastSyncNode?: boolean;
}

/**
 * The devnet's fixed default ports on 127.0.0.1 (README §Default ports): node `i` serves JSON-RPC
 * on {@link DEVNET_RPC_PORT} + 10·i and p2p on {@link DEVNET_P2P_PORT} + 10·i. A port already in
 * use is replaced by a free one (get-port), and the devnet prints the ports it used.
 */
export const DEVNET_RPC_PORT: number = NETWORK_PORTS.devnet.rpc;
/** node0's p2p port; see {@link DEVNET_RPC_PORT}. */
export const DEVNET_P2P_PORT: number = NETWORK_PORTS.devnet.p2p;
/** The wallet RPC port the devnet's printed `baios wallet rpc` line uses. */
export const DEVNET_WALLET_RPC_PORT: number = NETWORK_PORTS.devnet.walletRpc;

/** The preferred port if free on 127.0.0.1, else any free port. */
const portNear = (preferred: number): Promise<number> => getPort({ port: preferred, host: "127.0.0.1" });
/** The `baios` wrapper at the repository root (README §The `baios` command). */
const WRAPPER = fileURLToPath(new URL("../../../baios", import.meta.url));

const BIN = fileURLToPath(new URL("../../bin/baios.ts", import.meta.url));

/**
 * What a devnet node process is: a genesis `validator`; the `joiner` (a full node with a validator
 * key outside the genesis set, bonded in during the run); a `pruned` full node (`--mode pruned
 * --prune-depth` {@link DEVNET_PRUNE_DEPTH}: it deletes block bodies during the run); a
 * `fast-synced` full node started mid-run with `--fast-sync` (docs/sync.md). Every other node is
 * an archive node (the devnet default).
 */
export type DevnetRole = "validator" | "joiner" | "pruned" | "fast-synced";

/**
 * Body depth of the devnet's pruned node, in blocks (`--prune-depth`): bodies deeper than this
 * below the tip are deleted. The devnet's D = unbondingDelay + epochLength = 30 blocks would not
 * be reached in a run of ~15–20 blocks; 4 makes the pruning visible.
 */
export const DEVNET_PRUNE_DEPTH = 4;

interface StartedNode {
  name: string;
  role: DevnetRole;
  child: ChildProcess;
  rpcUrl: string;
  logFile: string;
  /** The node's RPC cookie (`<dir>/rpc.cookie`, written by the node at start). */
  cookieFile: string;
  /** Its p2p multiaddrs with `/p2p/<peerId>` (from `status`). */
  p2p: string[];
  client: NodeRpcClient;
  /** Its validator key (32 bytes hex; "" for the pruned and fast-synced nodes, which have none) and whether it is in the genesis set. */
  validatorKey: string;
  genesisValidator: boolean;
  /** ms from spawning the process until it answered `status` (for the fast-synced node: its bootstrap). */
  startMs: number;
}

/**
 * Starts `baios node` for node `index` in `<dir>/node<index>` and waits until it answers
 * `status`. A validator or the joiner gets its devnet validator key file (`devnetValidatorSeed(index)`,
 * signing once its key is in the set: at once for a genesis validator) and mines candidates paying
 * devnet wallet {@link DEVNET_PAYOUT_INDEX} at {@link DEVNET_MINE_HASH_RATE} hashes/s; the pruned
 * and fast-synced nodes are plain full nodes (no key, no mining).
 */
async function startChildNode(root: string, index: number, genesisPath: string, bootstrap: string[], opts: DevnetOptions & { role: DevnetRole }): Promise<StartedNode> {
  const spawnedAt = Date.now();
  const name = `node${index}`;
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const port = index === 0 && opts.rpcPort !== undefined ? opts.rpcPort : await portNear(DEVNET_RPC_PORT + 10 * index);
  const p2pPort = await portNear(DEVNET_P2P_PORT + 10 * index);
  const logFile = join(dir, "node.log");
  const outFd = openSync(join(dir, "node.out"), "a");
  const args = [
    BIN,
    "node",
    "--network", "devnet",
    "--data-dir", dir,
    "--genesis", genesisPath,
    "--rpc-host", "127.0.0.1",
    "--rpc-port", String(port),
    "--p2p-listen", `/ip4/127.0.0.1/tcp/${p2pPort}`,
    "--max-peers", "16",
    "--dandelion-epoch-ms", String(opts.dandelionEpochMs ?? 30_000),
    "--log-file", logFile,
    "--workers", index === 0 ? "2" : "1",
  ];
  // a lone node has nobody to stem to: its own txs wait for the embargo, so keep it short there
  args.push("--dandelion-embargo-ms", String(opts.dandelionEmbargoMs ?? ((opts.nodes ?? 4) <= 1 ? 1000 : DEVNET_EMBARGO_MS)));
  for (const b of bootstrap) args.push("--bootstrap", b);
  const seed = devnetValidatorSeed(index);
  const keyed = opts.role === "validator" || opts.role === "joiner";
  if (keyed) {
    const keyFile = join(dir, "validator.key");
    writeFileSync(keyFile, bytesToHex(seed) + "\n", { mode: 0o600 });
    const payout = Wallet.restore(devnetMnemonic(DEVNET_PAYOUT_INDEX), "devnet").state;
    args.push("--validator", "--validator-key-file", keyFile, "--payout", `${bytesToHex(payout.viewPublic)}:${bytesToHex(payout.spendPublic)}`, "--mine-hash-rate", String(DEVNET_MINE_HASH_RATE));
  }
  if (opts.role === "pruned") args.push("--mode", "pruned", "--prune-depth", String(DEVNET_PRUNE_DEPTH));
  if (opts.role === "fast-synced") args.push("--fast-sync");
  const child = spawn(process.execPath, args, { stdio: ["ignore", outFd, outFd], detached: opts.keep === true, env: { ...process.env, BAIOS_CONFIG: "" } });
  let exited: string | undefined;
  child.once("exit", (code, sig) => {
    exited = `${name} process exited (${code ?? sig})`;
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const cookieFile = join(dir, "rpc.cookie");
  const probe = new NodeRpcClient(rpcUrl, { timeoutMs: 2000, tokenFile: cookieFile });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) {
      const tail = (p: string): string => (existsSync(p) ? readFileSync(p, "utf8").split("\n").slice(-15).join("\n") : "");
      throw new Error(`${exited}\n${tail(join(dir, "node.out"))}\n${tail(logFile)}`);
    }
    try {
      const st = await probe.status();
      return { name, role: opts.role, child, rpcUrl, logFile, cookieFile, p2p: st.network?.addresses ?? [], client: new NodeRpcClient(rpcUrl, { tokenFile: cookieFile }), validatorKey: keyed ? bytesToHex(ed25519PublicKey(seed)) : "", genesisValidator: opts.role === "validator", startMs: Date.now() - spawnedAt };
    } catch {
      if (Date.now() > deadline) {
        await stopChild(child); // never leave an unanswering node behind
        throw new Error(`${name} did not answer within 60 s`);
      }
      await sleep(150);
    }
  }
}

/** The role in the node list: `[validator]`, `[full node, validator key outside the genesis set]`, `[pruned full node …]`, `[fast-synced full node …]`. */
function roleLabel(n: StartedNode): string {
  switch (n.role) {
    case "validator":
      return `[validator] ${n.validatorKey.slice(0, 10)}…`;
    case "joiner":
      return `[full node, validator key outside the genesis set] ${n.validatorKey.slice(0, 10)}…`;
    case "pruned":
      return `[pruned full node: --mode pruned --prune-depth ${DEVNET_PRUNE_DEPTH}]`;
    case "fast-synced":
      return "[full node started mid-run with --fast-sync]";
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await done;
  clearTimeout(t);
}

/**
 * Waits until the tx is in a (finalized) block; returns its height and the wait in ms. While it
 * is in the Dandelion++ stem phase no node shows it (`get_tx` answers NOT_FOUND): keep asking.
 */
async function waitFinal(client: NodeRpcClient, txid: string, timeoutMs = 120_000): Promise<{ height: number; waitedMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const r = await client.getTx(txid).catch((e: unknown) => {
      if (e instanceof RpcError && e.code === RPC_ERRORS.NOT_FOUND) return undefined;
      throw e;
    });
    if (r !== undefined && r.status === "confirmed" && r.height !== null) return { height: r.height, waitedMs: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`tx ${txid} not finalized after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Parses Prometheus text: `name{labels} value` → sum and count of a histogram per label set. */
function histogram(text: string, name: string): Map<string, { sum: number; count: number }> {
  const m = new Map<string, { sum: number; count: number }>();
  const re = new RegExp(`^${name}_(sum|count)(\\{[^}]*\\})? ([0-9.eE+-]+)$`, "gm");
  for (const x of text.matchAll(re)) {
    const key = x[2] ?? "";
    const e = m.get(key) ?? { sum: 0, count: 0 };
    if (x[1] === "sum") e.sum = Number(x[3]);
    else e.count = Number(x[3]);
    m.set(key, e);
  }
  return m;
}

const short = (s: string): string => `${s.slice(0, 10)}…`;

/** Waits until every node has at least one peer (the full nodes dialled their bootstrap peers). */
async function waitConnected(nodes: StartedNode[], timeoutMs: number): Promise<void> {
  if (nodes.length < 2) return;
  let counts: number[] = [];
  const connected = async (): Promise<boolean> => {
    counts = await Promise.all(nodes.map(async (n) => (await n.client.status().catch(() => undefined))?.network?.peerCount ?? 0));
    return counts.every((c) => c > 0);
  };
  await pWaitFor(connected, { interval: 200, timeout: { milliseconds: timeoutMs, message: new Error(`nodes not connected after ${timeoutMs} ms (peers: ${counts.join(", ")})`) } }).catch((e: unknown) => {
    throw new Error(`nodes not connected after ${timeoutMs} ms (peers: ${counts.join(", ")})`, { cause: e });
  });
}

/** Waits until the node's finalized height reaches `height`. */
async function waitHeight(client: NodeRpcClient, height: number, timeoutMs: number): Promise<void> {
  await pWaitFor(async () => (await client.status()).height >= height, { interval: 100, timeout: { milliseconds: timeoutMs, message: new Error(`node stuck below height ${height} after ${timeoutMs} ms`) } });
}

interface HeadRow {
  name: string;
  height: number;
  tipHash: string;
  outputRoot: string;
  keyImages: number;
  outputs: number;
  peers: number;
  sync: string;
  /** `stakingStateHash` (hex) of the node's staking state after its tip (`get_staking`). */
  stakingHash: string;
}

/**
 * Reads every node's `status` and `get_staking` until all report the same tip hash (blocks keep
 * coming, so a snapshot may straddle one), at most `timeoutMs`; returns the last snapshot and
 * whether the nodes agree on height, tip hash, output MMR root, output count, key-image count and
 * staking state hash.
 */
async function sameHead(nodes: StartedNode[], timeoutMs: number): Promise<{ same: boolean; rows: HeadRow[] }> {
  const t0 = Date.now();
  for (;;) {
    const rows = await Promise.all(
      nodes.map(async (n): Promise<HeadRow> => {
        const [st, sk] = await Promise.all([n.client.status(), n.client.getStaking()]);
        // a block between the two calls: the staking state is then of another height than the head
        const stakingHash = sk.height === st.height ? sk.stakingStateHash : `(height ${sk.height})`;
        return { name: n.name, height: st.height, tipHash: st.tipHash, outputRoot: st.outputRoot, keyImages: st.keyImageCount, outputs: st.outputCount, peers: st.network?.peerCount ?? 0, sync: st.network?.sync.state ?? "-", stakingHash };
      }),
    );
    const r0 = rows[0]!;
    const same = rows.every((r) => r.height === r0.height && r.tipHash === r0.tipHash && r.outputRoot === r0.outputRoot && r.keyImages === r0.keyImages && r.outputs === r0.outputs && r.stakingHash === r0.stakingHash);
    if (same || Date.now() - t0 > timeoutMs) return { same, rows };
    await sleep(50);
  }
}

/**
 * Runs the devnet demo (docs/wallet.md §10): writes or reuses `<dataDir>/genesis.json`, starts
 * `baios node` as a child process, restores alice and bob, creates carol, makes four transfers
 * (each waited for until finalized), prints the summary to stdout and checks every balance and
 * alice's tx-key proof.
 * @returns the exit code: 0 when every check passed, 1 on a mismatch or an error during the run (printed)
 * @throws Error when the child node exits or does not answer within 60 s (before the run starts)
 */
export async function runDevnet(opts: DevnetOptions): Promise<number> {
  const tempDir = opts.dataDir === undefined;
  const dir = resolve(opts.dataDir ?? mkdtempSync(join(tmpdir(), "baios-devnet-")));
  mkdirSync(dir, { recursive: true });
  const blockTimeMs = opts.blockTimeMs ?? 1000;
  out(`== BAIOS devnet ==`);
  out(`data dir   ${dir}${tempDir ? " (temporary)" : ""}`);
  const count = Math.max(1, opts.nodes ?? 5);
  const validatorCount = count === 1 ? 1 : Math.min(DEVNET_VALIDATOR_COUNT, count - 1);
  const genesisPath = writeDevnetGenesis(dir, { blockTimeMs, validators: validatorCount, miners: count });
  out(`genesis    ${genesisPath}  (block time ${blockTimeMs} ms, Tx-PoW ~${txPowExpectedHashes(devnetTxPowTarget())} hashes expected; ${validatorCount} validators × ${DEVNET_STAKE_BAI} BAI, epochs of ${DEVNET_STAKING.epochLength} blocks, unbonding ${DEVNET_STAKING.unbondingDelay} blocks)`);
  const t0 = Date.now();
  const nodes: StartedNode[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => stopChild(n.child)));
  };
  const withPruned = count >= 2 && opts.prunedNode !== false;
  const withFastSync = count >= 2 && opts.fastSyncNode !== false;
  const bootstrapOf = (): string[] => nodes.flatMap((n) => n.p2p.slice(0, 1));
  try {
    // each node dials the nodes started before it: everyone has outbound peers to pick
    // Dandelion++ stem relays from
    for (let i = 0; i < count - 1; i++) nodes.push(await startChildNode(dir, i, genesisPath, bootstrapOf(), { ...opts, blockTimeMs, role: i < validatorCount ? "validator" : "joiner" }));
    // the last keyed node and the pruned node start together (both dial all the nodes before them)
    const last = [startChildNode(dir, count - 1, genesisPath, bootstrapOf(), { ...opts, blockTimeMs, role: count - 1 < validatorCount ? "validator" : "joiner" })];
    if (withPruned) last.push(startChildNode(dir, count, genesisPath, bootstrapOf(), { ...opts, blockTimeMs, role: "pruned" }));
    const settled = await Promise.allSettled(last);
    for (const r of settled) if (r.status === "fulfilled") nodes.push(r.value);
    const bad = settled.find((r) => r.status === "rejected");
    if (bad !== undefined) throw bad.reason;
  } catch (e) {
    await stopAll();
    if (tempDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const node = nodes[0]!;
  const client = node.client;
  for (const n of nodes) out(`${n.name.padEnd(10)} pid ${n.child.pid}, JSON-RPC ${n.rpcUrl}, p2p ${n.p2p[0] ?? "(none)"}  ${roleLabel(n)}`);
  out(`network    ${nodes.length} node processes started in ${Date.now() - t0} ms; waiting for them to connect`);
  await waitConnected(nodes, 60_000);
  const runFrom = (await node.client.status()).height;

  let failed = false;
  const onSignal = (): void => {
    void stopAll().then(() => process.exit(130));
  };
  if (opts.keep !== true) process.once("SIGINT", onSignal);
  try {
    // 2. wallets
    const wallets: Record<string, Wallet> = {};
    for (const f of DEVNET_FUNDED) wallets[f.name] = Wallet.restore(devnetMnemonic(f.index), "devnet");
    const carol0 = Wallet.create("devnet");
    wallets["carol"] = carol0.wallet;
    const mnemonics: Record<string, string> = { ...Object.fromEntries(DEVNET_FUNDED.map((f) => [f.name, devnetMnemonic(f.index)])), carol: carol0.mnemonic };
    const names = Object.keys(wallets);
    out("");
    out("wallets (restored from the devnet mnemonics; carol is new and empty):");
    for (const n of names) {
      const w = wallets[n]!;
      const bar = scanBar({ label: n.padEnd(5), quiet: opts.quiet === true });
      await w.refresh(client, bar.onProgress);
      bar.done();
      const b = await w.balance(client);
      out(`  ${n.padEnd(6)} ${w.address.slice(0, 32)}…  spendable ${formatBai(b.spendable)} BAI, pending ${formatBai(b.pending)} BAI`);
    }
    const start = Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await wallets[n]!.balance()).spendable] as const)));

    // 2b. a bond: dave bonds stake to the first node outside the genesis set, its consent signed
    // with that node's key file; the stake counts from the next epoch boundary
    const joiner = nodes.find((n) => n.role === "joiner");
    let bond: { r: TransferResult; amount: bigint } | undefined;
    if (joiner !== undefined) {
      const amount = DEVNET_STAKE_BAI * 100_000_000n;
      const bar = powBar({ label: "dave bond", quiet: opts.quiet === true });
      const r = await wallets["dave"]!.transfer(joiner.client, { destinations: [], stake: bondWithSeed(devnetValidatorSeed(nodes.indexOf(joiner)), amount), onPowProgress: bar.onPowProgress });
      bar.done();
      bond = { r, amount };
      out("");
      out(`bond       dave bonds ${formatBai(amount)} BAI to ${joiner.name}'s validator key ${short(joiner.validatorKey)} via ${joiner.name}: tx ${short(r.txid)} (${r.size} B, build ${r.buildMs} ms); voting power from the first epoch boundary after it is final`);
    }

    // 3. + 4. transfers, each waited for until finalized
    const BAI = 100_000_000n;
    const plan: { from: string; to: { name: string; amount: bigint }[] }[] = [
      { from: "alice", to: [{ name: "carol", amount: 250n * BAI }] },
      { from: "bob", to: [{ name: "alice", amount: 120n * BAI }, { name: "carol", amount: 755n * (BAI / 10n) }] },
      { from: "alice", to: [{ name: "bob", amount: 42n * BAI }] },
      { from: "carol", to: [{ name: "bob", amount: 100n * BAI }] },
    ];
    const expected: Record<string, bigint> = { ...start };
    if (bond !== undefined) expected["dave"] = expected["dave"]! - bond.amount - bond.r.fee;
    const done: { p: (typeof plan)[number]; r: TransferResult; height: number; waitedMs: number }[] = [];
    out("");
    out("transfers (built, signed and Tx-PoW-mined in this process; each submitted to another node's JSON-RPC):");
    for (const [i, p] of plan.entries()) {
      const w = wallets[p.from]!;
      const via = nodes[(i + 1) % nodes.length]!; // node1, node2, node3, node0, …
      const client = via.client;
      // the wallet must know the blocks this node knows before it builds on them
      await waitHeight(client, (await node.client.status()).height, 30_000);
      const bar = powBar({ label: `${p.from}→`, quiet: opts.quiet === true });
      const r = await w.transfer(client, { destinations: p.to.map((d) => ({ address: wallets[d.name]!.address, amount: d.amount })), onPowProgress: bar.onPowProgress });
      bar.done();
      const fin = await waitFinal(client, r.txid);
      await waitFinal(node.client, r.txid, 30_000); // in the validator's chain too (the next sender refreshes against any node)
      done.push({ p, r, ...fin });
      expected[p.from] = expected[p.from]! - r.fee - p.to.reduce((s, d) => s + d.amount, 0n);
      for (const d of p.to) expected[d.name] = expected[d.name]! + d.amount;
      out(`  ${p.from} → ${p.to.map((d) => `${d.name} ${formatBai(d.amount)}`).join(", ")} BAI via ${via.name}: tx ${short(r.txid)} final at height ${fin.height} (${r.size} B, build ${r.buildMs} ms, final after ${fin.waitedMs} ms)`);
      // the next sender must see the previous transfer (carol spends what she received)
      await w.refresh(client);
    }

    // 4b. the bonded node enters the set at an epoch boundary and signs
    let entry: ValidatorEntry | undefined;
    let bondHeight: number | undefined;
    if (bond !== undefined && joiner !== undefined) {
      bondHeight = (await waitFinal(client, bond.r.txid, 60_000)).height;
      entry = await waitValidatorEntry(client, joiner.validatorKey, 60_000);
      out(`  ${joiner.name} (bond final at height ${bondHeight}) entered the validator set at the epoch boundary ${entry.boundary} (voting power ${formatBai(entry.votingPower)}) and signed its first certificate at height ${entry.firstSigned}`);
      // a few blocks finalized by all five, for the signed shares
      await waitHeight(client, entry.firstSigned + 3, 30_000);
    }

    // 4c. a fresh node joins mid-run with --fast-sync: the archive nodes' verified snapshot, no replay
    if (withFastSync) {
      const at = (await client.status()).height;
      const fresh = await startChildNode(dir, nodes.length, genesisPath, nodes.filter((n) => n.role === "validator").flatMap((n) => n.p2p.slice(0, 1)), { ...opts, blockTimeMs, role: "fast-synced" });
      nodes.push(fresh);
      const fs = fastSyncLogLine(fresh.logFile);
      out("");
      out(`${fresh.name.padEnd(10)} pid ${fresh.child.pid}, JSON-RPC ${fresh.rpcUrl}, p2p ${fresh.p2p[0] ?? "(none)"}  ${roleLabel(fresh)}`);
      out(`fast sync  ${fresh.name} started at height ${at} with an empty data dir, bootstrapping from the genesis validators: ${fs ?? "(no fast-sync line in its log)"}; RPC up ${fresh.startMs} ms after spawn`);
    }

    // 5. summary
    const status = await client.status();
    let txCount = 0;
    let blocks = 0;
    for (let h = 0; h <= status.height; h += 1000) {
      const r = await client.getBlocksRange(h, Math.min(status.height, h + 999));
      blocks += r.blocks.length;
      for (const b of r.blocks) txCount += b.txs.length;
    }
    out("");
    out("== summary ==");
    const heads = await sameHead(nodes, 20_000);
    out(`network     ${nodes.length} nodes; every node's finalized head and state:`);
    out(plainTable(["node", "height", "tip hash", "output MMR root", "key images", "outputs", "peers", "sync", "stakingStateHash"], heads.rows.map((h) => [h.name, h.height, short(h.tipHash), short(h.outputRoot), h.keyImages, h.outputs, h.peers, h.sync, short(h.stakingHash)]), [1, 4, 5, 6]));
    if (heads.same) out(`  ✓ all ${nodes.length} nodes hold the same finalized head ${short(heads.rows[0]!.tipHash)} at height ${heads.rows[0]!.height} with the same output MMR root, key-image count and staking state ${short(heads.rows[0]!.stakingHash)}`);
    else {
      failed = true;
      out("  ✗ the nodes disagree (see the table)");
    }
    if (!(await printStorageSummary(nodes, dir, out))) failed = true;
    out(`chain       ${blocks} blocks (height ${status.height}), ${txCount} transactions, ${status.outputCount} outputs, ${status.keyImageCount} key images spent`);
    out("transactions:");
    out(plainTable(["txid", "height", "size(B)", "in/out", "ring", "fee(BAI)", "Tx-PoW hashes", "build(ms)", "to-final(ms)"], done.map((d) => [short(d.r.txid), d.height, d.r.size, `${d.r.inputs}/${d.r.outputs}`, d.r.ringSize, formatBai(d.r.fee), d.r.powHashes, d.r.buildMs, d.waitedMs]), [1, 2, 3, 4, 5, 6, 7, 8]));
    try {
      const text = await (await fetch(`${node.rpcUrl}/metrics`, { headers: { authorization: `Bearer ${readRpcCookie(node.cookieFile)}` } })).text();
      const v = histogram(text, "baios_tx_validation_seconds");
      const parts = [...v].filter(([, e]) => e.count > 0).map(([k, e]) => `${/stage="([^"]+)"/.exec(k)?.[1] ?? k} ${((e.sum / e.count) * 1000).toFixed(1)} ms`);
      out(`validation  node-side mean per tx: ${parts.join(", ") || "n/a"}`);
      const bc = histogram(text, "baios_block_commit_seconds").get("");
      if (bc && bc.count > 0) out(`            block commit mean ${((bc.sum / bc.count) * 1000).toFixed(1)} ms over ${bc.count} blocks`);
    } catch (e) {
      out(`validation  (metrics unavailable: ${(e as Error).message})`);
    }
    await printConsensusSummary({ client, nodes: nodes.filter((n) => n.validatorKey !== ""), tip: heads.rows[0]!.height, runFrom, entry, print: out, table: plainTable, bai: formatBai });
    if (entry !== undefined && joiner !== undefined) out(`epoch       ${joiner.name} bonded at height ${bondHeight}, entered the set at the epoch boundary ${entry.boundary} (next set: voting power ${formatBai(entry.votingPower)}), first precommit in the certificate of height ${entry.firstSigned} ✓`);
    out("balances (each wallet's own view after scanning):");
    for (const n of names) {
      const w = wallets[n]!;
      await w.refresh(client);
      const b = await w.balance(client);
      const ok = b.spendable + b.pending === expected[n];
      if (!ok) failed = true;
      out(`  ${n.padEnd(6)} spendable ${formatBai(b.spendable).padStart(12)} BAI  pending ${formatBai(b.pending).padStart(8)} BAI  ${ok ? "✓ as expected" : `✗ expected ${formatBai(expected[n]!)}`}`);
    }
    const carol = wallets["carol"]!;
    out("receiver (carol, a wallet created empty) found:");
    for (const h of carol.history()) out(`  ${h.direction === "in" ? "received" : "sent    "} ${formatBai(h.amount).padStart(8)} BAI  in tx ${short(h.txid)} at height ${h.height}`);
    const first = done[0]!;
    const proof = await checkTxKey(client, first.r.txid, wallets[first.p.from]!.txKey(first.r.txid), carol.address, "devnet");
    const proofOk = proof.received === first.p.to[0]!.amount;
    if (!proofOk) failed = true;
    out(`payment proof: alice's tx key for ${short(first.r.txid)} shows ${formatBai(proof.received)} BAI to carol ${proofOk ? "✓" : "✗"}`);
    out(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    if (opts.keep === true) {
      const wdir = join(dir, "wallets");
      mkdirSync(wdir, { recursive: true });
      for (const n of names) {
        const p = join(wdir, `${n}.json`);
        if (existsSync(p)) rmSync(p);
        wallets[n]!.saveAs(p, DEVNET_WALLET_PASSWORD, TEST_SCRYPT);
      }
      out("");
      out("devnet left running (--keep):");
      for (const n of nodes.slice(1)) out(`  ${n.name}      JSON-RPC ${n.rpcUrl}  cookie ${n.cookieFile}  pid ${n.child.pid}  (stop: kill ${n.child.pid})`);
      out(`  JSON-RPC   ${node.rpcUrl}  (node0, a validator)`);
      out(`  metrics    ${node.rpcUrl}/metrics`);
      out(`  rpc cookie ${node.cookieFile}   (curl -u baios:$(cat ${node.cookieFile}) -H 'content-type: application/json' …)`);
      out(`  node pid   ${node.child.pid}   (stop: kill ${node.child.pid})`);
      out(`  node log   ${node.logFile}`);
      out(`  wallets    ${wdir}/{${names.join(",")}}.json   password "${DEVNET_WALLET_PASSWORD}"`);
      out("");
      out("mnemonics (devnet only: throw-away keys; `baios wallet restore` takes them):");
      for (const n of names) out(`  ${n.padEnd(6)} ${mnemonics[n]}`);
      out("");
      out(devnetCommandLines({ baios: onPath("baios") ? "baios" : WRAPPER, rpcUrl: node.rpcUrl, cookieFile: node.cookieFile, walletDir: wdir, names, to: wallets["bob"]!.address }));
      for (const n of nodes) n.child.unref();
    }
  } catch (e) {
    failed = true;
    out(`devnet failed: ${(e as Error).stack ?? String(e)}`);
    for (const n of nodes) out(`${n.name} log: ${n.logFile}`);
  } finally {
    if (opts.keep !== true || failed) {
      process.removeListener("SIGINT", onSignal);
      await stopAll();
      if (tempDir && !failed) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (failed) out("devnet: FAILED");
  return failed ? 1 : 0;
}

/** True when `cmd` is an executable on PATH. */
function onPath(cmd: string): boolean {
  return (process.env["PATH"] ?? "").split(delimiter).some((d) => d !== "" && existsSync(join(d, cmd)));
}

/**
 * The command lines printed by `baios devnet --keep`: each works as printed against the running
 * devnet (wallet files, password `devnet`, node0's RPC and cookie). Tested by running them
 * (wallet/test/devnet-commands.test.ts).
 */
export function devnetCommandLines(o: { baios: string; rpcUrl: string; cookieFile: string; walletDir: string; names: readonly string[]; to: string }): string {
  // BAIOS_NETWORK too: the lines then work whatever network the user's shell names
  const env = `export BAIOS_NETWORK=devnet BAIOS_RPC_URL=${o.rpcUrl} BAIOS_RPC_TOKEN_FILE=${o.cookieFile} BAIOS_WALLET_PASSWORD=${DEVNET_WALLET_PASSWORD}`;
  const w = (n: string): string => join(o.walletDir, `${n}.json`);
  return [
    "try (copy line by line; the first sets the network, the node and the devnet wallet password for this shell):",
    `  ${env}`,
    ...o.names.map((n) => `  ${o.baios} wallet balance --wallet ${w(n)}`),
    `  ${o.baios} wallet history --wallet ${w("alice")}`,
    `  ${o.baios} wallet transfer --wallet ${w("alice")} ${o.to} 1.5`,
    `  ${o.baios} wallet open --wallet ${w("carol")}`,
    `  ${o.baios} wallet rpc --wallet ${w("carol")} --port ${DEVNET_WALLET_RPC_PORT}`,
  ].join("\n");
}

/** The `baios devnet` commander command (`--data-dir`, `--keep`, `--block-time-ms`, `--rpc-port`, `-q`); sets `process.exitCode` from {@link runDevnet}. */
export function devnetCommand(): Command {
  return new Command("devnet")
    .description("start a local devnet (5 node processes on loopback: 4 BFT validators, 1 full node that joins the validator set through a bond) and run private transfers among devnet wallets, each via another node")
    .option("--data-dir <dir>", "node data directory (default: a temporary folder, removed afterwards)")
    .option("--keep", "leave the devnet running and print its RPC endpoints")
    .option("--block-time-ms <ms>", "block interval", "1000")
    .option("--rpc-port <port>", "node0's RPC port (default 48545; node i uses 48545+10·i, p2p 48544+10·i; a busy port is replaced by a free one)")
    .option("--nodes <n>", "node processes on loopback (the first min(4, n-1) are genesis validators; the next one joins the set by a bond)", "5")
    .option("--dandelion-epoch-ms <ms>", "Dandelion++ epoch of every node", "30000")
    .option("--dandelion-embargo-ms <ms>", "Dandelion++ mean embargo of every node (default 27000: the paper's bound for the loopback hop delay)")
    .option("--no-pruned-node", `no extra pruned full node (default: one, --mode pruned --prune-depth ${DEVNET_PRUNE_DEPTH}, when --nodes ≥ 2)`)
    .option("--no-fast-sync-node", "no extra full node joining mid-run with --fast-sync (default: one when --nodes ≥ 2)")
    .option("-q, --quiet", "no progress bars")
    .action(async (o: { dataDir?: string; keep?: boolean; blockTimeMs: string; rpcPort?: string; quiet?: boolean; nodes: string; dandelionEpochMs: string; dandelionEmbargoMs?: string; prunedNode: boolean; fastSyncNode: boolean }) => {
      const d: DevnetOptions = { blockTimeMs: Number(o.blockTimeMs), nodes: Number(o.nodes), dandelionEpochMs: Number(o.dandelionEpochMs), prunedNode: o.prunedNode, fastSyncNode: o.fastSyncNode };
      if (o.dandelionEmbargoMs !== undefined) d.dandelionEmbargoMs = Number(o.dandelionEmbargoMs);
      if (o.dataDir !== undefined) d.dataDir = o.dataDir;
      if (o.keep === true) d.keep = true;
      if (o.rpcPort !== undefined) d.rpcPort = Number(o.rpcPort);
      if (o.quiet === true) d.quiet = true;
      process.exitCode = await runDevnet(d);
    });
}
