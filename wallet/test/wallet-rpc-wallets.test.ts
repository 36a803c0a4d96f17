/**
 * Issue 12, wallet RPC `create_wallet` / `open_wallet` / `close_wallet` (monero-wallet-rpc
 * semantics) over real HTTP with the token: files live in the wallet directory, names cannot
 * escape it, swapping saves and releases the old wallet's lock, and wallet methods answer
 * NO_WALLET while none is open.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRpcClient } from "@baios/node";
import { rpcPost } from "../../node/test/helpers/http.ts";
import { startWalletRpc, WALLET_RPC_ERRORS, type WalletRpcHandle } from "../src/rpc.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT } from "../src/walletfile.ts";

const deadNode = new NodeRpcClient("http://127.0.0.1:9", { timeoutMs: 2000 });
const root = mkdtempSync(join(tmpdir(), "baios-wallet-dir-"));
const dir = join(root, "wallets");

describe("wallet RPC: create_wallet / open_wallet / close_wallet", () => {
  let srv: WalletRpcHandle;
  let id = 0;
  const call = async (method: string, params?: unknown) => (await rpcPost(srv.url, { jsonrpc: "2.0", id: ++id, method, ...(params !== undefined ? { params } : {}) }, srv.token)).json;
  beforeAll(async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { mode: 0o700 });
    srv = await startWalletRpc(undefined, deadNode, { walletDir: dir, scrypt: TEST_SCRYPT });
  });
  afterAll(async () => {
    await srv?.close();
    srv?.wallet()?.close();
  });

  it("no wallet open: wallet methods answer NO_WALLET", async () => {
    expect(srv.token).toMatch(/^[0-9a-f]{64}$/);
    for (const m of ["get_address", "get_balance", "transfer", "get_tx_proof"]) expect((await call(m, {})).error.code, m).toBe(WALLET_RPC_ERRORS.NO_WALLET);
  });

  it("filenames cannot escape the wallet directory", async () => {
    for (const filename of ["../evil", "/tmp/evil", "a/b", "..", ".", ".hidden", "a\\b", "", 5]) {
      for (const m of ["create_wallet", "open_wallet"]) {
        const r = await call(m, { filename, password: "pw" });
        expect(r.error?.code, `${m} ${String(filename)}`).toBe(WALLET_RPC_ERRORS.INVALID_PARAMS);
      }
    }
    expect(existsSync(join(root, "evil"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect((await call("create_wallet", [1])).error.code).toBe(WALLET_RPC_ERRORS.INVALID_PARAMS);
    expect((await call("create_wallet", { filename: "x", password: 5 })).error).toMatchObject({ code: WALLET_RPC_ERRORS.INVALID_PARAMS, message: expect.stringMatching(/^password: /) });
    expect((await call("create_wallet", { filename: "x", password: "", network: "moon" })).error).toMatchObject({ code: WALLET_RPC_ERRORS.INVALID_PARAMS, message: expect.stringMatching(/^network: /) });
    expect((await call("open_wallet", { filename: "../x", password: "" })).error.message).toMatch(/^filename: /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("create, swap, reopen, close: each swap saves and releases the lock", async () => {
    const a = await call("create_wallet", { filename: "alice", password: "pa" });
    expect(a.result.address).toMatch(/^baiosdev1/);
    expect(existsSync(join(dir, "alice"))).toBe(true);
    expect((await call("get_address")).result.address).toBe(a.result.address);
    expect((await call("create_wallet", { filename: "alice", password: "pa" })).error).toMatchObject({ code: WALLET_RPC_ERRORS.WALLET_FILE_ERROR, data: { reason: "EXISTS" } });
    // alice is held by the server
    expect(() => Wallet.open(join(dir, "alice"), "pa")).toThrow(/in use/);

    const b = await call("create_wallet", { filename: "bob", password: "pb" });
    expect(b.result.address).not.toBe(a.result.address);
    expect((await call("get_address")).result.address).toBe(b.result.address);
    // alice was closed: its lock is free again
    Wallet.open(join(dir, "alice"), "pa").close();

    expect((await call("open_wallet", { filename: "alice", password: "wrong" })).error).toMatchObject({ code: WALLET_RPC_ERRORS.WALLET_FILE_ERROR, data: { reason: "WRONG_PASSWORD" } });
    expect((await call("get_address")).result.address).toBe(b.result.address); // a failed open keeps the current wallet
    expect((await call("open_wallet", { filename: "nobody", password: "x" })).error).toMatchObject({ code: WALLET_RPC_ERRORS.WALLET_FILE_ERROR, data: { reason: "NOT_FOUND" } });

    expect((await call("open_wallet", { filename: "alice", password: "pa" })).result.address).toBe(a.result.address);
    expect((await call("get_address")).result.address).toBe(a.result.address);
    Wallet.open(join(dir, "bob"), "pb").close(); // bob released
    expect((await call("open_wallet", { filename: "alice", password: "pa" })).result.address).toBe(a.result.address); // reopening the open file

    expect((await call("close_wallet")).result).toEqual({});
    expect((await call("get_address")).error.code).toBe(WALLET_RPC_ERRORS.NO_WALLET);
    expect(srv.wallet()).toBeUndefined();
    Wallet.open(join(dir, "alice"), "pa").close();
  });

  it("without --wallet-dir, create_wallet / open_wallet answer NO_WALLET_DIR", async () => {
    const w = Wallet.create("devnet").wallet;
    const s = await startWalletRpc(w, deadNode);
    try {
      const r = await rpcPost(s.url, { jsonrpc: "2.0", id: 1, method: "create_wallet", params: { filename: "x", password: "" } }, s.token);
      expect(r.json.error).toMatchObject({ code: WALLET_RPC_ERRORS.WALLET_FILE_ERROR, data: { reason: "NO_WALLET_DIR" } });
      expect((await rpcPost(s.url, { jsonrpc: "2.0", id: 2, method: "get_address" }, s.token)).json.result.address).toBe(w.address);
    } finally {
      await s.close();
    }
  });
});
