/**
 * JSON-RPC 2.0 over HTTP (json-rpc-2.0 on node:http), plus `GET /metrics` (Prometheus text)
 * and `GET /health`. `POST /` (or `/rpc`) takes a request or a batch; notifications get 204.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JSONRPCErrorException, JSONRPCServer, createJSONRPCErrorResponse, type JSONRPCRequest } from "json-rpc-2.0";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "../metrics.ts";
import { RPC_ERRORS } from "./errors.ts";

/** Maximum request body (bytes): a batch of full-size hex transactions fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A method: by-name params in, JSON-able result out (throw `rpcError(...)` to fail). */
export type RpcMethod = (params: unknown) => unknown;

/** Options of {@link startHttpServer} (docs/node.md §JSON-RPC 2.0). */
export interface HttpServerOptions {
  /** Listen address (config `rpcHost`, default 127.0.0.1). */
  host: string;
  /** Listen port; 0 = an ephemeral port (the handle's `url` carries the real one). */
  port: number;
  /** The method table by name (e.g. from `createMethods`). */
  methods: Readonly<Record<string, RpcMethod>>;
  /** Request counters and latencies, and the registry `/metrics` serves; undefined disables both. */
  metrics: NodeMetrics | undefined;
  /** Serve `/metrics` on this server. */
  serveMetrics: boolean;
  /** Logger for failing methods and handlers (messages only, never params). */
  log: Logger;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Builds the JSON-RPC dispatcher with metrics and error mapping (exported for in-process tests). */
export function createRpcDispatcher(methods: Readonly<Record<string, RpcMethod>>, metrics: NodeMetrics | undefined, log: Logger): JSONRPCServer {
  const rpc = new JSONRPCServer({ errorListener: () => undefined });
  for (const [name, fn] of Object.entries(methods)) rpc.addMethod(name, (params: unknown) => fn(params));
  rpc.applyMiddleware(async (next, request: JSONRPCRequest, serverParams) => {
    const known = rpc.hasMethod(request.method);
    const label = known ? request.method : "unknown";
    const end = metrics?.rpcRequestSeconds.startTimer({ method: label });
    let response;
    try {
      response = await next(request, serverParams);
    } catch (e) {
      response = request.id === undefined ? null : rpc.mapErrorToJSONRPCErrorResponse(request.id, e);
    }
    end?.();
    metrics?.rpcRequests.inc({ method: label, outcome: response?.error === undefined ? "ok" : "error" });
    return response;
  });
  rpc.mapErrorToJSONRPCErrorResponse = (id, error: unknown) => {
    if (error instanceof JSONRPCErrorException) return createJSONRPCErrorResponse(id, error.code, error.message, error.data);
    // Not a JSONRPCErrorException: a bug. Log it (no params: they may hold user data), hide details.
    log.error({ err: (error as Error)?.message }, "rpc method failed");
    return createJSONRPCErrorResponse(id, RPC_ERRORS.INTERNAL_ERROR, "internal error");
  };
  return rpc;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Serves Prometheus text for `registry` (used by the RPC server and a separate metrics listener). */
export async function serveMetrics(res: ServerResponse, metrics: NodeMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  send(res, 200, metrics.registry.contentType, text);
}

/** Starts the HTTP server. */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const rpc = createRpcDispatcher(opts.methods, opts.metrics, opts.log);
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === "/metrics" && opts.serveMetrics && opts.metrics !== undefined) return serveMetrics(res, opts.metrics);
      if (req.method === "GET" && path === "/health") return send(res, 200, "application/json", '{"ok":true}');
      if (req.method !== "POST" || (path !== "/" && path !== "/rpc")) return send(res, 404, "text/plain", "not found\n");
      let body: string;
      try {
        body = await readBody(req);
      } catch {
        return send(res, 413, "text/plain", "request too large\n");
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(res, 200, "application/json", JSON.stringify(createJSONRPCErrorResponse(null, RPC_ERRORS.PARSE_ERROR, "parse error")));
      }
      if (Array.isArray(parsed) && parsed.length === 0) {
        return send(res, 200, "application/json", JSON.stringify(createJSONRPCErrorResponse(null, RPC_ERRORS.INVALID_REQUEST, "empty batch")));
      }
      const out = await rpc.receive(parsed as JSONRPCRequest);
      if (out === null || (Array.isArray(out) && out.length === 0)) {
        res.writeHead(204);
        return res.end();
      }
      return send(res, 200, "application/json", JSON.stringify(out));
    })().catch((e: unknown) => {
      opts.log.error({ err: (e as Error).message }, "http handler failed");
      if (!res.headersSent) send(res, 500, "text/plain", "internal error\n");
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A separate listener that only serves `GET /metrics`. */
export async function startMetricsServer(host: string, port: number, metrics: NodeMetrics): Promise<HttpServerHandle> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && (req.url ?? "").split("?")[0] === "/metrics") void serveMetrics(res, metrics);
    else send(res, 404, "text/plain", "not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
