/**
 * Issue 12, node flags as an operator meets them (the CLI as a subprocess): `--help` shows value
 * placeholders; a mistyped flag gets "Did you mean"; errors name flags, not config keys;
 * `--payout` takes a `baiosdev1…` address (the node starts as a validator with it).
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
import { payoutHex } from "../src/cli/node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const env = { ...process.env, BAIOS_CONFIG: "" };
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });

describe("baios node flags", () => {
  it("--help shows value placeholders", () => {
    const r = run(["node", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--rpc-port <n>\s+BAIOS_RPC_PORT/);
    expect(r.stdout).toMatch(/--payout <address>\s+BAIOS_PAYOUT/);
    expect(r.stdout).toMatch(/--data-dir <value>/);
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
    expect(run(["node", "--payout", "baiosdev1xyz"]).stderr).toMatch(/^error: --payout: /m);
  });

  it("--payout takes a baiosdev1… address: the validator starts with it", async () => {
    const w = Wallet.restore(devnetMnemonic(9), "devnet");
    expect(payoutHex(w.address)).toBe(`${bytesToHex(w.state.viewPublic)}:${bytesToHex(w.state.spendPublic)}`);
    const dir = mkdtempSync(join(tmpdir(), "baios-payout-"));
    const key = join(dir, "validator.key");
    writeFileSync(key, bytesToHex(DEVNET_VALIDATOR_SEED) + "\n", { mode: 0o600 });
    const c = spawn(process.execPath, [BIN, "node", "--data-dir", dir, "--rpc-port", "0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--workers", "0", "--validator", "--validator-key-file", key, "--payout", w.address], { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      const line = await new Promise<string>((resolve, reject) => {
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
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      c.kill("SIGTERM");
    }
  }, 90_000);
});
