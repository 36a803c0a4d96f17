/**
 * Issue 12, the `baios` command as a user meets it, run as a subprocess against a real node
 * (in-process, real sockets): start-up loads only the subcommand asked for; shared options work
 * before or after the subcommand; a transfer checks what was typed before the password and the
 * scan, confirms before sending (no terminal: --yes needed), refuses a fee below the minimum;
 * sweep-all; --restore-height; history as a table with filters; the mnemonic prompt names a
 * wrong word; the wallet RPC's validate_address and sweep_all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT } from "../src/walletfile.ts";
import { walletRpcMethods } from "../src/rpc.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let hn: HostileNode;
let dir: string;

beforeAll(async () => {
  hn = await startHostileNode();
  dir = mkdtempSync(join(tmpdir(), "baios-ux-"));
}, 120_000);
afterAll(async () => {
  await hn?.stop();
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process; `input` is piped to its stdin (never a terminal here). */
function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, BAIOS_CONFIG: "", BAIOS_WALLET_PASSWORD: "", ...opts.env } });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    c.stdin.end(opts.input ?? "");
    c.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** TypeScript modules the CLI loaded (Node's NODE_DEBUG=esm trace), as paths under the repository. */
async function loadedModules(args: string[]): Promise<string[]> {
  const r = await cli(args, { env: { NODE_DEBUG: "esm" } });
  return [...r.stderr.matchAll(/Translating TypeScript file:\/\/(\S+)/g)].map((m) => m[1]!.replace(ROOT, ""));
}

function walletFile(name: string, index = 0): { path: string; pwFile: string; address: string } {
  const path = join(dir, name);
  const w = Wallet.restore(devnetMnemonic(index), "devnet");
  w.saveAs(path, "pw", TEST_SCRYPT);
  w.close();
  const pwFile = join(dir, `${name}.pw`);
  writeFileSync(pwFile, "pw\n", { mode: 0o600 });
  return { path, pwFile, address: w.address };
}

describe("start-up: only the subcommand asked for is loaded", () => {
  it("--version and --help load neither the crypto core, the node nor the wallet", async () => {
    for (const args of [["--version"], ["--help"]]) {
      const mods = await loadedModules(args);
      expect(mods.length).toBeGreaterThan(0); // the trace works
      expect(mods.filter((m) => /^(crypto-wasm|consensus|node|p2p)\//.test(m) || /wallet\/src\/(wallet|cli\/wallet)\.ts/.test(m))).toEqual([]);
    }
  });
  it("a wallet command loads the node's RPC client only, not the node (storage, libp2p, workers)", async () => {
    const mods = await loadedModules(["wallet", "address", "--wallet", join(dir, "none.json")]);
    expect(mods).toContain("wallet/src/cli/wallet.ts");
    // the light subpaths @baios/node/client and @baios/node/ports (the default ports: a table with no imports) only
    expect(mods.filter((m) => m.startsWith("node/src/") && !m.startsWith("node/src/rpc/") && m !== "node/src/client.ts" && m !== "node/src/ports.ts")).toEqual([]);
    expect(mods.some((m) => m.startsWith("p2p/"))).toBe(false);
  });
  it("--version answers", async () => {
    const r = await cli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("shared options before or after the subcommand", () => {
  it("--wallet is honoured in each position", async () => {
    const { path, pwFile, address } = walletFile("positions.json");
    for (const args of [
      ["--wallet", path, "--password-file", pwFile, "wallet", "address"],
      ["wallet", "--wallet", path, "--password-file", pwFile, "address"],
      ["wallet", "address", "--wallet", path, "--password-file", pwFile],
    ]) {
      const r = await cli(args);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim()).toBe(address);
    }
  });
});

describe("transfers", () => {
  it("a bad address or amount is refused before the password is asked (no password given: no prompt, no scan)", async () => {
    const { path } = walletFile("checks.json");
    const bob = Wallet.restore(devnetMnemonic(5), "devnet").address;
    const bad = await cli(["wallet", "transfer", "--wallet", path, "--rpc", hn.proxyUrl, "baiosdev1nope", "1"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: bad address baiosdev1nope/m);
    expect(bad.stderr).not.toMatch(/password/);
    const amt = await cli(["wallet", "transfer", "--wallet", path, "--rpc", hn.proxyUrl, bob, "1.5x"]);
    expect(amt.stderr).toMatch(/^error: bad amount 1\.5x/m);
    const zero = await cli(["wallet", "transfer", "--wallet", path, "--rpc", hn.proxyUrl, bob, "0"]);
    expect(zero.stderr).toMatch(/bad amount 0: must be positive/);
    const net = await cli(["wallet", "transfer", "--network", "mainnet", "--wallet", path, "--rpc", hn.proxyUrl, bob, "1"]);
    expect(net.stderr).toMatch(/address is for devnet, expected mainnet/);
    expect(net.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("shows the plan and, without a terminal, sends only with --yes; a fee below the minimum is an error", async () => {
    const { path, pwFile } = walletFile("confirm.json");
    const bob = Wallet.restore(devnetMnemonic(5), "devnet").address;
    const common = ["--wallet", path, "--rpc", hn.proxyUrl, "--password-file", pwFile, "-q"];
    const before = (await hn.client.getMempool()).count;
    const no = await cli(["wallet", "transfer", ...common, bob, "1"]);
    expect(no.status).toBe(1);
    expect(no.stderr).toContain(`send   1 BAI to ${bob}`);
    expect(no.stderr).toMatch(/fee\s+0\.001 BAI/);
    expect(no.stderr).toMatch(/ring\s+11 /);
    expect(no.stderr).toMatch(/pass --yes/);
    const low = await cli(["wallet", "transfer", ...common, "--yes", "--fee", "0.0001", bob, "1"]);
    expect(low.status).toBe(1);
    expect(low.stderr).toMatch(/fee .* below the minimum/);
    expect((await hn.client.getMempool()).count).toBe(before);
    const yes = await cli(["wallet", "transfer", ...common, "--yes", bob, "1"]);
    expect(yes.status, yes.stderr).toBe(0);
    expect(yes.stdout).toMatch(/^sent\s+1 BAI\s+fee 0\.001 BAI/m);
  }, 120_000);

  it("sweep-all sends everything spendable minus the fee, and history shows a table with a header, dates and filters", async () => {
    // the wallet file of the test before: it knows its pending transfer and leaves that output out
    const path = join(dir, "confirm.json");
    const pwFile = join(dir, "confirm.json.pw");
    const to = Wallet.restore(devnetMnemonic(6), "devnet").address;
    const common = ["--wallet", path, "--rpc", hn.proxyUrl, "--password-file", pwFile, "-q"];
    const bal = await cli(["wallet", "balance", ...common]);
    const spendable = bal.stdout.match(/spendable (\S+) BAI/)?.[1];
    expect(spendable).toBeDefined();
    const r = await cli(["wallet", "sweep-all", ...common, "--yes", to]);
    expect(r.status, r.stderr).toBe(0);
    const sent = Number(r.stdout.match(/^sent\s+(\S+) BAI/m)?.[1]);
    const fee = Number(r.stdout.match(/fee (\S+) BAI/)?.[1]);
    // everything spendable when it was built (the node may have matured more outputs since the balance)
    expect(sent + fee).toBeGreaterThanOrEqual(Number(spendable));
    expect(r.stdout).toMatch(/change 0 BAI/);
    const h = await cli(["wallet", "history", ...common]);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/│ height\s+│ date \(UTC\)\s+│ dir\s+│ amount \(BAI\)\s+│ fee \(BAI\)\s+│ txid/);
    expect(h.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const ins = await cli(["wallet", "history", ...common, "--in"]);
    expect(ins.stdout).not.toMatch(/│ out\s+│/);
    expect(ins.stdout).toMatch(/│ in\s+│/);
    const outs = await cli(["wallet", "history", ...common, "--pending"]);
    expect(outs.stdout).toMatch(/│ pending\s+│.*│ out\s+│/); // the sweep, not yet in a block
    const high = await cli(["wallet", "history", ...common, "--min-height", "999999"]);
    expect(high.stdout.trim()).toBe("no transfers");
  }, 180_000);
});

describe("restore", () => {
  it("names a word outside the BIP39 list; --restore-height starts the scan there", async () => {
    const words = devnetMnemonic(3).split(" ");
    const wrong = [...words];
    wrong[4] = "zzzz";
    const bad = await cli(["wallet", "restore", "--wallet", join(dir, "r-bad.json")], { input: `${wrong.join(" ")}\n` });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/word 5 "zzzz"/);
    const pw = join(dir, "r.pw");
    writeFileSync(pw, "pw\n");
    const path = join(dir, "r-height.json");
    const ok = await cli(["wallet", "restore", "--wallet", path, "--password-file", pw, "--restore-height", "2"], { input: `${words.join(" ")}\n` });
    expect(ok.status, ok.stderr).toBe(0);
    const w = Wallet.open(path, "pw");
    expect(w.state.scannedHeight).toBe(1);
    w.close();
    const b = await cli(["wallet", "balance", "--wallet", path, "--password-file", pw, "--rpc", hn.proxyUrl, "-q"]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/height\s+\d+/);
  }, 60_000);
});

describe("wallet RPC methods", () => {
  it("validate_address says valid or why not; sweep_all checks its params", async () => {
    const w = Wallet.restore(devnetMnemonic(7), "devnet");
    const m = walletRpcMethods(w, hn.client);
    expect(await m["validate_address"]!({ address: w.address })).toEqual({ valid: true, network: "devnet", subaddress: false });
    const bad = (await m["validate_address"]!({ address: "baiosdev1qqqq" })) as { valid: boolean; reason: string };
    expect(bad.valid).toBe(false);
    expect(bad.reason.length).toBeGreaterThan(0);
    await expect(m["sweep_all"]!({ address: 5 })).rejects.toThrow(/address/);
    await expect(m["sweep_all"]!({ address: w.address, fee: "1.5" })).rejects.toThrow(/fee: expected atomic units/);
  });

  it("transfer with do_not_relay builds and signs without submitting or reserving; get_tx_key returns the tx key", async () => {
    const w = Wallet.restore(devnetMnemonic(0), "devnet");
    const m = walletRpcMethods(w, hn.client);
    const to = Wallet.restore(devnetMnemonic(8), "devnet").address;
    const before = (await hn.client.getMempool()).count;
    const r = (await m["transfer"]!({ destinations: [{ address: to, amount: "100000000" }], do_not_relay: true, get_tx_key: true })) as Record<string, unknown>;
    expect(r["relayed"]).toBe(false);
    expect(r["txHex"]).toMatch(/^[0-9a-f]+$/);
    expect(r["txKey"]).toMatch(/^[0-9a-f]{64}$/);
    expect((await hn.client.getMempool()).count).toBe(before);
    expect(w.state.sent).toEqual([]);
    await expect(m["transfer"]!({ destinations: [{ address: to, amount: "1" }], do_not_relay: "yes" })).rejects.toThrow(/do_not_relay: expected true or false/);
    const plain = (await m["transfer"]!({ destinations: [{ address: to, amount: "100000000" }], do_not_relay: true })) as Record<string, unknown>;
    expect("txKey" in plain).toBe(false);
  }, 60_000);
});
