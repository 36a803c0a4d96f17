/**
 * Issue 6, "two processes on one wallet file lose a payment proof": a process that has a wallet
 * file open holds its exclusive lock; a second opener (another process, or another Wallet.open)
 * gets WalletFileError IN_USE ("wallet file is in use by another process"). `baios wallet rpc`
 * keeps the lock while it runs and saves and releases it on SIGTERM; then the CLI can send, and
 * the tx key it stored is there for the next process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT, WalletFileError } from "../src/walletfile.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
let hn: HostileNode;
let dir: string;

beforeAll(async () => {
  hn = await startHostileNode();
  dir = mkdtempSync(join(tmpdir(), "baios-lock-"));
});
afterAll(async () => {
  await hn?.stop();
});

function newWalletFile(name: string): { path: string; pwFile: string } {
  const path = join(dir, name);
  const w = Wallet.restore(devnetMnemonic(0), "devnet");
  w.saveAs(path, "pw", TEST_SCRYPT);
  w.close();
  const pwFile = join(dir, `${name}.pw`);
  writeFileSync(pwFile, "pw\n", { mode: 0o600 });
  return { path, pwFile };
}

function inUse(f: () => unknown): WalletFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof WalletFileError) return e;
    throw e;
  }
  throw new Error("expected WalletFileError IN_USE, but the wallet opened");
}

/** Runs the CLI in a child process (asynchronously: the node under test lives in this process). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BAIOS_CONFIG: "" } });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    c.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output so far: ${buf}`)), timeoutMs);
    const on = (c: Buffer) => {
      buf += c.toString("utf8");
      const m = buf.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${re}: ${buf}`));
    });
  });
}

describe("the wallet file is locked while a process has it open", () => {
  it("a second Wallet.open in the same process is refused until the first closes", () => {
    const { path } = newWalletFile("same-process.json");
    const first = Wallet.open(path, "pw");
    const e = inUse(() => Wallet.open(path, "pw"));
    expect(e.code).toBe("IN_USE");
    expect(e.message).toMatch(/wallet file is in use by another process/);
    // saveAs onto a held path is refused too (it would overwrite the holder's file)
    const other = Wallet.restore(devnetMnemonic(1), "devnet");
    expect(inUse(() => other.saveAs(path, "pw", TEST_SCRYPT)).code).toBe("IN_USE");
    first.close();
    const again = Wallet.open(path, "pw");
    expect(again.address).toBe(first.address);
    again.close();
  });

  it("`baios wallet rpc` holds the lock: the CLI cannot send meanwhile; after SIGTERM it has saved and released it, and a tx key stored by the CLI survives", async () => {
    const { path, pwFile } = newWalletFile("two-processes.json");
    const common = ["--wallet", path, "--rpc", hn.proxyUrl, "--password-file", pwFile, "-q"];
    const rpc = spawn(process.execPath, [BIN, "wallet", "rpc", ...common, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BAIOS_CONFIG: "" } });
    try {
      await waitForLine(rpc, /wallet rpc \S+/);
      // this process
      expect(inUse(() => Wallet.open(path, "pw")).code).toBe("IN_USE");
      // another process: the CLI refuses with a clear message and sends nothing
      const before = (await hn.client.getMempool()).count;
      const bob = Wallet.restore(devnetMnemonic(5), "devnet").address;
      const t = await cli(["wallet", "transfer", "--yes", ...common, bob, "1"]);
      expect(t.status).not.toBe(0);
      expect(t.stderr).toMatch(/wallet file is in use by another process/);
      expect((await hn.client.getMempool()).count).toBe(before);
    } finally {
      rpc.kill("SIGTERM");
    }
    let tail = "";
    rpc.stdout?.on("data", (c: Buffer) => (tail += c.toString()));
    rpc.stderr?.on("data", (c: Buffer) => (tail += c.toString()));
    const code = await new Promise<number | null>((r) => (rpc.exitCode !== null ? r(rpc.exitCode) : rpc.once("exit", (c) => r(c))));
    expect(code, tail).toBe(0);
    expect(existsSync(`${path}.lock`)).toBe(false);
    // the RPC process saved its scan before it let go
    const w = Wallet.open(path, "pw");
    expect(w.state.scannedHeight).toBe((await hn.client.status()).height);
    w.close();

    // now the CLI sends, and the payment proof it stored is there for the next process
    const bob = Wallet.restore(devnetMnemonic(5), "devnet").address;
    const t = await cli(["wallet", "transfer", "--yes", ...["--wallet", path, "--rpc", hn.proxyUrl, "--password-file", pwFile, "-q"], bob, "1"]);
    expect(t.status, t.stderr).toBe(0);
    const txid = t.stdout.match(/txid\s+([0-9a-f]{64})/)?.[1];
    expect(txid).toBeDefined();
    const key = await cli(["wallet", "tx-key", "--wallet", path, "--password-file", pwFile, txid!]);
    expect(key.status, key.stderr).toBe(0);
    expect(key.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    const reopened = Wallet.open(path, "pw");
    expect(reopened.txKey(txid!)).toBe(key.stdout.trim());
    reopened.close();
  });
});
