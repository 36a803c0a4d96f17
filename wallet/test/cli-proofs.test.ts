/**
 * Signed proofs and key-image export/import through the CLI, run as a subprocess against a real
 * devnet node (issue 12): get-tx-proof / check-tx-proof (a payment proved without the tx key; a
 * wrong message or a tampered proof fails), get-reserve-proof / check-reserve-proof (the sum is the
 * wallet's unspent balance; a tampered proof fails), export-key-images / import-key-images (a
 * view-only wallet's balance is wrong before the import and equals the full wallet's after it).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "baios-cli-proofs-"));
const pw = join(dir, "pw");
writeFileSync(pw, "correct horse\n");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs `baios …` as a child process (async: the node lives in this process and must keep answering). */
function baios(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let h: HostileNode;
const fullFile = join(dir, "full.json");
const viewFile = join(dir, "view.json");
const bobFile = join(dir, "bob.json");
const w = (file: string): string[] => ["--wallet", file, "--rpc", h.proxyUrl, "--password-file", pw, "--network", "devnet", "-q"];
const line = (out: string, label: string): string => out.split("\n").find((l) => l.startsWith(label)) ?? `(no ${label} line in: ${out})`;
let bobAddress = "";
let aliceAddress = "";
let txid = "";

beforeAll(async () => {
  h = await startHostileNode();
  aliceAddress = Wallet.restore(devnetMnemonic(0), "devnet").address;
  bobAddress = Wallet.restore(devnetMnemonic(5), "devnet").address;
  expect((await baios(["wallet", "restore", ...w(fullFile)], { BAIOS_MNEMONIC: devnetMnemonic(0) })).code).toBe(0);
  expect((await baios(["wallet", "restore", ...w(bobFile)], { BAIOS_MNEMONIC: devnetMnemonic(5) })).code).toBe(0);
  const vk = (await baios(["wallet", "export-view-key", ...w(fullFile)])).stdout.trim();
  expect(vk).toMatch(/^baiosdevview1/);
  expect((await baios(["wallet", "restore", ...w(viewFile), "--view-key", vk])).code).toBe(0);
  const t = await baios(["wallet", "transfer", bobAddress, "7.5", "--yes", ...w(fullFile)]);
  expect(t.code, t.stderr).toBe(0);
  txid = /txid\s+([0-9a-f]{64})/.exec(t.stdout)?.[1] ?? "";
  expect(txid).toMatch(/^[0-9a-f]{64}$/);
  for (let i = 0; i < 3; i++) await h.node.produceBlock();
}, 300_000);

afterAll(async () => {
  await h?.stop();
});

describe("baios wallet get-tx-proof / check-tx-proof", () => {
  it("proves the payment to bob without the tx key; a wrong message or a tampered proof fails", async () => {
    const p = await baios(["wallet", "get-tx-proof", txid, bobAddress, "invoice 17", ...w(fullFile)]);
    expect(p.code, p.stderr).toBe(0);
    const proof = p.stdout.trim();
    expect(proof).toMatch(/^BaiosTxProofV1[0-9a-f]{202}$/);
    const txKey = (await baios(["wallet", "tx-key", txid, ...w(fullFile)])).stdout.trim();
    expect(proof).not.toContain(txKey); // the proof does not carry r
    const ok = await baios(["wallet", "check-tx-proof", txid, bobAddress, proof, "invoice 17", ...w(bobFile)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/good proof: 7\.5 BAI to /);
    const wrongMsg = await baios(["wallet", "check-tx-proof", txid, bobAddress, proof, "invoice 18", ...w(bobFile)]);
    expect(wrongMsg.code).not.toBe(0);
    expect(wrongMsg.stderr).toMatch(/does not verify/);
    const tampered = proof.slice(0, -2) + (proof.endsWith("00") ? "01" : "00");
    expect((await baios(["wallet", "check-tx-proof", txid, bobAddress, tampered, "invoice 17", ...w(bobFile)])).code).not.toBe(0);
    // a proof for bob says nothing about alice's address
    expect((await baios(["wallet", "check-tx-proof", txid, aliceAddress, proof, "invoice 17", ...w(bobFile)])).code).not.toBe(0);
  }, 120_000);
});

describe("baios wallet export-key-images / import-key-images (view-only wallet sees spends)", () => {
  it("view-only balance before import ≠ after import = the full wallet's balance", async () => {
    const full = await baios(["wallet", "balance", ...w(fullFile)]);
    const before = await baios(["wallet", "balance", ...w(viewFile)]);
    expect(full.code, full.stderr).toBe(0);
    expect(before.code, before.stderr).toBe(0);
    const fullTotal = [line(full.stdout, "spendable"), line(full.stdout, "pending")];
    expect([line(before.stdout, "spendable"), line(before.stdout, "pending")]).not.toEqual(fullTotal);
    const kiFile = join(dir, "key-images.json");
    const ex = await baios(["wallet", "export-key-images", kiFile, ...w(fullFile)]);
    expect(ex.code, ex.stderr).toBe(0);
    // a view-only wallet cannot export (it has no spend key)
    expect((await baios(["wallet", "export-key-images", join(dir, "x.json"), ...w(viewFile)])).stderr).toMatch(/view-only/);
    // a forged key image is refused and nothing is imported
    const forged = JSON.parse(readFileSync(kiFile, "utf8")) as { keyImages: { signedKeyImage: string }[] };
    const e0 = forged.keyImages[0]!;
    e0.signedKeyImage = forged.keyImages[1]!.signedKeyImage.slice(0, 64) + e0.signedKeyImage.slice(64);
    writeFileSync(join(dir, "forged.json"), JSON.stringify(forged));
    const bad = await baios(["wallet", "import-key-images", join(dir, "forged.json"), ...w(viewFile)]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/does not verify/);
    const im = await baios(["wallet", "import-key-images", kiFile, ...w(viewFile)]);
    expect(im.code, im.stderr).toBe(0);
    expect(im.stdout).toMatch(/imported \d+ key images \(1 spent/);
    const after = await baios(["wallet", "balance", ...w(viewFile)]);
    expect([line(after.stdout, "spendable"), line(after.stdout, "pending")]).toEqual(fullTotal);
  }, 180_000);
});

describe("baios wallet get-reserve-proof / check-reserve-proof", () => {
  it("proves the unspent balance of alice; a wrong message, address or tampered amount fails", async () => {
    const p = await baios(["wallet", "get-reserve-proof", "all", "audit 2026", ...w(fullFile)]);
    expect(p.code, p.stderr).toBe(0);
    const proof = p.stdout.trim();
    expect(proof).toMatch(/^BaiosReserveProofV1/);
    const full = await baios(["wallet", "balance", ...w(fullFile)]);
    const total = (["spendable", "pending"] as const).map((l) => Number(/([0-9.]+) BAI/.exec(line(full.stdout, l))?.[1])).reduce((a, b) => a + b, 0);
    const ok = await baios(["wallet", "check-reserve-proof", aliceAddress, proof, "audit 2026", ...w(bobFile)]);
    expect(ok.code, ok.stderr).toBe(0);
    const unspent = Number(/good reserve proof: ([0-9.]+) BAI unspent/.exec(ok.stdout)?.[1]);
    expect(unspent).toBeCloseTo(total, 8);
    expect((await baios(["wallet", "check-reserve-proof", aliceAddress, proof, "audit 2027", ...w(bobFile)])).code).not.toBe(0);
    expect((await baios(["wallet", "check-reserve-proof", bobAddress, proof, "audit 2026", ...w(bobFile)])).code).not.toBe(0);
    const body = JSON.parse(Buffer.from(proof.slice("BaiosReserveProofV1".length), "base64url").toString()) as { entries: { amount: string }[] };
    body.entries[0]!.amount = (BigInt(body.entries[0]!.amount) + 1n).toString();
    const inflated = "BaiosReserveProofV1" + Buffer.from(JSON.stringify(body)).toString("base64url");
    const r = await baios(["wallet", "check-reserve-proof", aliceAddress, inflated, "audit 2026", ...w(bobFile)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/do not open/);
    // a partial proof covering at least 1500 BAI
    const part = await baios(["wallet", "get-reserve-proof", "1500", "audit", ...w(fullFile)]);
    const c = await baios(["wallet", "check-reserve-proof", aliceAddress, part.stdout.trim(), "audit", ...w(bobFile)]);
    expect(c.code, c.stderr).toBe(0);
    expect(Number(/([0-9.]+) BAI unspent/.exec(c.stdout)?.[1])).toBeGreaterThanOrEqual(1500);
  }, 180_000);
});
