/**
 * `tx-key` / `check-tx-key` through the CLI, run as a subprocess against a real devnet node
 * (issue 12, docs/wallet.md §7): a transfer with a subaddress destination has one tx public key
 * per output, so the wallet keeps every `r_k`; `tx-key` prints them all (main key first, 64 hex
 * characters each, as Monero's get_tx_key), and `check-tx-key` takes that text and verifies each
 * output, for the subaddress (R = r·D) and for a main address in the same tx (R = r·G). A single
 * per-output key proves exactly its own output; wrong counts, tampered keys and an unpaid
 * subaddress are refused. A shared-R transfer keeps working with its one key.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToHex } from "../src/hex.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "baios-cli-txkey-"));
const pw = join(dir, "pw");
writeFileSync(pw, "pw\n");

function baios(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1, stdout, stderr });
    });
  });
}

let h: HostileNode;
const alice = join(dir, "alice.json");
const bob = join(dir, "bob.json");
const w = (file: string): string[] => ["--wallet", file, "--rpc", h.proxyUrl, "--password-file", pw, "--network", "devnet", "-q"];
const bobMain = Wallet.restore(devnetMnemonic(7), "devnet").address;
let sub01 = "";
let sub02 = "";

/** alice sends; returns the txid and the output count from the CLI's summary. */
async function send(pairs: string[]): Promise<{ txid: string; outputs: number }> {
  const t = await baios(["wallet", "transfer", ...pairs, "--yes", ...w(alice)]);
  expect(t.code, t.stderr).toBe(0);
  for (let i = 0; i < 2; i++) await h.node.produceBlock();
  return { txid: /txid\s+([0-9a-f]{64})/.exec(t.stdout)![1]!, outputs: Number(/(\d+) out/.exec(t.stdout)![1]) };
}

beforeAll(async () => {
  h = await startHostileNode();
  expect((await baios(["wallet", "restore", ...w(alice)], { BAIOS_MNEMONIC: devnetMnemonic(0) })).code).toBe(0);
  expect((await baios(["wallet", "restore", ...w(bob)], { BAIOS_MNEMONIC: devnetMnemonic(7) })).code).toBe(0);
  sub01 = (await baios(["wallet", "new-address", ...w(bob)])).stdout.trim().split("\n")[1]!;
  sub02 = (await baios(["wallet", "new-address", ...w(bob)])).stdout.trim().split("\n")[1]!;
  expect(sub01).toMatch(/^baiosdevsub1/);
  expect(sub02).toMatch(/^baiosdevsub1/);
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("tx-key / check-tx-key with per-output tx keys", () => {
  it("tx-key prints every per-output key; check-tx-key verifies the subaddress and the main-address outputs", async () => {
    const { txid, outputs } = await send([sub01, "2", bobMain, "3"]);
    expect(outputs).toBe(3); // two destinations and the change
    const k = await baios(["wallet", "tx-key", txid, ...w(alice)]);
    expect(k.code, k.stderr).toBe(0);
    const keys = k.stdout.trim();
    expect(keys).toMatch(new RegExp(`^[0-9a-f]{${64 * outputs}}$`));

    // the wallet file holds every key: main key r = r_0 first, then the additional keys
    const a = Wallet.open(alice, "pw");
    try {
      const sent = a.state.sent.find((s) => s.txid === txid)!;
      expect(sent.txSecrets).toHaveLength(outputs);
      expect(bytesToHex(sent.txSecret)).toBe(keys.slice(0, 64));
      expect(sent.txSecrets!.map(bytesToHex).join("")).toBe(keys);
    } finally {
      a.close();
    }

    const toSub = await baios(["wallet", "check-tx-key", txid, keys, sub01, ...w(bob)]);
    expect(toSub.code, toSub.stderr).toBe(0);
    expect(toSub.stdout).toMatch(/^payment found: 2(\.0+)? BAI to baiosdevsub1/);
    const toMain = await baios(["wallet", "check-tx-key", txid, keys, bobMain, ...w(bob)]);
    expect(toMain.code, toMain.stderr).toBe(0);
    expect(toMain.stdout).toMatch(/^payment found: 3(\.0+)? BAI/);
    // keys separated by spaces are read the same
    const spaced = keys.match(/.{64}/g)!.join(" ");
    expect((await baios(["wallet", "check-tx-key", txid, spaced, sub01, ...w(bob)])).stdout).toMatch(/payment found: 2(\.0+)? BAI/);

    // each single key proves its own output only: exactly one of them opens the subaddress payment
    const single = await Promise.all(keys.match(/.{64}/g)!.map((r) => baios(["wallet", "check-tx-key", txid, r, sub01, ...w(bob)])));
    expect(single.filter((r) => r.code === 0 && /payment found: 2(\.0+)? BAI/.test(r.stdout))).toHaveLength(1);
    expect(single.filter((r) => r.code !== 0)).toHaveLength(outputs - 1);

    // refused: a subaddress the tx did not pay, a wrong key count, a tampered key
    const unpaid = await baios(["wallet", "check-tx-key", txid, keys, sub02, ...w(bob)]);
    expect(unpaid.code).not.toBe(0);
    expect(unpaid.stderr).toMatch(/does not belong to the transaction for this subaddress/);
    const short = await baios(["wallet", "check-tx-key", txid, keys.slice(0, 128), sub01, ...w(bob)]);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/has 3 tx public keys \(one per output\); give all 3 tx keys/);
    const flip = (c: string): string => (c === "0" ? "1" : "0");
    const tampered = keys
      .match(/.{64}/g)!
      .map((r) => flip(r[0]!) + r.slice(1))
      .join("");
    expect((await baios(["wallet", "check-tx-key", txid, tampered, sub01, ...w(bob)])).code).not.toBe(0);
    expect((await baios(["wallet", "check-tx-key", txid, keys.slice(0, -1), sub01, ...w(bob)])).stderr).toMatch(/64 hex characters/);
  }, 300_000);

  it("a shared-R transfer still has one key, and check-tx-key takes it", async () => {
    const { txid } = await send([bobMain, "1.25"]);
    const keys = (await baios(["wallet", "tx-key", txid, ...w(alice)])).stdout.trim();
    expect(keys).toMatch(/^[0-9a-f]{64}$/);
    const ok = await baios(["wallet", "check-tx-key", txid, keys, bobMain, ...w(bob)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^payment found: 1\.25 BAI/);
    // the same key does not prove a payment to a subaddress (R = r·G, not r·D)
    expect((await baios(["wallet", "check-tx-key", txid, keys, sub01, ...w(bob)])).code).not.toBe(0);
    // two keys for a one-key transaction are refused
    expect((await baios(["wallet", "check-tx-key", txid, keys + keys, bobMain, ...w(bob)])).stderr).toMatch(/one tx public key; give one tx key, not 2/);
  }, 300_000);
});
