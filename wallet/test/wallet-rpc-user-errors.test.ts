/**
 * Issue 12, wallet RPC: "distinct error codes, never 0; no stack traces for user mistakes".
 * Every method, called over real HTTP with the token, with ill-typed params (an array, and an
 * object of wrong-typed fields) answers either a result (a method that takes no params) or an
 * error with a non-zero integer code and a message with no stack lines ("    at …").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRpcClient } from "@baios/node";
import { rpcPost } from "../../node/test/helpers/http.ts";
import { startWalletRpc, walletRpcMethods, WALLET_RPC_ERRORS, type WalletRpcHandle } from "../src/rpc.ts";
import { Wallet } from "../src/wallet.ts";

// a node that is not there: calls that need the chain fail with NODE_ERROR
const deadNode = new NodeRpcClient("http://127.0.0.1:9", { timeoutMs: 2000 });
/** Methods whose params are read: ill-typed params must be an error, never a result. */
const TAKES_PARAMS = ["transfer", "get_tx_key", "sweep_all", "validate_address", "get_tx_proof", "check_tx_proof", "get_reserve_proof", "check_reserve_proof", "create_address", "import_key_images"];
const BAD_PARAMS: unknown[] = [
  [1, 2, 3],
  { destinations: 5, txid: 7, address: 9, amount: -1, fee: "x", maxFee: {}, proof: 3, signature: [], message: 4, account: "a", label: 1, key_images: "zz", get_tx_key: "yes" },
];
const STACK_LINE = /\n\s+at /;

describe("wallet RPC: user mistakes", () => {
  let srv: WalletRpcHandle;
  let wallet: Wallet;
  beforeAll(async () => {
    wallet = Wallet.create("devnet").wallet;
    srv = await startWalletRpc(wallet, deadNode);
  });
  afterAll(async () => {
    await srv?.close();
  });

  it("error codes are distinct, non-zero integers", () => {
    const codes = Object.values(WALLET_RPC_ERRORS);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      expect(Number.isInteger(c)).toBe(true);
      expect(c).not.toBe(0);
    }
  });

  it("bad params to every method: a non-zero code and no stack trace", async () => {
    const methods = Object.keys(walletRpcMethods(wallet, deadNode));
    for (const m of TAKES_PARAMS) expect(methods).toContain(m);
    let id = 0;
    for (const method of methods) {
      for (const params of BAD_PARAMS) {
        const r = await rpcPost(srv.url, { jsonrpc: "2.0", id: ++id, method, params }, srv.token);
        expect(r.status, method).toBe(200);
        expect(r.text, method).not.toMatch(STACK_LINE);
        expect(r.text, method).not.toMatch(/\.ts:\d+/);
        const body = r.json as { result?: unknown; error?: { code: number; message: string } };
        if (TAKES_PARAMS.includes(method)) expect(body.error, `${method} ${JSON.stringify(params)}`).toBeDefined();
        if (body.error !== undefined) {
          expect(Number.isInteger(body.error.code), method).toBe(true);
          expect(body.error.code, method).not.toBe(0);
          expect(body.error.message, method).not.toMatch(STACK_LINE);
          expect(body.error.message.length, method).toBeGreaterThan(0);
        }
      }
    }
  }, 120_000);

  it("an unknown method and a malformed request get their standard codes", async () => {
    const nf = await rpcPost(srv.url, { jsonrpc: "2.0", id: 1, method: "no_such_method" }, srv.token);
    expect(nf.json.error.code).toBe(WALLET_RPC_ERRORS.METHOD_NOT_FOUND);
    const bad = await rpcPost(srv.url, { jsonrpc: "1.0", id: 2, method: 5 }, srv.token);
    expect(bad.json.error.code).toBe(WALLET_RPC_ERRORS.INVALID_REQUEST);
    expect(bad.text).not.toMatch(STACK_LINE);
  });
});
