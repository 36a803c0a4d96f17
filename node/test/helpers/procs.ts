/**
 * Real node processes on loopback for the p2p tests: writes the test genesis to a file and
 * spawns `node wallet/bin/baios.ts node …` (the real CLI) with its own data directory, RPC port
 * and p2p port; kills them with SIGTERM or SIGKILL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis, genesisToFile } from "@baios/consensus";
import { NodeRpcClient } from "@baios/api/node";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET } from "./fixture.ts";

const BIN = fileURLToPath(new URL("../../../wallet/bin/baios.ts", import.meta.url));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Writes the test genesis (same premine as fixture.ts's testGenesis) to `<dir>/genesis.json`. */
export function writeTestGenesis(dir: string, blockTimeMs: number): string {
  const g = devnetGenesis({
    wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
    validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
    params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs },
  });
  const path = join(dir, "genesis.json");
  writeFileSync(path, JSON.stringify(genesisToFile(g), null, 2));
  return path;
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => res(port));
    });
  });

/** A running `baios node` child. */
export interface NodeProc {
  child: ChildProcess;
  dataDir: string;
  rpcPort: number;
  p2pPort: number;
  client: NodeRpcClient;
  /** Its p2p multiaddr with `/p2p/<peerId>`. */
  addr: string;
  peerId: string;
}

/** Spawns `baios node` and waits until its RPC answers. Ports are kept across restarts when given. */
export async function startNodeProc(o: {
  dataDir: string;
  genesisPath: string;
  validator: boolean;
  bootstrap?: string[];
  rpcPort?: number;
  p2pPort?: number;
  /** Extra `baios node` flags. */
  extra?: string[];
  /** Extra Node.js flags before the script (e.g. `--import <preload>`; benchmarks). */
  nodeArgs?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}): Promise<NodeProc> {
  const rpcPort = o.rpcPort ?? (await freePort());
  const p2pPort = o.p2pPort ?? (await freePort());
  const args = [...(o.nodeArgs ?? []), BIN, "node", "--data-dir", o.dataDir, "--genesis", o.genesisPath, "--rpc-port", String(rpcPort), "--p2p-listen", `/ip4/127.0.0.1/tcp/${p2pPort}`, "--workers", "0", "--log-file", join(o.dataDir, "node.log"), "--sync-writes", "false", ...(o.extra ?? [])];
  for (const b of o.bootstrap ?? []) args.push("--bootstrap", b);
  if (o.validator) args.push("--validator", "--validator-key", hex(VALIDATOR_SEED), "--payout", `${hex(PAYOUT.viewPublic)}:${hex(PAYOUT.spendPublic)}`);
  const out = openSync(join(o.dataDir, "node.out"), "a");
  const child = spawn(process.execPath, args, { stdio: ["ignore", out, out], env: { ...process.env, BAIOS_CONFIG: "", ...(o.env ?? {}) } });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const client = new NodeRpcClient(`http://127.0.0.1:${rpcPort}`, { timeoutMs: 3000, tokenFile: join(o.dataDir, "rpc.cookie") });
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (exited) throw new Error(`node exited: ${existsSync(join(o.dataDir, "node.out")) ? readFileSync(join(o.dataDir, "node.out"), "utf8").slice(-2000) : ""}`);
    try {
      const st = await client.status();
      const addr = st.network?.addresses[0];
      if (addr === undefined || st.network === undefined) throw new Error("no p2p address");
      return { child, dataDir: o.dataDir, rpcPort, p2pPort, client, addr, peerId: st.network.peerId };
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error("node did not answer within 45 s");
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

/** Stops a node process (SIGTERM, or SIGKILL = a crash) and waits for its exit. */
export async function stopNodeProc(p: NodeProc, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const done = new Promise<void>((r) => p.child.once("exit", () => r()));
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill("SIGKILL"), 10_000);
  await done;
  clearTimeout(t);
}

/** Polls `f` every 100 ms until true, or throws after `ms`. */
export async function until(f: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve().then(f).catch(() => false)) return;
    if (Date.now() > t) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
