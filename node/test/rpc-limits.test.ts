/**
 * Node RPC limits (issue 6 "One request, minutes of work"): batch length, work units and response
 * bytes per HTTP request, requests in flight per connection and in total, and `--restricted-rpc`.
 * A real node over real HTTP where the point is the node's behaviour under load.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../src/log.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { DEFAULT_RPC_SERVER_LIMITS, RESTRICTED_RPC_SERVER_LIMITS } from "../src/rpc/limits.ts";
import { startHttpServer } from "../src/rpc/server.ts";
import { post, rawExchange, rpcPost } from "./helpers/http.ts";
import { testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const range = (id: number, from: number, to?: number) => ({ jsonrpc: "2.0", id, method: "get_blocks_range", params: to === undefined ? { from } : { from, to } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("node RPC limits on a real node", () => {
  let node: NodeHandle;
  const BLOCKS = 30;
  beforeAll(async () => {
    node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis: await testGenesis(), manualBlocks: true });
    for (let i = 0; i < BLOCKS; i++) await node.produceBlock();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("a batch of 10 000 get_blocks_range calls is refused at once (LIMIT_EXCEEDED) while status stays responsive", async () => {
    const body = Array.from({ length: 10_000 }, (_, i) => range(i, 0, BLOCKS));
    const t0 = performance.now();
    const big = rpcPost(node.rpcUrl, body, node.rpcToken).then((r) => ({ r, ms: performance.now() - t0 }));
    const statusMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s0 = performance.now();
      const s = await rpcPost(node.rpcUrl, { jsonrpc: "2.0", id: 1, method: "status" }, node.rpcToken);
      statusMs.push(performance.now() - s0);
      expect(s.json.result.height).toBe(BLOCKS);
    }
    const { r, ms } = await big;
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: RPC_ERRORS.LIMIT_EXCEEDED, message: expect.stringMatching(/batch of 10000/), data: { limit: "maxBatch", max: 100, value: 10_000 } } });
    expect(ms).toBeLessThan(2000);
    expect(Math.max(...statusMs)).toBeLessThan(1000);
  });

  it("the work budget is summed over a batch and refused whole, before anything runs", async () => {
    // 3 × 1000 blocks = 3000 units > 2000
    const r = await rpcPost(node.rpcUrl, [range(1, 0, 999), range(2, 0, 999), range(3, 0, 999)], node.rpcToken);
    expect(r.json.error.code).toBe(RPC_ERRORS.LIMIT_EXCEEDED);
    expect(r.json.error.data).toEqual({ limit: "maxWorkUnits", max: DEFAULT_RPC_SERVER_LIMITS.maxWorkUnits, value: 3000 });
    // without `to` a span counts as the most the method may serve
    const open = await rpcPost(node.rpcUrl, [range(1, 0), range(2, 0), range(3, 0)], node.rpcToken);
    expect(open.json.error.code).toBe(RPC_ERRORS.LIMIT_EXCEEDED);
    // within the budget it runs, and status answers meanwhile
    const ok = rpcPost(node.rpcUrl, Array.from({ length: 100 }, (_, i) => range(i, 0, 19)), node.rpcToken);
    const s0 = performance.now();
    await rpcPost(node.rpcUrl, { jsonrpc: "2.0", id: 1, method: "status" }, node.rpcToken);
    expect(performance.now() - s0).toBeLessThan(1000);
    const res = await ok;
    expect(res.json).toHaveLength(100);
    expect(res.json[99].result.blocks).toHaveLength(20);
  });

  it("101 requests in one batch exceed maxBatch", async () => {
    const r = await rpcPost(node.rpcUrl, Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "status" })), node.rpcToken);
    expect(r.json.error).toMatchObject({ code: RPC_ERRORS.LIMIT_EXCEEDED, data: { limit: "maxBatch", value: 101 } });
    const fine = await rpcPost(node.rpcUrl, Array.from({ length: 100 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "status" })), node.rpcToken);
    expect(fine.json).toHaveLength(100);
  });
});

describe("node RPC: the answer size is estimated before the answer is built", () => {
  it("a get_blocks_range whose estimated answer exceeds maxResponseBytes is refused without running", async () => {
    const node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis: await testGenesis(), manualBlocks: true, rpcLimits: { maxResponseBytes: 30_000 } });
    try {
      for (let i = 0; i < 20; i++) await node.produceBlock();
      const ran = async () => (await node.metrics.rpcRequests.get()).values.filter((v) => v.labels["method"] === "get_blocks_range").reduce((a, v) => a + v.value, 0);
      const big = await rpcPost(node.rpcUrl, range(7, 0, 20), node.rpcToken);
      expect(big.json).toMatchObject({ id: 7, error: { code: RPC_ERRORS.LIMIT_EXCEEDED, data: { limit: "maxResponseBytes", max: 30_000 } } });
      expect(big.json.error.data.value).toBeGreaterThan(30_000);
      expect(await ran()).toBe(0); // refused before the method ran
      const batch = await rpcPost(node.rpcUrl, [range(1, 1, 10), range(2, 11, 20)], node.rpcToken);
      expect(batch.json).toMatchObject({ id: null, error: { code: RPC_ERRORS.LIMIT_EXCEEDED } });
      const small = await rpcPost(node.rpcUrl, range(8, 1, 5), node.rpcToken);
      expect(small.json.result.blocks).toHaveLength(5);
      expect(small.text.length).toBeLessThan(30_000);
      expect(await ran()).toBe(1);
    } finally {
      await node.stop();
    }
  });
});

describe("node RPC limits of the HTTP server", () => {
  it("a response over maxResponseBytes becomes LIMIT_EXCEEDED for the calls that do not fit", async () => {
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: undefined,
      serveMetrics: false,
      log: silentLogger(),
      limits: { maxResponseBytes: 10_000 },
      methods: { blob: (p) => "x".repeat(Number((p as { n: number }).n)) },
    });
    try {
      const r = await rpcPost(srv.url, [
        { jsonrpc: "2.0", id: 1, method: "blob", params: { n: 6000 } },
        { jsonrpc: "2.0", id: 2, method: "blob", params: { n: 6000 } },
        { jsonrpc: "2.0", id: 3, method: "blob", params: { n: 10 } },
      ]);
      expect(r.text.length).toBeLessThanOrEqual(10_000);
      expect(r.json[0].result).toHaveLength(6000);
      expect(r.json[1].error).toMatchObject({ code: RPC_ERRORS.LIMIT_EXCEEDED, data: { limit: "maxResponseBytes" } });
      expect(r.json[2].result).toBe("x".repeat(10));
      const single = await rpcPost(srv.url, { jsonrpc: "2.0", id: 9, method: "blob", params: { n: 20_000 } });
      expect(single.json).toMatchObject({ id: 9, error: { code: RPC_ERRORS.LIMIT_EXCEEDED } });
    } finally {
      await srv.close();
    }
  });

  it("bounds requests in flight in total (429) and per connection (pipelining)", async () => {
    const release: (() => void)[] = [];
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: undefined,
      serveMetrics: false,
      log: silentLogger(),
      limits: { maxConcurrent: 2, maxPerConnection: 1 },
      methods: { slow: () => new Promise<string>((r) => release.push(() => r("done"))), fast: () => "fast" },
    });
    try {
      const a = rpcPost(srv.url, { jsonrpc: "2.0", id: 1, method: "slow" });
      const b = rpcPost(srv.url, { jsonrpc: "2.0", id: 2, method: "slow" });
      while (release.length < 2) await sleep(5);
      const c = await rpcPost(srv.url, { jsonrpc: "2.0", id: 3, method: "fast" });
      expect(c.status).toBe(429);
      expect(c.json.error.code).toBe(RPC_ERRORS.TOO_MANY_REQUESTS);
      expect(c.headers["retry-after"]).toBe("1");
      for (const r of release.splice(0)) r();
      expect((await a).json.result).toBe("done");
      expect((await b).json.result).toBe("done");
      expect((await rpcPost(srv.url, { jsonrpc: "2.0", id: 4, method: "fast" })).json.result).toBe("fast");

      // two pipelined requests on one connection: the second is refused while the first runs
      const port = Number(new URL(srv.url).port);
      const one = (id: number, method: string): string => {
        const body = JSON.stringify({ jsonrpc: "2.0", id, method });
        return `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      };
      const pipelined = rawExchange(port, one(5, "slow") + one(6, "fast"), undefined, (d) => (d.match(/HTTP\/1\.1 /g) ?? []).length >= 2, 5000);
      while (release.length < 1) await sleep(5);
      await sleep(100);
      for (const r of release.splice(0)) r();
      const p = await pipelined;
      expect(p.data).toContain('"id":5,"result":"done"');
      expect(p.data).toMatch(/HTTP\/1\.1 429 /);
    } finally {
      for (const r of release.splice(0)) r();
      await srv.close();
    }
  });

  it("a client that goes away mid-body frees its request slot", async () => {
    const srv = await startHttpServer({ host: "127.0.0.1", port: 0, metrics: undefined, serveMetrics: false, log: silentLogger(), limits: { maxConcurrent: 1 }, methods: { fast: () => "fast" } });
    try {
      const port = Number(new URL(srv.url).port);
      for (let i = 0; i < 3; i++) {
        const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"`;
        await rawExchange(port, head, undefined, () => true, 100); // sends a partial body, then hangs up
        await sleep(50);
        const r = await rpcPost(srv.url, { jsonrpc: "2.0", id: i, method: "fast" });
        expect(r.status).toBe(200);
        expect(r.json.result).toBe("fast");
      }
    } finally {
      await srv.close();
    }
  });

  it("restricted mode: tighter caps, params bounded, operator data off", async () => {
    const seen: unknown[] = [];
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: undefined,
      serveMetrics: true,
      log: silentLogger(),
      restricted: true,
      methods: { get_blocks_range: (p) => (seen.push(p), { ok: true }), status: () => "ok" },
    });
    try {
      const L = RESTRICTED_RPC_SERVER_LIMITS;
      const span = await rpcPost(srv.url, range(1, 0, L.blocksRange));
      expect(span.json.error).toMatchObject({ code: RPC_ERRORS.INVALID_PARAMS, message: expect.stringMatching(/restricted/) });
      expect(seen).toHaveLength(0);
      await rpcPost(srv.url, range(2, 5));
      expect(seen).toEqual([{ from: 5, to: 5 + L.blocksRange - 1 }]);
      const batch = await rpcPost(srv.url, Array.from({ length: L.maxBatch + 1 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "status" })));
      expect(batch.json.error.data).toMatchObject({ limit: "maxBatch", max: L.maxBatch });
      expect((await post(`${srv.url}/metrics`, "", {}, "GET")).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});

describe("node --restricted-rpc: a public node without authentication", () => {
  it("serves on a wildcard address without a token, answers IP-literal Hosts, still refuses rebinding names", async () => {
    const node = await startNode(testConfig(tmpDir(), { workers: 0, rpcHost: "0.0.0.0", rpcDisableAuth: true, restrictedRpc: true }), { genesis: await testGenesis(), manualBlocks: true });
    try {
      expect(node.rpcToken).toBeUndefined();
      expect(node.metricsUrl).toBeUndefined();
      const port = new URL(node.rpcUrl).port;
      const url = `http://127.0.0.1:${port}`;
      const s = await rpcPost(url, { jsonrpc: "2.0", id: 1, method: "status" });
      expect(s.status).toBe(200);
      expect(s.json.result.height).toBe(0);
      expect((await rpcPost(url, { jsonrpc: "2.0", id: 1, method: "status" }, undefined, { host: `203.0.113.7:${port}` })).status).toBe(200);
      expect((await rpcPost(url, { jsonrpc: "2.0", id: 1, method: "get_mempool" }, undefined, { host: `evil.example:${port}` })).status).toBe(403);
      const r = await rpcPost(url, range(1, 0, 500));
      expect(r.json.error.code).toBe(RPC_ERRORS.INVALID_PARAMS);
      expect((await post(`${url}/metrics`, "", {}, "GET")).status).toBe(404);
    } finally {
      await node.stop();
    }
  });
});
