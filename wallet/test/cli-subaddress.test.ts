/**
 * Subaddresses and accounts through the CLI, run as a subprocess against a real devnet node
 * (issue 12): `new-address` and `address --account --index` agree; a transfer to a subaddress
 * (per-output tx keys) is found by the receiver's one-table scan and credited to the right
 * account; the receiver spends it (one-time secret s + b + m); the sender proves the payment to
 * the subaddress with get-tx-proof / check-tx-proof.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAnyAddress } from "../src/address.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "baios-cli-sub-"));
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

beforeAll(async () => {
  h = await startHostileNode();
  expect((await baios(["wallet", "restore", ...w(alice)], { BAIOS_MNEMONIC: devnetMnemonic(0) })).code).toBe(0);
  expect((await baios(["wallet", "restore", ...w(bob)], { BAIOS_MNEMONIC: devnetMnemonic(6) })).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe("subaddresses and accounts via the CLI", () => {
  it("pays a subaddress, credits its account, spends it, and proves the payment", async () => {
    const n1 = await baios(["wallet", "new-address", ...w(bob)]);
    expect(n1.code, n1.stderr).toBe(0);
    const sub01 = n1.stdout.trim().split("\n")[1]!;
    expect(n1.stdout).toMatch(/^account 0 {2}index 1/);
    expect(sub01).toMatch(/^baiosdevsub1/);
    expect(decodeAnyAddress(sub01).subaddress).toBe(true);
    const n2 = await baios(["wallet", "new-address", "--account", "1", ...w(bob)]);
    const sub11 = n2.stdout.trim().split("\n")[1]!;
    expect((await baios(["wallet", "address", "--account", "0", "--index", "1", ...w(bob)])).stdout.trim()).toBe(sub01);
    expect((await baios(["wallet", "address", "--account", "1", "--index", "1", ...w(bob)])).stdout.trim()).toBe(sub11);
    const main = (await baios(["wallet", "address", ...w(bob)])).stdout.trim();
    expect(main).toBe(Wallet.restore(devnetMnemonic(6), "devnet").address);
    expect(new Set([main, sub01, sub11]).size).toBe(3);
    expect((await baios(["wallet", "address", "--account", "x", ...w(bob)])).code).not.toBe(0);

    // alice pays both subaddresses in one tx (per-output tx keys) and bob's main address in another
    const t = await baios(["wallet", "transfer", sub01, "3", sub11, "4.25", "--yes", ...w(alice)]);
    expect(t.code, t.stderr).toBe(0);
    const txid = /txid\s+([0-9a-f]{64})/.exec(t.stdout)![1]!;
    for (let i = 0; i < 2; i++) await h.node.produceBlock();
    const acc = await baios(["wallet", "accounts", ...w(bob)]);
    expect(acc.code, acc.stderr).toBe(0);
    expect(acc.stdout).toMatch(/account 0: spendable 3(\.0+)? BAI/);
    expect(acc.stdout).toMatch(/account 1: spendable 4\.25 BAI/);
    expect(acc.stdout).toContain(sub11);
    const bal = await baios(["wallet", "balance", ...w(bob)]);
    expect(bal.stdout).toMatch(/spendable 7\.25 BAI/);

    // the payment to the account-1 subaddress, proved without the tx key
    const proof = (await baios(["wallet", "get-tx-proof", txid, sub11, "order 9", ...w(alice)])).stdout.trim();
    expect(proof).toMatch(/^BaiosTxProofV1/);
    const ok = await baios(["wallet", "check-tx-proof", txid, sub11, proof, "order 9", ...w(bob)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/good proof: 4\.25 BAI/);
    expect((await baios(["wallet", "check-tx-proof", txid, sub01, proof, "order 9", ...w(bob)])).code).not.toBe(0);

    // bob spends subaddress outputs (x = s + b + m): back to alice
    const back = await baios(["wallet", "transfer", Wallet.restore(devnetMnemonic(0), "devnet").address, "6", "--yes", ...w(bob)]);
    expect(back.code, back.stderr).toBe(0);
    for (let i = 0; i < 2; i++) await h.node.produceBlock();
    const after = await baios(["wallet", "balance", ...w(bob)]);
    expect(after.code, after.stderr).toBe(0);
    const left = Number(/spendable ([0-9.]+) BAI/.exec(after.stdout)![1]) + Number(/pending\s+([0-9.]+) BAI/.exec(after.stdout)![1]);
    expect(left).toBeGreaterThan(1.2);
    expect(left).toBeLessThan(1.25);

    // restoring bob from the 24 words finds the subaddress payments (look-ahead) and their spend
    const bob2 = join(dir, "bob2.json");
    expect((await baios(["wallet", "restore", ...w(bob2)], { BAIOS_MNEMONIC: devnetMnemonic(6) })).code).toBe(0);
    const restored = await baios(["wallet", "balance", ...w(bob2)]);
    expect(restored.stdout.split("\n").slice(0, 2)).toEqual(after.stdout.split("\n").slice(0, 2));
    const acc2 = await baios(["wallet", "accounts", ...w(bob2)]);
    expect(acc2.stdout).toContain("1/1  " + sub11);
  }, 300_000);
});
