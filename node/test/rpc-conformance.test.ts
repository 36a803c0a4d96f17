/**
 * JSON-RPC 2.0 conformance of the node's HTTP server (issue 6 "Conformance to JSON-RPC 2.0"):
 * real listeners on 127.0.0.1, raw `node:http` requests and TCP sockets.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../src/log.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { startHttpServer, type HttpServerHandle } from "../src/rpc/server.ts";
import { post, rawExchange, responseComplete, rpcPost } from "./helpers/http.ts";

const TOKEN = "ab".repeat(32);

describe("node RPC: JSON-RPC 2.0 conformance", () => {
  let srv: HttpServerHandle;
  let port: number;
  beforeAll(async () => {
    srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: undefined,
      serveMetrics: false,
      log: silentLogger(),
      token: TOKEN,
      methods: { echo: (p) => p ?? null, status: () => ({ ok: true }) },
    });
    port = Number(new URL(srv.url).port);
  });
  afterAll(async () => {
    await srv?.close();
  });
  const call = (body: unknown) => rpcPost(srv.url, body, TOKEN);

  it("a body of null, 1, \"x\", {} or a batch holding null gets -32600 (HTTP 200), never a 500", async () => {
    for (const body of ["null", "1", '"x"', "{}", "true"]) {
      const r = await call(body);
      expect(r.status, body).toBe(200);
      expect(r.json, body).toEqual({ jsonrpc: "2.0", id: null, error: { code: RPC_ERRORS.INVALID_REQUEST, message: expect.any(String) } });
    }
    const b = await call("[null]");
    expect(b.status).toBe(200);
    expect(b.json).toEqual([{ jsonrpc: "2.0", id: null, error: { code: RPC_ERRORS.INVALID_REQUEST, message: expect.any(String) } }]);
    const mixed = await call([null, { jsonrpc: "2.0", id: 7, method: "echo", params: { a: 1 } }, 5]);
    expect(mixed.json).toHaveLength(3);
    expect(mixed.json[1]).toEqual({ jsonrpc: "2.0", id: 7, result: { a: 1 } });
    expect(mixed.json[0].error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
    expect(mixed.json[2].error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
  });

  it("a one-element batch gets an array; a single request an object", async () => {
    const one = await call([{ jsonrpc: "2.0", id: 1, method: "echo", params: { x: 2 } }]);
    expect(Array.isArray(one.json)).toBe(true);
    expect(one.json).toEqual([{ jsonrpc: "2.0", id: 1, result: { x: 2 } }]);
    const single = await call({ jsonrpc: "2.0", id: "s", method: "echo", params: { x: 3 } });
    expect(single.json).toEqual({ jsonrpc: "2.0", id: "s", result: { x: 3 } });
  });

  it("an id nested 10 000 levels deep gets -32600 without a stack overflow; ids must be string, number or null", async () => {
    const deep = `{"jsonrpc":"2.0","method":"echo","id":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const r = await call(deep);
    expect(r.status).toBe(200);
    expect(r.json.error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
    expect(r.json.id).toBeNull();
    const deepParams = `{"jsonrpc":"2.0","method":"echo","id":1,"params":{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    expect((await call(deepParams)).json.error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
    for (const id of [[1], { a: 1 }, true]) {
      const x = await call({ jsonrpc: "2.0", id, method: "status" });
      expect(x.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: RPC_ERRORS.INVALID_REQUEST, message: expect.stringMatching(/id/) } });
    }
    // still serving
    expect((await call({ jsonrpc: "2.0", id: 2, method: "status" })).json.result).toEqual({ ok: true });
  });

  it("method names of Object.prototype are unknown methods, not prototype lookups", async () => {
    for (const m of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
      const r = await call({ jsonrpc: "2.0", id: 1, method: m });
      expect(r.json.error.code, m).toBe(RPC_ERRORS.METHOD_NOT_FOUND);
    }
  });

  it("a 10 MB body gets its 413 answer delivered over a real socket, not a connection reset", async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const r = await rawExchange(port, head, body, responseComplete);
    expect(r.error).toBeUndefined();
    expect(r.written).toBe(body.length);
    expect(r.data).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.data).toContain(`"code":${RPC_ERRORS.REQUEST_TOO_LARGE}`);
    // body streamed without Content-Length (chunked) over the limit: same answer
    const chunked = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const piece = Buffer.concat([Buffer.from("100000\r\n"), Buffer.alloc(0x100000, 0x20), Buffer.from("\r\n")]);
    const chunks = Buffer.concat([...Array.from({ length: 10 }, () => piece), Buffer.from("0\r\n\r\n")]);
    const c = await rawExchange(port, chunked, chunks, responseComplete);
    expect(c.error).toBeUndefined();
    expect(c.data).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("Expect: 100-continue with a Content-Length over the limit gets 413 before the body is sent", async () => {
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${10 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`;
    const r = await rawExchange(port, head, undefined, responseComplete);
    expect(r.data).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("property: any JSON body gets a well-formed JSON-RPC answer or 204, and the server keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.array(fc.record({ jsonrpc: fc.constantFrom("2.0", "1.0", 2), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue({ maxDepth: 2 })), method: fc.oneof(fc.constantFrom("echo", "status", "nope", "toString"), fc.jsonValue({ maxDepth: 1 })), params: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), { maxLength: 5 }),
        ),
        async (body) => {
          const r = await call(JSON.stringify(body));
          expect([200, 204]).toContain(r.status);
          if (r.status === 204) return;
          const answers = Array.isArray(r.json) ? r.json : [r.json];
          for (const a of answers) {
            expect(a.jsonrpc).toBe("2.0");
            expect("result" in a !== "error" in a).toBe(true);
            if ("error" in a) expect(typeof a.error.code).toBe("number");
          }
        },
      ),
      { numRuns: 150 },
    );
    expect((await call({ jsonrpc: "2.0", id: 1, method: "status" })).json.result).toEqual({ ok: true });
  });
});

describe("node RPC: requests in flight when the server stops", () => {
  it("are answered -32020 UNAVAILABLE (single and batch), and the close completes", async () => {
    let entered = 0;
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: undefined,
      serveMetrics: false,
      log: silentLogger(),
      methods: {
        hang: () => {
          entered++;
          return new Promise(() => undefined); // never settles
        },
      },
    });
    const single = rpcPost(srv.url, { jsonrpc: "2.0", id: 41, method: "hang" });
    const batch = rpcPost(srv.url, [
      { jsonrpc: "2.0", id: 1, method: "hang" },
      { jsonrpc: "2.0", id: 2, method: "hang" },
    ]);
    const t0 = Date.now();
    while (entered < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(entered).toBe(2);
    await srv.close();
    const s = await single;
    expect(s.status).toBe(200);
    expect(s.json).toEqual({ jsonrpc: "2.0", id: 41, error: { code: RPC_ERRORS.UNAVAILABLE, message: expect.stringMatching(/stopping/) } });
    expect(s.json.error.code).toBe(-32020);
    const b = await batch;
    expect(b.json).toEqual([
      { jsonrpc: "2.0", id: 1, error: { code: -32020, message: expect.any(String) } },
      { jsonrpc: "2.0", id: 2, error: { code: -32020, message: expect.any(String) } },
    ]);
    // and it no longer listens
    await expect(post(srv.url, "{}", { "content-type": "application/json" })).rejects.toThrow(/ECONNREFUSED/);
  });
});
