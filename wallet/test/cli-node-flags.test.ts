/**
 * Issue 12, node flags as an operator meets them (the CLI as a subprocess): `--help` shows value
 * placeholders; a mistyped flag gets "Did you mean"; errors name flags, not config keys;
 * `--payout` takes a `baiosdev1…` address (the node starts as a validator with it); flags,
 * `BAIOS_*` variables and the config file apply in that order (commander `Option.env` + valibot,
 * node/src/config*.ts).
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVNET_VALIDATOR_SEED } from "@baios/node";
import { bytesToHex } from "../src/hex.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { payoutKeys } from "../src/cli/node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const env = { ...process.env, BAIOS_CONFIG: "" };
const run = (args: string[], extraEnv: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...env, ...extraEnv }, timeout: 60_000 });

/** Starts `baios node` with `args` and `extraEnv`; resolves with the `rpc <url>` line's URL, then the node is stopped. */
async function rpcLineOf(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const c = spawn(process.execPath, [BIN, "node", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...env, ...extraEnv } });
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      c.stderr.on("data", (d: Buffer) => (err += d.toString()));
      c.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^rpc (\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      c.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
  } finally {
    c.kill("SIGTERM");
  }
}

describe("baios node flags", () => {
  it("--help shows value placeholders", () => {
    const r = run(["node", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--rpc-port <n>\s+BAIOS_RPC_PORT/);
    expect(r.stdout).toMatch(/--payout <address>\s+BAIOS_PAYOUT/);
    expect(r.stdout).toMatch(/--data-dir <dir>\s+BAIOS_DATA_DIR/);
    expect(r.stdout).toMatch(/--network <net>\s+BAIOS_NETWORK\s+mainnet\|testnet\|devnet/);
    expect(r.stdout).toMatch(/--config <file>\s+BAIOS_CONFIG/);
    expect(r.stdout).toMatch(/^Usage: baios node \[flags\]/m);
    expect(r.stdout).toContain("show-validator");
    expect(r.stdout).not.toContain("[bool]"); // the switches' optional value is not shown
    expect(r.stdout).toMatch(/--validator\s+BAIOS_VALIDATOR\b/); // a switch has none
  });

  it("a mistyped flag gets a suggestion; errors name the flag", () => {
    const r = run(["node", "--rpc-prot", "5"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unknown flag --rpc-prot");
    expect(r.stderr).toContain("Did you mean --rpc-port?");
    const bad = run(["node", "--rpc-port", "abc", "--data-dir", mkdtempSync(join(tmpdir(), "baios-flags-"))]);
    expect(bad.stderr).toMatch(/^error: flag --rpc-port: expected a non-negative integer/m);
    expect(bad.stderr).not.toContain("rpcPort");
    const v = run(["node", "--validator", "--data-dir", mkdtempSync(join(tmpdir(), "baios-flags-"))]);
    expect(v.stderr).toMatch(/--validator needs --validator-key-file/);
    expect(run(["node", "--payout", "baiosdev1xyz"]).stderr).toMatch(/^error: flag --payout: /m);
    // an environment variable is named as such
    const e = run(["node", "--data-dir", mkdtempSync(join(tmpdir(), "baios-flags-"))], { BAIOS_MAX_PEERS: "many" });
    expect(e.stderr).toMatch(/^error: env BAIOS_MAX_PEERS: expected a non-negative integer/m);
    // a config file key is named as written in the file, with the file
    const d = mkdtempSync(join(tmpdir(), "baios-flags-"));
    writeFileSync(join(d, "config.json"), JSON.stringify({ _comment: "x", maxPeers: "many" }));
    expect(run(["node", "--data-dir", d]).stderr).toMatch(/^error: config file .*config\.json: maxPeers: expected a non-negative integer/m);
  });

  it("precedence through the CLI: flag > BAIOS_* env > config file > defaults", async () => {
    const d = mkdtempSync(join(tmpdir(), "baios-prec-"));
    // file: an address no interface has, and a port; env: a loopback host and another port; flag: port 0
    writeFileSync(join(d, "config.json"), JSON.stringify({ rpcHost: "192.0.2.1", rpcPort: 1, workers: 0, p2pListen: [] }));
    const url = await rpcLineOf(["--data-dir", d, "--rpc-port", "0", "--log-level", "silent"], { BAIOS_RPC_HOST: "127.0.0.1", BAIOS_RPC_PORT: "2" });
    const port = Number(new URL(url).port);
    expect(new URL(url).hostname).toBe("127.0.0.1"); // env over file
    expect(port).not.toBe(1); // flag over file
    expect(port).not.toBe(2); // flag over env
    expect(port).toBeGreaterThan(1024); // the ephemeral port of --rpc-port 0
  }, 90_000);

  it("the root's --network reaches the node (baios --network mainnet node needs a genesis file)", () => {
    const r = run(["--network", "mainnet", "node", "--data-dir", mkdtempSync(join(tmpdir(), "baios-flags-"))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --network mainnet needs --genesis <file>/m);
  });

  it("--payout takes a baiosdev1… address: the validator starts with it", async () => {
    const w = Wallet.restore(devnetMnemonic(9), "devnet");
    expect(payoutKeys(w.address)).toEqual({ viewPublic: bytesToHex(w.state.viewPublic), spendPublic: bytesToHex(w.state.spendPublic) });
    const dir = mkdtempSync(join(tmpdir(), "baios-payout-"));
    const key = join(dir, "validator.key");
    writeFileSync(key, bytesToHex(DEVNET_VALIDATOR_SEED) + "\n", { mode: 0o600 });
    const line = await rpcLineOf(["--data-dir", dir, "--rpc-port", "0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--workers", "0", "--validator", "--validator-key-file", key, "--payout", w.address]);
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // BAIOS_PAYOUT takes the address too; a malformed one is named by its variable
    const bad = run(["node", "--data-dir", dir, "--validator", "--validator-key-file", key], { BAIOS_PAYOUT: w.address.slice(0, -3) + "qqq" });
    expect(bad.stderr).toMatch(/^error: env BAIOS_PAYOUT: /m);
  }, 90_000);
});
