/**
 * Wallet JSON-RPC proof methods against a real devnet node (issue 12): get_tx_proof /
 * check_tx_proof, export_key_images / import_key_images on a view-only wallet,
 * get_reserve_proof / check_reserve_proof, create_address; failing proofs answer PROOF_ERROR
 * (-32106) with a reason, never 0 and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcPost } from "../../node/test/helpers/http.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { startWalletRpc, WALLET_RPC_ERRORS, type WalletRpcHandle } from "../src/rpc.ts";
import { Wallet } from "../src/wallet.ts";
import { BAI, startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

let h: HostileNode;
let full: Wallet;
let view: Wallet;
let fullRpc: WalletRpcHandle;
let viewRpc: WalletRpcHandle;
const bob = Wallet.restore(devnetMnemonic(7), "devnet");
let txid = "";

const call = async (srv: WalletRpcHandle, method: string, params?: unknown) => (await rpcPost(srv.url, { jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) }, srv.token)).json;

beforeAll(async () => {
  h = await startHostileNode();
  full = Wallet.restore(devnetMnemonic(0), "devnet");
  view = Wallet.fromViewKey(full.viewKey());
  fullRpc = await startWalletRpc(full, h.client);
  viewRpc = await startWalletRpc(view, h.client);
  const t = await call(fullRpc, "transfer", { destinations: [{ address: bob.address, amount: (2n * BAI).toString() }] });
  txid = t.result.txid;
  for (let i = 0; i < 2; i++) await h.node.produceBlock();
}, 300_000);
afterAll(async () => {
  await fullRpc?.close();
  await viewRpc?.close();
  await h?.stop();
});

describe("wallet RPC proof methods", () => {
  it("get_tx_proof / check_tx_proof", async () => {
    const p = await call(fullRpc, "get_tx_proof", { txid, address: bob.address, message: "m" });
    expect(p.result.signature).toMatch(/^BaiosTxProofV1/);
    const ok = await call(viewRpc, "check_tx_proof", { txid, address: bob.address, message: "m", signature: p.result.signature });
    expect(ok.result).toMatchObject({ good: true, received: (2n * BAI).toString(), inPool: false });
    const bad = await call(viewRpc, "check_tx_proof", { txid, address: bob.address, message: "n", signature: p.result.signature });
    expect(bad.error).toMatchObject({ code: WALLET_RPC_ERRORS.PROOF_ERROR, data: { reason: "INVALID_PROOF" } });
    expect(bad.error.message).not.toMatch(/at .*\.ts/);
    expect((await call(viewRpc, "get_tx_proof", { txid, address: bob.address })).error).toMatchObject({ code: WALLET_RPC_ERRORS.PROOF_ERROR, data: { reason: "NOT_SENT" } });
    expect((await call(fullRpc, "get_tx_proof", { txid: 5 })).error.code).toBe(WALLET_RPC_ERRORS.PROOF_ERROR);
  }, 60_000);

  it("export_key_images / import_key_images make the view-only balance right", async () => {
    const fb = (await call(fullRpc, "get_balance")).result;
    const before = (await call(viewRpc, "get_balance")).result;
    expect(before.spendable).not.toBe(fb.spendable);
    expect((await call(viewRpc, "export_key_images")).error).toMatchObject({ code: WALLET_RPC_ERRORS.PROOF_ERROR, data: { reason: "VIEW_ONLY" } });
    const file = (await call(fullRpc, "export_key_images")).result;
    const wrong = (await call(viewRpc, "import_key_images", { ...file, address: "00".repeat(64) })).error;
    expect(wrong).toMatchObject({ code: WALLET_RPC_ERRORS.PROOF_ERROR, data: { reason: "WRONG_WALLET" } });
    const im = (await call(viewRpc, "import_key_images", file)).result;
    expect(im.spent).toBeGreaterThan(0);
    const after = (await call(viewRpc, "get_balance")).result;
    expect({ s: after.spendable, p: after.pending }).toEqual({ s: fb.spendable, p: fb.pending });
  }, 120_000);

  it("get_reserve_proof / check_reserve_proof and create_address", async () => {
    const p = (await call(fullRpc, "get_reserve_proof", { message: "audit" })).result.signature;
    const c = (await call(viewRpc, "check_reserve_proof", { address: full.address, signature: p, message: "audit" })).result;
    const fb = (await call(fullRpc, "get_balance")).result;
    expect(c.unspent).toBe((BigInt(fb.spendable) + BigInt(fb.pending)).toString());
    expect(c.spent).toBe("0");
    expect((await call(viewRpc, "check_reserve_proof", { address: bob.address, signature: p, message: "audit" })).error.code).toBe(WALLET_RPC_ERRORS.PROOF_ERROR);
    const a = (await call(fullRpc, "create_address", { account: 2 })).result;
    expect(a).toMatchObject({ account: 2, index: 1 });
    expect(a.address).toMatch(/^baiosdevsub1/);
    expect((await call(fullRpc, "validate_address", { address: a.address })).result).toMatchObject({ valid: true, subaddress: true });
  }, 120_000);
});
