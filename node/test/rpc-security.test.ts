/**
 * Node RPC security (issue 6 "Node JSON-RPC"): authentication by cookie, Host/Origin checks against
 * DNS rebinding and cross-origin pages, Content-Type, and the listen policy. A real node on
 * 127.0.0.1 and raw `node:http` requests whose headers the test sets.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, validateConfig } from "../src/config.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { NodeRpcClient, RpcError, readRpcCookie } from "@baios/api/node";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { isLoopbackAddress, parseHostHeader, RpcSecurityError } from "@baios/api/server";
import { silentLogger } from "../src/log.ts";
import { startHttpServer } from "../src/rpc/server.ts";
import { post, rpcPost } from "./helpers/http.ts";
import { testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const MEMPOOL = { jsonrpc: "2.0", id: 1, method: "get_mempool" };

describe("node RPC: authentication, Host/Origin, Content-Type", () => {
  let node: NodeHandle;
  let dir: string;
  let host: string;
  beforeAll(async () => {
    dir = tmpDir();
    node = await startNode(testConfig(dir, { workers: 0 }), { genesis: await testGenesis(), manualBlocks: true });
    host = new URL(node.rpcUrl).host;
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("writes a 0600 cookie of 32 random bytes in <dataDir>/rpc.cookie; the handle's client uses it", async () => {
    const cookie = join(dir, "rpc.cookie");
    expect(node.rpcCookieFile).toBe(cookie);
    expect(statSync(cookie).mode & 0o777).toBe(0o600);
    const token = readRpcCookie(cookie);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).toBe(node.rpcToken);
    expect((await node.client.status()).height).toBe(0);
    expect((await new NodeRpcClient(node.rpcUrl, { tokenFile: cookie }).status()).height).toBe(0);
  });

  it("refuses a request without credentials or with a wrong token (401, -32040); accepts Bearer and Basic (curl -u baios:<token>)", async () => {
    const none = await rpcPost(node.rpcUrl, MEMPOOL);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe(RPC_ERRORS.UNAUTHORIZED);
    expect(none.headers["www-authenticate"]).toMatch(/Bearer/);
    const wrong = await rpcPost(node.rpcUrl, MEMPOOL, "00".repeat(32));
    expect(wrong.status).toBe(401);
    const bearer = await rpcPost(node.rpcUrl, MEMPOOL, node.rpcToken);
    expect(bearer.status).toBe(200);
    expect(bearer.json.result.count).toBe(0);
    const basic = await rpcPost(node.rpcUrl, MEMPOOL, undefined, { authorization: `Basic ${Buffer.from(`baios:${node.rpcToken}`).toString("base64")}` });
    expect(basic.status).toBe(200);
    const basicWrong = await rpcPost(node.rpcUrl, MEMPOOL, undefined, { authorization: `Basic ${Buffer.from(`baios:nope`).toString("base64")}` });
    expect(basicWrong.status).toBe(401);
    // the typed client reports the refusal with its code
    const e = await new NodeRpcClient(node.rpcUrl).status().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe(RPC_ERRORS.UNAUTHORIZED);
    // /metrics needs the token too
    expect((await post(`${node.rpcUrl}/metrics`, "", {}, "GET")).status).toBe(401);
    expect((await post(`${node.rpcUrl}/metrics`, "", { authorization: `Bearer ${node.rpcToken}` }, "GET")).text).toContain("baios_chain_height");
  });

  it("a DNS-rebinding page (Host: evil.example) cannot read get_mempool, even with the token", async () => {
    for (const h of ["evil.example", `evil.example:${new URL(node.rpcUrl).port}`, "127.0.0.1:1", "localhost.evil.example"]) {
      const r = await rpcPost(node.rpcUrl, MEMPOOL, node.rpcToken, { host: h });
      expect(r.status, h).toBe(403);
      expect(r.json.error.code).toBe(RPC_ERRORS.FORBIDDEN);
      expect(r.text).not.toContain("result");
    }
    const port = new URL(node.rpcUrl).port;
    for (const h of [host, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await rpcPost(node.rpcUrl, MEMPOOL, node.rpcToken, { host: h })).status, h).toBe(200);
    }
  });

  it("a request carrying an Origin not configured is refused (403); text/plain (a CORS simple request) is refused (415)", async () => {
    const o = await rpcPost(node.rpcUrl, MEMPOOL, node.rpcToken, { origin: "https://evil.example" });
    expect(o.status).toBe(403);
    expect(o.json.error.code).toBe(RPC_ERRORS.FORBIDDEN);
    const nullOrigin = await rpcPost(node.rpcUrl, MEMPOOL, node.rpcToken, { origin: "null" });
    expect(nullOrigin.status).toBe(403);
    for (const ct of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json; charset=latin1"]) {
      const r = await post(node.rpcUrl, JSON.stringify(MEMPOOL), { "content-type": ct, authorization: `Bearer ${node.rpcToken}` });
      expect(r.status, ct).toBe(415);
      expect(r.json.error.code).toBe(RPC_ERRORS.UNSUPPORTED_MEDIA_TYPE);
    }
    const none = await post(node.rpcUrl, JSON.stringify(MEMPOOL), { authorization: `Bearer ${node.rpcToken}` });
    expect(none.status).toBe(415);
    const ok = await post(node.rpcUrl, JSON.stringify(MEMPOOL), { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${node.rpcToken}` });
    expect(ok.status).toBe(200);
  });

  it("removes its cookie at stop", async () => {
    const d = tmpDir();
    const n = await startNode(testConfig(d, { workers: 0 }), { genesis: await testGenesis(), manualBlocks: true });
    expect(existsSync(join(d, "rpc.cookie"))).toBe(true);
    const first = readFileSync(join(d, "rpc.cookie"), "utf8");
    await n.stop();
    expect(existsSync(join(d, "rpc.cookie"))).toBe(false);
    const again = await startNode(testConfig(d, { workers: 0 }), { genesis: await testGenesis(), manualBlocks: true });
    try {
      expect(readFileSync(join(d, "rpc.cookie"), "utf8")).not.toBe(first); // a new secret per start
    } finally {
      await again.stop();
    }
  });
});

describe("node RPC: allowed origins, listen policy", () => {
  it("an origin configured with --rpc-allow-origin may call, and gets CORS headers and a preflight answer", async () => {
    const d = tmpDir();
    const cfg = loadConfig({ argv: ["--data-dir", d, "--rpc-port", "0", "--workers", "0", "--rpc-allow-origin", "https://app.example, http://localhost:3000"] });
    expect(cfg.rpcAllowOrigins).toEqual(["https://app.example", "http://localhost:3000"]);
    const n = await startNode({ ...cfg, syncWrites: false }, { genesis: await testGenesis(), manualBlocks: true, log: silentLogger() });
    try {
      const r = await rpcPost(n.rpcUrl, MEMPOOL, n.rpcToken, { origin: "https://app.example" });
      expect(r.status).toBe(200);
      expect(r.headers["access-control-allow-origin"]).toBe("https://app.example");
      const pre = await post(n.rpcUrl, "", { origin: "http://localhost:3000", "access-control-request-method": "POST" }, "OPTIONS");
      expect(pre.status).toBe(204);
      expect(pre.headers["access-control-allow-headers"]).toMatch(/authorization/);
      expect((await rpcPost(n.rpcUrl, MEMPOOL, n.rpcToken, { origin: "https://other.example" })).status).toBe(403);
    } finally {
      await n.stop();
    }
  });

  it("turning auth off needs --rpc-disable-auth, and only on loopback or with --restricted-rpc", async () => {
    expect(() => loadConfig({ argv: ["--rpc-host", "0.0.0.0", "--rpc-disable-auth"] })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--rpc-host", "192.168.1.5", "--rpc-disable-auth"] })).toThrow(/loopback/);
    expect(loadConfig({ argv: ["--rpc-host", "0.0.0.0", "--rpc-disable-auth", "--restricted-rpc"] }).restrictedRpc).toBe(true);
    expect(loadConfig({ argv: ["--rpc-host", "::1", "--rpc-disable-auth"] }).rpcDisableAuth).toBe(true);
    expect(() => validateConfig({ ...loadConfig({}), rpcHost: "10.0.0.1", rpcDisableAuth: true })).toThrow(ConfigError);
    // the server refuses it on its own too
    await expect(startHttpServer({ host: "0.0.0.0", port: 0, methods: {}, metrics: undefined, serveMetrics: false, log: silentLogger() })).rejects.toThrow(RpcSecurityError);
    // with auth off on loopback: no cookie, requests without credentials pass
    const d = tmpDir();
    const n = await startNode(testConfig(d, { workers: 0, rpcDisableAuth: true }), { genesis: await testGenesis(), manualBlocks: true });
    try {
      expect(n.rpcCookieFile).toBeUndefined();
      expect(existsSync(join(d, "rpc.cookie"))).toBe(false);
      expect((await rpcPost(n.rpcUrl, MEMPOOL)).status).toBe(200);
      // Host and Origin checks stay on
      expect((await rpcPost(n.rpcUrl, MEMPOOL, undefined, { host: "evil.example" })).status).toBe(403);
    } finally {
      await n.stop();
    }
  });

  it("a separate metrics listener (--metrics-port) needs the token and a local Host too", async () => {
    const n = await startNode(testConfig(tmpDir(), { workers: 0, metricsPort: 0 }), { genesis: await testGenesis(), manualBlocks: true });
    try {
      const url = n.metricsUrl as string;
      expect(url).not.toContain(new URL(n.rpcUrl).port);
      expect((await post(url, "", {}, "GET")).status).toBe(401);
      const auth = { authorization: `Bearer ${n.rpcToken}` };
      expect((await post(url, "", auth, "GET")).text).toContain("baios_chain_height");
      expect((await post(url, "", { ...auth, host: "evil.example" }, "GET")).status).toBe(403);
    } finally {
      await n.stop();
    }
  });

  it("Host parsing and loopback detection", () => {
    expect(parseHostHeader("127.0.0.1:28545")).toEqual({ hostname: "127.0.0.1", port: 28545 });
    expect(parseHostHeader("[::1]:8080")).toEqual({ hostname: "[::1]", port: 8080 });
    expect(parseHostHeader("Example.COM")).toEqual({ hostname: "example.com", port: 80 });
    expect(parseHostHeader("a:b")).toBeUndefined();
    expect(parseHostHeader("[::1")).toBeUndefined();
    expect(parseHostHeader("x:99999")).toBeUndefined();
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1", "localhost.example"]) expect(isLoopbackAddress(h), h).toBe(false);
  });
});
