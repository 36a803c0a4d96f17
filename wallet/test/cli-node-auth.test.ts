/**
 * The `baios wallet` commands against a node with RPC authentication on (issue 6: every caller of
 * the node keeps working): `--rpc-token-file`, env `BAIOS_RPC_TOKEN`, and a clear error without
 * credentials. A real in-process node and the real CLI in a child process.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, defaultConfig, fromGenesis, startNode, type NodeHandle } from "@baios/node";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT } from "../src/walletfile.ts";
import { rpcPost } from "../../node/test/helpers/http.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const BAI = 100_000_000n;
let node: NodeHandle;
let dir: string;
let walletFile: string;

/** Runs the CLI with a HOME of its own (no ~/.baios/rpc.cookie to fall back on). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_")));
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, HOME: dir, BAIOS_WALLET_PASSWORD: "pw", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "baios-cli-auth-"));
  const a = Wallet.restore(devnetMnemonic(0), "devnet");
  const genesis = devnetGenesis({
    wallets: Array.from({ length: 12 }, () => ({ address: { viewPublic: a.state.viewPublic, spendPublic: a.state.spendPublic }, amount: 1000n * BAI })),
    validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: 1n }],
    params: { txPowTarget: new Uint8Array(32).fill(0xff), coinbaseMaturity: 2n },
  });
  node = await startNode({ ...defaultConfig(), dataDir: join(dir, "node"), rpcPort: 0, logLevel: "silent", workers: 0, syncWrites: false }, { genesis: await fromGenesis(genesis) });
  walletFile = join(dir, "alice.json");
  a.saveAs(walletFile, "pw", TEST_SCRYPT);
  a.close(); // release the wallet lock for the CLI
});

afterAll(async () => {
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("baios wallet → node with RPC authentication", () => {
  it("works with --rpc-token-file and with BAIOS_RPC_TOKEN; without credentials it says what to pass", async () => {
    const base = ["wallet", "balance", "-q", "--wallet", walletFile, "--rpc", node.rpcUrl];
    const withFile = await cli([...base, "--rpc-token-file", node.rpcCookieFile as string]);
    expect(withFile.stderr).toBe("");
    expect(withFile.code).toBe(0);
    expect(withFile.stdout).toMatch(/spendable 12[ ,]?000(\.0+)? BAI/);
    const withEnv = await cli(base, { BAIOS_RPC_TOKEN: node.rpcToken as string });
    expect(withEnv.code).toBe(0);
    const none = await cli(base);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/HTTP 401/);
    expect(none.stderr).toMatch(/--rpc-token-file/);
  });

  it("`baios wallet rpc` prints its 0600 token file; a call needs that token; SIGTERM stops it", async () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_")));
    const child = spawn(process.execPath, [BIN, "wallet", "rpc", "--port", "0", "-q", "--wallet", walletFile, "--rpc", node.rpcUrl, "--rpc-token-file", node.rpcCookieFile as string], {
      env: { ...clean, HOME: dir, BAIOS_WALLET_PASSWORD: "pw" },
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no token file line; stderr: ${stderr}`)), 60_000);
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (/^rpc token file /m.test(stdout)) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const url = /^wallet rpc (\S+)$/m.exec(stdout)?.[1] as string;
      const file = /^rpc token file (\S+) /m.exec(stdout)?.[1] as string;
      expect(file).toBe(`${walletFile}.rpc-token`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const token = readFileSync(file, "utf8").trim();
      expect((await rpcPost(url, { jsonrpc: "2.0", id: 1, method: "get_address" })).status).toBe(401);
      const ok = await rpcPost(url, { jsonrpc: "2.0", id: 1, method: "get_balance" }, token);
      expect(ok.json.result.spendable).toBe((12_000n * BAI).toString());
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
