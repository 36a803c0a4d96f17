import { Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger, silentLogger } from "../src/log.ts";
import { createMetrics } from "../src/metrics.ts";
import { hex, parseHex, parseU64String, parseUint, paramsObject } from "../src/rpc/convert.ts";
import { RPC_ERRORS, rpcError } from "../src/rpc/errors.ts";
import { startHttpServer } from "../src/rpc/server.ts";

describe("log", () => {
  it("redacts secret and wallet fields, top level and nested", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger("info", sink as unknown as Parameters<typeof createLogger>[1]);
    log.info({ seed: "aa", amount: "5", cfg: { validatorKey: "bb", payout: "cc" }, height: 3 }, "hello");
    const rec = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(rec["seed"]).toBe("<redacted>");
    expect(rec["amount"]).toBe("<redacted>");
    expect((rec["cfg"] as Record<string, unknown>)["validatorKey"]).toBe("<redacted>");
    expect(rec["height"]).toBe(3);
    expect(rec["svc"]).toBe("baios-node");
  });
});

describe("metrics", () => {
  it("every metric name starts with baios_ and carries a unit suffix where it measures one", async () => {
    const m = createMetrics();
    m.txRejected.inc({ code: "TX_MALFORMED" });
    const text = await m.registry.metrics();
    const names = new Set(text.split("\n").filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2] ?? ""));
    expect(names.size).toBeGreaterThan(15);
    for (const n of names) expect(n.startsWith("baios_")).toBe(true);
    for (const n of names) if (n.includes("seconds") || n.includes("bytes")) expect(/_(seconds|bytes)(_total)?$/.test(n)).toBe(true);
    expect(text).toContain('baios_tx_rejected_total{code="TX_MALFORMED"} 1');
  });
});

describe("rpc conventions", () => {
  it("hex round-trips and rejects uppercase/odd/0x (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(parseHex(hex(b), "x")).toEqual(b);
      }),
    );
    for (const bad of ["ABCD", "abc", "0xab", 12, null]) expect(() => parseHex(bad, "x")).toThrow();
    expect(() => parseHex("ab", "x", 2)).toThrow(/2 bytes/);
  });
  it("u64 strings and uints", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        expect(parseU64String(n.toString(), "a")).toBe(n);
      }),
    );
    for (const bad of ["01", "-1", "18446744073709551616", 5, "1e3"]) expect(() => parseU64String(bad, "a")).toThrow();
    expect(parseUint(5, "h")).toBe(5);
    for (const bad of [-1, 1.5, "5", 2 ** 53]) expect(() => parseUint(bad, "h")).toThrow();
    expect(paramsObject(undefined)).toEqual({});
    expect(() => paramsObject([1])).toThrow();
  });
});

describe("rpc http server", () => {
  it("dispatches, maps errors, serves metrics and health, counts requests", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics,
      serveMetrics: true,
      log: silentLogger(),
      methods: {
        echo: (p) => p,
        fail: () => {
          throw rpcError("NOT_FOUND", "nothing here", { x: 1 });
        },
        bug: () => {
          throw new Error("secret detail");
        },
      },
    });
    try {
      const json = { "content-type": "application/json" };
      const call = async (body: unknown) => (await fetch(srv.url, { method: "POST", headers: json, body: JSON.stringify(body) })).json() as Promise<Record<string, any>>;
      expect((await call({ jsonrpc: "2.0", id: 1, method: "echo", params: { a: 1 } })).result).toEqual({ a: 1 });
      const f = await call({ jsonrpc: "2.0", id: 2, method: "fail" });
      expect(f.error).toEqual({ code: RPC_ERRORS.NOT_FOUND, message: "nothing here", data: { x: 1 } });
      const b = await call({ jsonrpc: "2.0", id: 3, method: "bug" });
      expect(b.error.code).toBe(RPC_ERRORS.INTERNAL_ERROR);
      expect(JSON.stringify(b)).not.toContain("secret detail");
      expect((await call({ jsonrpc: "2.0", id: 4, method: "zzz" })).error.code).toBe(RPC_ERRORS.METHOD_NOT_FOUND);
      expect((await call({ foo: 1 })).error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
      expect((await call([])).error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
      const note = await fetch(srv.url, { method: "POST", headers: json, body: JSON.stringify({ jsonrpc: "2.0", method: "echo" }) });
      expect(note.status).toBe(204);
      expect((await fetch(`${srv.url}/health`)).status).toBe(200);
      expect((await fetch(`${srv.url}/nope`)).status).toBe(404);
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      expect(text).toContain('baios_rpc_requests_total{method="echo",outcome="ok"} 2');
      expect(text).toContain('baios_rpc_requests_total{method="unknown",outcome="error"} 1');
    } finally {
      await srv.close();
    }
  });
});
