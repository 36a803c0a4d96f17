/**
 * Wallet JSON-RPC security (issue 6 "Wallet JSON-RPC (critical)"): authentication on by default
 * (bearer token in a 0600 file, HTTP Basic accepted), Host/Origin checks, Content-Type, hostile
 * bodies, typed error codes, the listen policy, and the CLI. Real HTTP servers on 127.0.0.1 and
 * raw `node:http` requests whose headers the test sets.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRpcClient, RpcSecurityError } from "@baios/node";
import { post, rpcPost } from "../../node/test/helpers/http.ts";
import { startWalletRpc, WALLET_RPC_ERRORS, type WalletRpcHandle } from "../src/rpc.ts";
import { Wallet } from "../src/wallet.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "baios-wallet-rpc-"));
// a node that is not there: calls that need the chain fail with NODE_ERROR
const deadNode = new NodeRpcClient("http://127.0.0.1:9", { timeoutMs: 2000 });
const TRANSFER = { jsonrpc: "2.0", id: 1, method: "transfer", params: { destinations: [{ address: "x", amount: "100000000000" }] } };

describe("wallet RPC: authentication on by default", () => {
  let wallet: Wallet;
  let srv: WalletRpcHandle;
  const tokenFile = join(dir, "wallet.json.rpc-token");
  beforeAll(async () => {
    wallet = Wallet.create("devnet").wallet;
    srv = await startWalletRpc(wallet, deadNode, { tokenFile });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it("writes a 32-byte token (64 hex) to a 0600 file and refuses calls without it (401, -32040)", async () => {
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, "utf8").trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(srv.token).toBe(token);
    expect(srv.tokenFile).toBe(tokenFile);
    for (const body of [TRANSFER, { jsonrpc: "2.0", id: 2, method: "get_transfers" }]) {
      const r = await rpcPost(srv.url, body);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe(WALLET_RPC_ERRORS.UNAUTHORIZED);
      expect(r.text).not.toContain("result");
    }
    expect((await rpcPost(srv.url, { jsonrpc: "2.0", id: 3, method: "get_address" }, "11".repeat(32))).status).toBe(401);
    const ok = await rpcPost(srv.url, { jsonrpc: "2.0", id: 4, method: "get_address" }, token);
    expect(ok.json.result.address).toBe(wallet.address);
    // curl -u baios:$(cat <wallet>.rpc-token)
    const basic = await rpcPost(srv.url, { jsonrpc: "2.0", id: 5, method: "get_address" }, undefined, { authorization: `Basic ${Buffer.from(`baios:${token}`).toString("base64")}` });
    expect(basic.json.result.address).toBe(wallet.address);
  });

  it("a cross-origin simple request (text/plain, Origin of a web page) cannot call transfer", async () => {
    const page = await post(srv.url, JSON.stringify(TRANSFER), { "content-type": "text/plain", origin: "https://evil.example" });
    expect(page.status).toBe(403);
    expect(page.json.error.code).toBe(WALLET_RPC_ERRORS.FORBIDDEN);
    // even holding the token, an unconfigured Origin or a non-JSON media type is refused
    expect((await rpcPost(srv.url, TRANSFER, srv.token, { origin: "https://evil.example" })).status).toBe(403);
    const plain = await post(srv.url, JSON.stringify(TRANSFER), { "content-type": "text/plain;charset=UTF-8", authorization: `Bearer ${srv.token}` });
    expect(plain.status).toBe(415);
    expect(plain.json.error.code).toBe(WALLET_RPC_ERRORS.UNSUPPORTED_MEDIA_TYPE);
  });

  it("a DNS-rebinding page (Host: evil.example) cannot call transfer or read get_transfers", async () => {
    const port = new URL(srv.url).port;
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      for (const body of [TRANSFER, { jsonrpc: "2.0", id: 2, method: "get_transfers" }]) {
        const r = await rpcPost(srv.url, body, srv.token, { host });
        expect(r.status, host).toBe(403);
        expect(r.json.error.code).toBe(WALLET_RPC_ERRORS.FORBIDDEN);
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) expect((await rpcPost(srv.url, { jsonrpc: "2.0", id: 1, method: "get_address" }, srv.token, { host })).status).toBe(200);
  });

  it("bodies null, [null], 1, \"x\", {} get -32600 and the process keeps serving", async () => {
    for (const body of ["null", "[null]", "1", '"x"', "{}", "[1,null]", "[]"]) {
      const r = await rpcPost(srv.url, body, srv.token);
      expect(r.status, body).toBe(200);
      const answers = Array.isArray(r.json) ? r.json : [r.json];
      for (const a of answers) expect(a.error.code, body).toBe(WALLET_RPC_ERRORS.INVALID_REQUEST);
    }
    expect((await rpcPost(srv.url, "{nope", srv.token)).json.error.code).toBe(WALLET_RPC_ERRORS.PARSE_ERROR);
    const deep = `{"jsonrpc":"2.0","method":"get_address","id":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect((await rpcPost(srv.url, deep, srv.token)).json.error.code).toBe(WALLET_RPC_ERRORS.INVALID_REQUEST);
    expect((await rpcPost(srv.url, { jsonrpc: "2.0", id: 9, method: "get_address" }, srv.token)).json.result.address).toBe(wallet.address);
  });

  it("errors carry distinct non-zero codes with a reason", async () => {
    const call = async (method: string, params?: unknown) => (await rpcPost(srv.url, { jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) }, srv.token)).json.error;
    const badParams = await call("transfer", { destinations: "all of it" });
    expect(badParams).toMatchObject({ code: WALLET_RPC_ERRORS.INVALID_PARAMS, message: expect.stringMatching(/destinations/) });
    expect((await call("transfer", { destinations: [{ address: "a", amount: "-5" }] })).code).toBe(WALLET_RPC_ERRORS.INVALID_PARAMS);
    expect((await call("transfer", [1, 2])).code).toBe(WALLET_RPC_ERRORS.INVALID_PARAMS);
    expect((await call("get_tx_key", { txid: 5 })).code).toBe(WALLET_RPC_ERRORS.INVALID_PARAMS);
    expect((await call("get_tx_key", { txid: "ab".repeat(32) })).code).toBe(WALLET_RPC_ERRORS.WALLET_ERROR);
    const node = await call("get_balance");
    expect(node.code).toBe(WALLET_RPC_ERRORS.NODE_ERROR);
    expect(node.message).toMatch(/cannot reach the node/);
    expect((await call("no_such_method")).code).toBe(WALLET_RPC_ERRORS.METHOD_NOT_FOUND);
    expect((await call("toString")).code).toBe(WALLET_RPC_ERRORS.METHOD_NOT_FOUND);
    const codes = [badParams.code, node.code, WALLET_RPC_ERRORS.WALLET_ERROR];
    for (const c of codes) expect(c).not.toBe(0);
  });

  it("a view-only wallet refuses to spend with WALLET_ERROR", async () => {
    const vo = Wallet.fromViewKey(wallet.viewKey());
    const s = await startWalletRpc(vo, deadNode);
    try {
      expect(s.token).toMatch(/^[0-9a-f]{64}$/); // auth on even without a token file
      const r = await rpcPost(s.url, TRANSFER, s.token);
      expect(r.json.error).toMatchObject({ code: WALLET_RPC_ERRORS.WALLET_ERROR, message: expect.stringMatching(/view-only/) });
    } finally {
      await s.close();
    }
  });

  it("reuses the token file across restarts and refuses one readable by others", async () => {
    const again = await startWalletRpc(wallet, deadNode, { tokenFile });
    try {
      expect(again.token).toBe(srv.token);
    } finally {
      await again.close();
    }
    const loose = join(dir, "loose.rpc-token");
    writeFileSync(loose, `${"cd".repeat(32)}\n`);
    chmodSync(loose, 0o644);
    await expect(startWalletRpc(wallet, deadNode, { tokenFile: loose })).rejects.toThrow(/chmod 600/);
  });
});

describe("wallet RPC: turning authentication off, listen policy", () => {
  it("disableAuth works only on loopback; a non-loopback address without auth is refused", async () => {
    const w = Wallet.create("devnet").wallet;
    await expect(startWalletRpc(w, deadNode, { host: "0.0.0.0", disableAuth: true })).rejects.toThrow(RpcSecurityError);
    await expect(startWalletRpc(w, deadNode, { host: "0.0.0.0", disableAuth: true })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without authentication/);
    const open = await startWalletRpc(w, deadNode, { host: "127.0.0.1", disableAuth: true });
    try {
      expect(open.token).toBeUndefined();
      expect((await rpcPost(open.url, { jsonrpc: "2.0", id: 1, method: "get_address" })).json.result.address).toBe(w.address);
      // Host, Origin and Content-Type checks stay on
      expect((await rpcPost(open.url, { jsonrpc: "2.0", id: 1, method: "get_address" }, undefined, { host: "evil.example" })).status).toBe(403);
      expect((await rpcPost(open.url, { jsonrpc: "2.0", id: 1, method: "get_address" }, undefined, { origin: "http://evil.example" })).status).toBe(403);
      expect((await post(open.url, "{}", { "content-type": "text/plain" })).status).toBe(415);
    } finally {
      await open.close();
    }
  });

  it("an origin in allowOrigins may call with the token", async () => {
    const w = Wallet.create("devnet").wallet;
    const s = await startWalletRpc(w, deadNode, { allowOrigins: ["http://localhost:5173"] });
    try {
      const r = await rpcPost(s.url, { jsonrpc: "2.0", id: 1, method: "get_address" }, s.token, { origin: "http://localhost:5173" });
      expect(r.json.result.address).toBe(w.address);
      expect(r.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    } finally {
      await s.close();
    }
  });

  it("the CLI refuses `wallet rpc --host 0.0.0.0 --disable-auth` with a clear error", () => {
    const r = spawnSync(process.execPath, [BIN, "wallet", "rpc", "--host", "0.0.0.0", "--disable-auth", "--wallet", join(dir, "none.json")], { encoding: "utf8", timeout: 60_000, env: { ...process.env, BAIOS_WALLET_PASSWORD: "x" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without authentication/);
  });
});
