/**
 * Issue 12, "each network has fixed default ports": a plain `baios node` (subprocess, temp data
 * dir, no p2p flag, no BAIOS_* env) listens for p2p on the default p2p port, and the devnet's and
 * `baios init`'s ports come from the same table (node/src/ports.ts).
 * Binds TCP 28544 on 0.0.0.0 for a few seconds: no other test binds a fixed port (tests use
 * `defaultConfig()` / `testConfig`, which listen for no p2p, or `--p2p-listen …/tcp/0`).
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_P2P_LISTEN, NETWORK_PORTS, defaultConfig } from "@baios/node";
import { DEVNET_P2P_PORT, DEVNET_RPC_PORT, DEVNET_WALLET_RPC_PORT } from "../src/cli/devnet.ts";
import { initConfig } from "../src/cli/init.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));

describe("default ports", () => {
  it("one table: devnet constants, baios init, embedding defaults", () => {
    expect([DEVNET_RPC_PORT, DEVNET_P2P_PORT, DEVNET_WALLET_RPC_PORT]).toEqual([48545, 48544, 48546]);
    expect(NETWORK_PORTS.mainnet).toEqual({ rpc: 28545, p2p: 28544, walletRpc: 28546 });
    expect(NETWORK_PORTS.testnet).toEqual({ rpc: 38545, p2p: 38544, walletRpc: 38546 });
    // `baios init` writes the ports plain `baios node` and the wallet's default --rpc use, for any network
    const dev = initConfig("/tmp/x", "devnet");
    expect([dev["rpcPort"], dev["p2pListen"]]).toEqual([28545, ["/ip4/0.0.0.0/tcp/28544"]]);
    const main = initConfig("/tmp/x", "mainnet");
    expect([main["rpcPort"], main["p2pListen"]]).toEqual([28545, ["/ip4/0.0.0.0/tcp/28544"]]);
    // embedding and tests never bind a fixed p2p port
    expect(defaultConfig().p2pListen).toEqual([]);
    expect(DEFAULT_P2P_LISTEN).toEqual(["/ip4/0.0.0.0/tcp/28544"]);
  });

  it("`baios node` without p2p flags prints a p2p listen address on the default port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-p2pdef-"));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_"))), HOME: dir };
    const c = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--workers", "0", "--log-level", "silent"], { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        c.stderr.on("data", (d: Buffer) => (err += d.toString()));
        c.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /^p2p (\S+)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        c.once("exit", (code) => reject(new Error(`exited ${code}: ${out}${err}`)));
      });
      expect(line).toMatch(/^\/ip4\/[\d.]+\/tcp\/28544\/p2p\/12D3Koo\w+$/);
    } finally {
      c.kill("SIGTERM");
    }
  }, 90_000);
});
