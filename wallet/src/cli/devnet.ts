/**
 * `baios devnet`: one command that shows the chain working end to end (docs/wallet.md §9).
 *
 * 1. writes a devnet genesis (fast blocks, easy Tx-PoW) funding the deterministic devnet wallets
 *    "alice" and "bob", and starts a node as a separate child process (`baios node …`) with its
 *    data directory in a temporary folder (or `--data-dir`), talking real HTTP JSON-RPC;
 * 2. restores alice and bob from their devnet mnemonics and creates an empty wallet "carol";
 * 3. makes private transfers among them through the RPC (one to carol, one with two
 *    destinations, one from carol once she has funds), each built, signed and Tx-PoW-mined here;
 * 4. waits until each transfer is in a finalized block;
 * 5. prints a summary: blocks and transactions, sizes, validation times (from the node's
 *    /metrics), each wallet's balance as that wallet sees it, the receiver finding its funds and
 *    a tx-key payment proof checked against the chain.
 * `--keep` leaves the node running and prints its endpoints and wallet files.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { DEFAULT_TXPOW_TARGET, ed25519PublicKey, txPowExpectedHashes } from "@baios/crypto";
import { devnetGenesis, genesisToFile } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, NodeRpcClient, readRpcCookie } from "@baios/node";
import { formatBai } from "../amount.ts";
import { devnetMnemonic } from "../keys.ts";
import { checkTxKey } from "../txkey.ts";
import { Wallet, type TransferResult } from "../wallet.ts";
import { TEST_SCRYPT } from "../walletfile.ts";
import { bytesToHex } from "../hex.ts";
import { out } from "./common.ts";
import { powBar, scanBar } from "./progress.ts";

/** Devnet wallets funded by the genesis: index into {@link devnetMnemonic}, outputs × amount. */
export const DEVNET_FUNDED = [
  { name: "alice", index: 0, outputs: 8, amountBai: 10_000n },
  { name: "bob", index: 1, outputs: 8, amountBai: 10_000n },
] as const;
/** The validator's coinbase goes to devnet wallet 9. */
export const DEVNET_PAYOUT_INDEX = 9;
/** Devnet wallet files are encrypted with this password (and cheap scrypt): throw-away keys only. */
export const DEVNET_WALLET_PASSWORD = "devnet";
/** Devnet Tx-PoW: 16× easier than the calibrated default (50 000 expected hashes instead of 800 000, ~30 ms in WASM). */
export const DEVNET_POW_FACTOR = 16n;

/** The devnet Tx-PoW target: `DEFAULT_TXPOW_TARGET · DEVNET_POW_FACTOR + (DEVNET_POW_FACTOR − 1)`, capped at 2^256 − 1; 32 bytes big-endian (docs/crypto.md §7, docs/wallet.md §10). */
export function devnetTxPowTarget(): Uint8Array {
  let t = 0n;
  for (const b of DEFAULT_TXPOW_TARGET) t = (t << 8n) | BigInt(b);
  t = t * DEVNET_POW_FACTOR + (DEVNET_POW_FACTOR - 1n);
  const max = (1n << 256n) - 1n;
  if (t > max) t = max;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  return out;
}

/** Options of {@link runDevnet}: the `baios devnet` flags (docs/wallet.md §10). */
export interface DevnetOptions {
  /** Directory for genesis.json, the node's database, logs and key (`--data-dir`); default a fresh temporary folder, removed afterwards unless `keep` is set or the run failed. */
  dataDir?: string;
  /** Leave the node running (detached) and save the wallets to `<dataDir>/wallets/*.json`, password `devnet` (`--keep`). */
  keep?: boolean;
  /** Block interval in ms (`--block-time-ms`, default 1000), written into a new genesis (`params.blockTimeMs`); the node takes it from there. */
  blockTimeMs?: number;
  /** Node RPC port on 127.0.0.1 (`--rpc-port`); default a free port. */
  rpcPort?: number;
  /** No progress bars (`-q`). */
  quiet?: boolean;
}

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => res(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const BIN = fileURLToPath(new URL("../../bin/baios.ts", import.meta.url));

/** Writes (or reuses) the devnet genesis file in `dir`. */
function writeGenesis(dir: string, blockTimeMs: number): string {
  const path = join(dir, "genesis.json");
  if (existsSync(path)) return path;
  const wallets = DEVNET_FUNDED.flatMap((f) => {
    const w = Wallet.restore(devnetMnemonic(f.index), "devnet");
    return Array.from({ length: f.outputs }, (_x, i) => ({
      label: `devnet ${f.name} ${i + 1}/${f.outputs}`,
      address: { viewPublic: w.state.viewPublic, spendPublic: w.state.spendPublic },
      amount: f.amountBai * 100_000_000n,
    }));
  });
  const g = devnetGenesis({
    wallets,
    validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: 1n }],
    params: { blockTimeMs, txPowTarget: devnetTxPowTarget(), coinbaseMaturity: 10n },
  });
  writeFileSync(path, JSON.stringify(genesisToFile(g), null, 2) + "\n");
  return path;
}

interface StartedNode {
  child: ChildProcess;
  rpcUrl: string;
  logFile: string;
  /** The node's RPC cookie (`<dir>/rpc.cookie`, written by the node at start). */
  cookieFile: string;
}

async function startChildNode(dir: string, genesisPath: string, opts: DevnetOptions): Promise<StartedNode> {
  const keyFile = join(dir, "validator.key");
  writeFileSync(keyFile, bytesToHex(DEVNET_VALIDATOR_SEED) + "\n", { mode: 0o600 });
  const payout = Wallet.restore(devnetMnemonic(DEVNET_PAYOUT_INDEX), "devnet").state;
  const port = opts.rpcPort ?? (await freePort());
  const logFile = join(dir, "node.log");
  const outFd = openSync(join(dir, "node.out"), "a");
  const args = [
    BIN,
    "node",
    "--data-dir", dir,
    "--genesis", genesisPath,
    "--rpc-host", "127.0.0.1",
    "--rpc-port", String(port),
    "--validator",
    "--validator-key-file", keyFile,
    "--payout", `${bytesToHex(payout.viewPublic)}:${bytesToHex(payout.spendPublic)}`,
    "--log-file", logFile,
    "--workers", "2",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", outFd, outFd], detached: opts.keep === true, env: { ...process.env, BAIOS_CONFIG: "" } });
  let exited: string | undefined;
  child.once("exit", (code, sig) => {
    exited = `node process exited (${code ?? sig})`;
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const client = new NodeRpcClient(rpcUrl, { timeoutMs: 2000, tokenFile: join(dir, "rpc.cookie") });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) {
      const tail = (p: string): string => (existsSync(p) ? readFileSync(p, "utf8").split("\n").slice(-15).join("\n") : "");
      throw new Error(`${exited}\n${tail(join(dir, "node.out"))}\n${tail(logFile)}`);
    }
    try {
      await client.status();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stopChild(child); // never leave an unanswering node behind
        throw new Error("the node did not answer within 60 s");
      }
      await sleep(150);
    }
  }
  return { child, rpcUrl, logFile, cookieFile: join(dir, "rpc.cookie") };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await done;
  clearTimeout(t);
}

/** Waits until the tx is in a (finalized) block; returns its height and the wait in ms. */
async function waitFinal(client: NodeRpcClient, txid: string, timeoutMs = 120_000): Promise<{ height: number; waitedMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const r = await client.getTx(txid);
    if (r.status === "confirmed" && r.height !== null) return { height: r.height, waitedMs: Date.now() - t0 };
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
  const genesisPath = writeGenesis(dir, blockTimeMs);
  out(`genesis    ${genesisPath}  (block time ${blockTimeMs} ms, Tx-PoW ~${txPowExpectedHashes(devnetTxPowTarget())} hashes expected)`);
  const t0 = Date.now();
  let node: Awaited<ReturnType<typeof startChildNode>>;
  try {
    node = await startChildNode(dir, genesisPath, { ...opts, blockTimeMs });
  } catch (e) {
    if (tempDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const client = new NodeRpcClient(node.rpcUrl, { tokenFile: node.cookieFile });
  out(`node       pid ${node.child.pid}, JSON-RPC ${node.rpcUrl} (started in ${Date.now() - t0} ms)`);

  let failed = false;
  const onSignal = (): void => {
    void stopChild(node.child).then(() => process.exit(130));
  };
  if (opts.keep !== true) process.once("SIGINT", onSignal);
  try {
    // 2. wallets
    const wallets: Record<string, Wallet> = {};
    for (const f of DEVNET_FUNDED) wallets[f.name] = Wallet.restore(devnetMnemonic(f.index), "devnet");
    wallets["carol"] = Wallet.create("devnet").wallet;
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

    // 3. + 4. transfers, each waited for until finalized
    const BAI = 100_000_000n;
    const plan: { from: string; to: { name: string; amount: bigint }[] }[] = [
      { from: "alice", to: [{ name: "carol", amount: 250n * BAI }] },
      { from: "bob", to: [{ name: "alice", amount: 120n * BAI }, { name: "carol", amount: 755n * (BAI / 10n) }] },
      { from: "alice", to: [{ name: "bob", amount: 42n * BAI }] },
      { from: "carol", to: [{ name: "bob", amount: 100n * BAI }] },
    ];
    const expected: Record<string, bigint> = { ...start };
    const done: { p: (typeof plan)[number]; r: TransferResult; height: number; waitedMs: number }[] = [];
    out("");
    out("transfers (built, signed and Tx-PoW-mined in this process; submitted over JSON-RPC):");
    for (const p of plan) {
      const w = wallets[p.from]!;
      const bar = powBar({ label: `${p.from}→`, quiet: opts.quiet === true });
      const r = await w.transfer(client, { destinations: p.to.map((d) => ({ address: wallets[d.name]!.address, amount: d.amount })), onPowProgress: bar.onPowProgress });
      bar.done();
      const fin = await waitFinal(client, r.txid);
      done.push({ p, r, ...fin });
      expected[p.from] = expected[p.from]! - r.fee - p.to.reduce((s, d) => s + d.amount, 0n);
      for (const d of p.to) expected[d.name] = expected[d.name]! + d.amount;
      out(`  ${p.from} → ${p.to.map((d) => `${d.name} ${formatBai(d.amount)}`).join(", ")} BAI: tx ${short(r.txid)} final at height ${fin.height} (${r.size} B, build ${r.buildMs} ms, final after ${fin.waitedMs} ms)`);
      // the next sender must see the previous transfer (carol spends what she received)
      await w.refresh(client);
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
    out(`chain       ${blocks} blocks (height ${status.height}), ${txCount} transactions, ${status.outputCount} outputs, ${status.keyImageCount} key images spent`);
    out("transactions:");
    out("  txid         height  size(B)  in/out  ring  fee(BAI)  Tx-PoW hashes  build(ms)  to-final(ms)");
    for (const d of done) {
      out(`  ${short(d.r.txid)}  ${String(d.height).padStart(6)}  ${String(d.r.size).padStart(7)}  ${`${d.r.inputs}/${d.r.outputs}`.padStart(6)}  ${String(d.r.ringSize).padStart(4)}  ${formatBai(d.r.fee).padStart(8)}  ${String(d.r.powHashes).padStart(13)}  ${String(d.r.buildMs).padStart(9)}  ${String(d.waitedMs).padStart(12)}`);
    }
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
      out(`  JSON-RPC   ${node.rpcUrl}`);
      out(`  metrics    ${node.rpcUrl}/metrics`);
      out(`  rpc cookie ${node.cookieFile}   (curl -u baios:$(cat ${node.cookieFile}) -H 'content-type: application/json' …)`);
      out(`  node pid   ${node.child.pid}   (stop: kill ${node.child.pid})`);
      out(`  node log   ${node.logFile}`);
      out(`  wallets    ${wdir}/{${names.join(",")}}.json   password "${DEVNET_WALLET_PASSWORD}"`);
      out(`  try        BAIOS_WALLET_PASSWORD=devnet baios wallet balance --wallet ${join(wdir, "carol.json")} --rpc ${node.rpcUrl} --rpc-token-file ${node.cookieFile}`);
      node.child.unref();
    }
  } catch (e) {
    failed = true;
    out(`devnet failed: ${(e as Error).stack ?? String(e)}`);
    out(`node log: ${node.logFile}`);
  } finally {
    if (opts.keep !== true || failed) {
      process.removeListener("SIGINT", onSignal);
      await stopChild(node.child);
      if (tempDir && !failed) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (failed) out("devnet: FAILED");
  return failed ? 1 : 0;
}

/** The `baios devnet` commander command (`--data-dir`, `--keep`, `--block-time-ms`, `--rpc-port`, `-q`); sets `process.exitCode` from {@link runDevnet}. */
export function devnetCommand(): Command {
  return new Command("devnet")
    .description("start a local devnet node (child process) and run private transfers among devnet wallets")
    .option("--data-dir <dir>", "node data directory (default: a temporary folder, removed afterwards)")
    .option("--keep", "leave the devnet running and print its RPC endpoints")
    .option("--block-time-ms <ms>", "block interval", "1000")
    .option("--rpc-port <port>", "node RPC port (default: a free port)")
    .option("-q, --quiet", "no progress bars")
    .action(async (o: { dataDir?: string; keep?: boolean; blockTimeMs: string; rpcPort?: string; quiet?: boolean }) => {
      const d: DevnetOptions = { blockTimeMs: Number(o.blockTimeMs) };
      if (o.dataDir !== undefined) d.dataDir = o.dataDir;
      if (o.keep === true) d.keep = true;
      if (o.rpcPort !== undefined) d.rpcPort = Number(o.rpcPort);
      if (o.quiet === true) d.quiet = true;
      process.exitCode = await runDevnet(d);
    });
}
