/**
 * Issue 12, "each network has fixed default ports" and `--network` picks them everywhere
 * (node/src/ports.ts): a plain `baios node` (subprocess, temp data dir, no p2p flag, no BAIOS_*
 * env) listens for p2p on the devnet's p2p port; `baios init --network X` writes X's ports; the
 * wallet's default `--rpc` and `wallet rpc` port follow `--network`; and with a fresh HOME, `baios init --network
 * devnet`, `baios node --network devnet` and `baios --network devnet wallet balance` meet with no
 * port flag at all.
 * Binds TCP 48544, 48545 and 38546 on fixed ports for a few seconds, one test after the other in this
 * file: no other test binds these (tests use `defaultConfig()` / `testConfig`, which listen for no
 * p2p, or `--rpc-port 0` and `--p2p-listen …/tcp/0`).
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NETWORK_PORTS, NETWORKS, defaultConfig, defaultP2pListen } from "@baios/node";
import { DEVNET_P2P_PORT, DEVNET_RPC_PORT, DEVNET_WALLET_RPC_PORT } from "../src/cli/devnet.ts";
import { initConfig } from "../src/cli/init.ts";
import { rpcUrl } from "../src/cli/common.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
/** The test's environment without any BAIOS_* variable, with its own HOME (so ~/.baios is fresh). */
const cleanEnv = (home: string): Record<string, string> => ({ ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_"))) as Record<string, string>), HOME: home });

/** Resolves with the first stdout line matching `re` (its first group), or rejects when the process exits first. */
function lineOf(c: ChildProcess, re: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    c.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    c.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) resolve(m[1]!);
    });
    c.once("exit", (code) => reject(new Error(`exited ${code}: ${out}${err}`)));
  });
}

describe("default ports follow --network", () => {
  it("one table: devnet constants, baios init per network, the wallet's default --rpc, embedding defaults", () => {
    expect([DEVNET_RPC_PORT, DEVNET_P2P_PORT, DEVNET_WALLET_RPC_PORT]).toEqual([48545, 48544, 48546]);
    expect(NETWORK_PORTS.mainnet).toEqual({ rpc: 28545, p2p: 28544, walletRpc: 28546 });
    expect(NETWORK_PORTS.testnet).toEqual({ rpc: 38545, p2p: 38544, walletRpc: 38546 });
    for (const n of NETWORKS) {
      const cfg = initConfig("/tmp/x", n);
      expect([cfg["network"], cfg["rpcPort"], cfg["p2pListen"]]).toEqual([n, NETWORK_PORTS[n].rpc, [`/ip4/0.0.0.0/tcp/${NETWORK_PORTS[n].p2p}`]]);
      expect(rpcUrl({ network: n })).toBe(`http://127.0.0.1:${NETWORK_PORTS[n].rpc}`);
      expect(defaultP2pListen(n)).toEqual([`/ip4/0.0.0.0/tcp/${NETWORK_PORTS[n].p2p}`]);
    }
    expect(rpcUrl({ network: "testnet", rpc: "http://h:1" })).toBe("http://h:1"); // --rpc wins
    // embedding and tests never bind a fixed p2p port
    expect(defaultConfig().p2pListen).toEqual([]);
  });

  it("`baios node` without p2p flags prints a p2p listen address on the devnet's p2p port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-p2pdef-"));
    const c = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--workers", "0", "--log-level", "silent"], { stdio: ["ignore", "pipe", "pipe"], env: cleanEnv(dir) });
    try {
      expect(await lineOf(c, /^p2p (\S+)$/m)).toMatch(/^\/ip4\/[\d.]+\/tcp\/48544\/p2p\/12D3Koo\w+$/);
    } finally {
      c.kill("SIGTERM");
    }
  }, 90_000);

  it("baios init --network devnet, baios node --network devnet and baios --network devnet wallet balance meet without port flags", async () => {
    const home = mkdtempSync(join(tmpdir(), "baios-meet-"));
    const env = cleanEnv(home);
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });
    const init = run(["init", "--network", "devnet"]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain("devnet: JSON-RPC 127.0.0.1:48545, p2p 48544");
    expect(init.stdout).toMatch(/^wallet: {4}baios --network devnet wallet balance$/m);
    const cfg = JSON.parse(readFileSync(join(home, ".baios", "config.json"), "utf8")) as Record<string, unknown>;
    expect([cfg["network"], cfg["rpcPort"]]).toEqual(["devnet", 48545]);
    const pw = join(home, "pw");
    writeFileSync(pw, "pw\n");
    expect(run(["--network", "devnet", "wallet", "create", "--password-file", pw]).status).toBe(0);
    const node = spawn(process.execPath, [BIN, "node", "--network", "devnet", "--workers", "0", "--log-level", "silent"], { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      expect(await lineOf(node, /^rpc (\S+)$/m)).toBe("http://127.0.0.1:48545");
      const bal = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const w = spawn(process.execPath, [BIN, "--network", "devnet", "wallet", "balance", "--password-file", pw, "-q"], { stdio: ["ignore", "pipe", "pipe"], env });
        let out = "";
        let err = "";
        w.stdout.on("data", (d: Buffer) => (out += d.toString()));
        w.stderr.on("data", (d: Buffer) => (err += d.toString()));
        w.once("exit", (code) => resolve({ code, out, err }));
      });
      expect(bal.code, bal.err).toBe(0);
      expect(bal.out).toMatch(/^spendable 0(\.0+)? BAI$/m);
      // another network's wallet looks on that network's port: nobody listens on 38545
      const other = run(["--network", "testnet", "wallet", "balance", "--password-file", pw, "-q"]);
      expect(other.status).not.toBe(0);
      expect(other.stderr).toMatch(/38545|testnet/);
    } finally {
      node.kill("SIGTERM");
    }
  }, 120_000);

  it("`baios --network testnet wallet rpc` listens on the testnet's wallet RPC port", async () => {
    const home = mkdtempSync(join(tmpdir(), "baios-wrpc-"));
    const c = spawn(process.execPath, [BIN, "--network", "testnet", "wallet", "rpc", "--wallet-dir", join(home, "wallets"), "--disable-auth"], { stdio: ["ignore", "pipe", "pipe"], env: cleanEnv(home) });
    try {
      expect(await lineOf(c, /^wallet rpc (\S+)$/m)).toBe(`http://127.0.0.1:${NETWORK_PORTS.testnet.walletRpc}`);
    } finally {
      c.kill("SIGTERM");
    }
  }, 60_000);
});
