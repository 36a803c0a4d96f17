/**
 * JSON-RPC 2.0 over HTTP (json-rpc-2.0 dispatch on node:http), plus `GET /metrics` (Prometheus
 * text) and `GET /health` (docs/node.md §JSON-RPC 2.0, §Authentication, §Limits).
 *
 * Every request passes the guard of `@baios/api/server` (http-guard.ts) first: `Host` and `Origin` checks, bearer
 * token (when auth is on), `Content-Type: application/json`. `POST /` (or `/rpc`) then takes a
 * request or a batch (≤ `maxBatch`; a one-element batch answers an array), checked here against
 * JSON-RPC 2.0 (§4, §5, §6; `validateRequest` of `@baios/api/server`) before any method runs; a batch's work units are summed and refused
 * whole over `maxWorkUnits`; calls run one after the other and the serialised answer is capped at
 * `maxResponseBytes`. Requests still being served when the server closes are answered
 * UNAVAILABLE (-32020).
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { JSONRPCErrorException, JSONRPCServer, createJSONRPCErrorResponse, type JSONRPCRequest, type JSONRPCResponse } from "json-rpc-2.0";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "../metrics.ts";
import { RPC_ERRORS } from "./errors.ts";
import { assertAuthPolicy, checkAuth, checkRequest, corsHeaders, nestedDeeperThan, readBody, sendPreflight, sendRefusal, validateRequest, type GuardOptions, type JsonRpcId as Id, type Refusal, type ValidRequest } from "@baios/api/server";
import { DEFAULT_RPC_SERVER_LIMITS, OPERATOR_ONLY_METHODS, RESTRICTED_RPC_SERVER_LIMITS, callCost, restrictParams, type RpcServerLimits } from "./limits.ts";

/** Maximum request body (bytes) of a normal listener: a batch of full-size hex transactions fits. */
export const MAX_BODY_BYTES = DEFAULT_RPC_SERVER_LIMITS.maxBodyBytes;

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
  /** Serve `/metrics` on this server (ignored when `restricted`). */
  serveMetrics: boolean;
  /** Logger for failing methods and handlers (messages only, never params). */
  log: Logger;
  /** Bearer token (64 hex characters) every RPC and `/metrics` request must carry; undefined = authentication off (loopback or `restricted` only). */
  token?: string | undefined;
  /** Origins whose browser pages may call (exact `scheme://host[:port]`); default none. */
  allowOrigins?: readonly string[];
  /** Extra `Host` names served besides the listen address and localhost; `*` = any. */
  allowHosts?: readonly string[];
  /** Public-node mode (`--restricted-rpc`): {@link RESTRICTED_RPC_SERVER_LIMITS}, no operator-only methods, no `/metrics`. */
  restricted?: boolean;
  /** Overrides of the limits (tests; defaults per mode). */
  limits?: Partial<RpcServerLimits>;
  /** Estimated answer bytes of a call before it runs (the node passes `estimateResponseBytes` over its chain); a request whose estimates sum above `maxResponseBytes` is refused up front. */
  estimateBytes?: (method: string, params: unknown, limits: RpcServerLimits) => Promise<number>;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  url: string;
  server: Server;
  /** Stops listening, answers requests in flight with UNAVAILABLE (-32020) and closes every connection. */
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

const errorResponse = (id: Id, code: number, message: string, data?: unknown): JSONRPCResponse => createJSONRPCErrorResponse(id, code, message, data);

/** One HTTP request being served (for limits and for answering it when the server stops). */
interface InFlight {
  res: ServerResponse;
  req: IncomingMessage;
  /** Ids to answer UNAVAILABLE with; undefined until the body is parsed. */
  ids: Id[] | undefined;
  batch: boolean;
  answered: boolean;
}

const UNAVAILABLE_MESSAGE = "the node is stopping; the outcome of this call is unknown";
/** How long `close()` keeps reading requests already on the wire (answering them UNAVAILABLE) before it closes every socket, ms. */
const STOP_GRACE_MS = 300;

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

/** Serves Prometheus text for `registry` (used by the RPC server and a separate metrics listener). */
export async function serveMetrics(res: ServerResponse, metrics: NodeMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  send(res, 200, metrics.registry.contentType, text);
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

const urlOf = (addr: AddressInfo): string => `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;

/**
 * Starts the HTTP server.
 * @throws RpcSecurityError when `token` is undefined on a non-loopback `host` without `restricted`
 * @throws Error from `listen` (address in use, …)
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const restricted = opts.restricted === true;
  assertAuthPolicy({ what: "node RPC", host: opts.host, authEnabled: opts.token !== undefined, publicWithoutAuth: restricted });
  const limits: RpcServerLimits = { ...(restricted ? RESTRICTED_RPC_SERVER_LIMITS : DEFAULT_RPC_SERVER_LIMITS), ...(opts.limits ?? {}) };
  const rpc = createRpcDispatcher(opts.methods, opts.metrics, opts.log);
  const serveMetricsHere = opts.serveMetrics && !restricted && opts.metrics !== undefined;
  const guard: GuardOptions = { bindHost: opts.host, port: 0, token: opts.token, allowOrigins: opts.allowOrigins ?? [], allowHosts: opts.allowHosts ?? [], realm: "baios-node" };
  const inFlight = new Set<InFlight>();
  const perConnection = new WeakMap<Socket, number>();
  let closing = false;

  const refuse = (req: IncomingMessage, res: ServerResponse, r: Refusal): void => {
    opts.metrics?.rpcRequests.inc({ method: "(http)", outcome: `refused_${r.status}` });
    sendRefusal(res, r, corsHeaders(req, guard));
  };

  /** Runs one valid request: operator-only check, restricted params, dispatch. */
  const runCall = async (r: ValidRequest): Promise<JSONRPCResponse | null> => {
    if (restricted && OPERATOR_ONLY_METHODS.includes(r.method)) {
      return r.id === undefined ? null : errorResponse(r.id, RPC_ERRORS.METHOD_NOT_FOUND, `method ${r.method} is not available on a restricted RPC`);
    }
    if (!Object.hasOwn(opts.methods, r.method)) {
      // never let a name like "toString" or "__proto__" reach a prototype lookup
      opts.metrics?.rpcRequests.inc({ method: "unknown", outcome: "error" });
      return r.id === undefined ? null : errorResponse(r.id, RPC_ERRORS.METHOD_NOT_FOUND, "Method not found");
    }
    const params = restricted ? restrictParams(r.method, r.params, limits) : r.params;
    const call = { ...r, params } as JSONRPCRequest;
    return (await rpc.receive(call)) as JSONRPCResponse | null;
  };

  /** The answer body for a parsed JSON body (null = nothing to answer: 204). */
  const handleJson = async (parsed: unknown, entry: InFlight): Promise<string | null> => {
    const whole = (code: number, message: string, data?: unknown): string => JSON.stringify(errorResponse(null, code, message, data));
    if (nestedDeeperThan(parsed, limits.maxDepth)) return whole(RPC_ERRORS.INVALID_REQUEST, `invalid request: nested deeper than ${limits.maxDepth} levels`);
    const batch = Array.isArray(parsed);
    const items: unknown[] = batch ? parsed : [parsed];
    if (batch && items.length === 0) return whole(RPC_ERRORS.INVALID_REQUEST, "invalid request: empty batch");
    if (items.length > limits.maxBatch) {
      return whole(RPC_ERRORS.LIMIT_EXCEEDED, `batch of ${items.length} requests exceeds the limit of ${limits.maxBatch}`, { limit: "maxBatch", max: limits.maxBatch, value: items.length });
    }
    const checked = items.map(validateRequest);
    if (closing) {
      // arrived while the node stops: nothing runs; every call with an id gets UNAVAILABLE
      const ids = checked.flatMap((c) => (c.ok ? (c.req.id === undefined ? [] : [c.req.id]) : [c.id]));
      if (ids.length === 0) return null;
      const errs = ids.map((id) => JSON.stringify(errorResponse(id, RPC_ERRORS.UNAVAILABLE, UNAVAILABLE_MESSAGE)));
      return batch ? `[${errs.join(",")}]` : (errs[0] as string);
    }
    // work budget over the whole batch, before anything runs
    let work = 0;
    const costs = checked.map((c) => (c.ok ? callCost(c.req.method, c.req.params, limits, restricted) : 0));
    for (const c of costs) if (typeof c === "number") work += c;
    if (work > limits.maxWorkUnits) {
      return whole(RPC_ERRORS.LIMIT_EXCEEDED, `request needs ${work} work units, over the limit of ${limits.maxWorkUnits} per HTTP request (docs/node.md §Limits)`, {
        limit: "maxWorkUnits",
        max: limits.maxWorkUnits,
        value: work,
      });
    }
    // estimated answer size, before anything is built (bounds memory, not just the bytes sent)
    if (opts.estimateBytes !== undefined) {
      let est = 0;
      try {
        for (const c of checked) if (c.ok) est += await opts.estimateBytes(c.req.method, restricted ? restrictParams(c.req.method, c.req.params, limits) : c.req.params, limits);
      } catch (e) {
        if (entry.answered) return null; // stopping: the store may be closed, the client has its -32020
        throw e;
      }
      if (entry.answered) return null;
      if (est > limits.maxResponseBytes) {
        const first = checked[0];
        const id = !batch && first !== undefined && first.ok ? first.req.id : undefined;
        if (!batch && id === undefined) return null;
        return JSON.stringify(
          errorResponse(id ?? null, RPC_ERRORS.LIMIT_EXCEEDED, `the answer would be about ${est} bytes, over the ${limits.maxResponseBytes}-byte response limit; ask for fewer blocks per request`, {
            limit: "maxResponseBytes",
            max: limits.maxResponseBytes,
            value: est,
          }),
        );
      }
    }
    entry.batch = batch;
    entry.ids = checked.flatMap((c) => (c.ok ? (c.req.id === undefined ? [] : [c.req.id]) : [c.id]));
    const parts: string[] = [];
    let bytes = 2;
    for (const [i, c] of checked.entries()) {
      if (entry.answered) break; // the server is stopping: already answered UNAVAILABLE
      let resp: JSONRPCResponse | null;
      const cost = costs[i];
      if (!c.ok) resp = errorResponse(c.id, RPC_ERRORS.INVALID_REQUEST, c.message);
      else if (typeof cost === "object") resp = c.req.id === undefined ? null : errorResponse(c.req.id, cost.code, cost.message);
      else resp = await runCall(c.req);
      if (resp === null) continue;
      let s = JSON.stringify(resp);
      let n = Buffer.byteLength(s);
      if (bytes + n + 1 > limits.maxResponseBytes) {
        s = JSON.stringify(
          errorResponse(resp.id, RPC_ERRORS.LIMIT_EXCEEDED, `the answer does not fit in the ${limits.maxResponseBytes}-byte response limit; ask for less per request`, {
            limit: "maxResponseBytes",
            max: limits.maxResponseBytes,
            value: bytes + n,
          }),
        );
        n = Buffer.byteLength(s);
      }
      bytes += n + 1;
      parts.push(s);
    }
    if (parts.length === 0) return null;
    return batch ? `[${parts.join(",")}]` : (parts[0] as string);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    const rpcPath = path === "/" || path === "/rpc";
    // stopping: a JSON-RPC POST is still read so each call gets its -32020 with its id (below)
    if (closing && !(req.method === "POST" && rpcPath)) return refuse(req, res, { status: 503, code: RPC_ERRORS.UNAVAILABLE, message: "the node is stopping" });
    const early = checkRequest(req, guard, { auth: false, json: false });
    if (early !== undefined) return refuse(req, res, early);
    if (req.method === "OPTIONS" && rpcPath) return sendPreflight(req, res, guard);
    if (req.method === "GET" && path === "/health") return send(res, 200, "application/json", '{"ok":true}', corsHeaders(req, guard));
    if (req.method === "GET" && path === "/metrics" && serveMetricsHere) {
      const denied = checkAuth(req, guard);
      if (denied !== undefined) return refuse(req, res, denied);
      return serveMetrics(res, opts.metrics as NodeMetrics);
    }
    if (req.method !== "POST" || !rpcPath) return send(res, 404, "text/plain", "not found\n");
    const denied = checkRequest(req, guard, { auth: true, json: true });
    if (denied !== undefined) return refuse(req, res, denied);
    const socket = req.socket;
    const onConn = perConnection.get(socket) ?? 0;
    if (inFlight.size >= limits.maxConcurrent || onConn >= limits.maxPerConnection) {
      const which = inFlight.size >= limits.maxConcurrent ? `${limits.maxConcurrent} requests in flight` : `${limits.maxPerConnection} requests in flight on this connection`;
      return refuse(req, res, { status: 429, code: RPC_ERRORS.TOO_MANY_REQUESTS, message: `too many requests: ${which}; retry later`, headers: { "retry-after": "1" } });
    }
    const entry: InFlight = { req, res, ids: undefined, batch: false, answered: false };
    inFlight.add(entry);
    perConnection.set(socket, onConn + 1);
    try {
      const body = await readBody(req, limits.maxBodyBytes);
      if (entry.answered) return;
      if (!body.ok && body.reason === "aborted") {
        entry.answered = true;
        res.destroy();
        return;
      }
      if (!body.ok) {
        entry.answered = true;
        return refuse(req, res, { status: 413, code: RPC_ERRORS.REQUEST_TOO_LARGE, message: `request body over ${limits.maxBodyBytes} bytes` });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.body.toString("utf8"));
      } catch {
        entry.answered = true;
        return send(res, 200, "application/json", JSON.stringify(errorResponse(null, RPC_ERRORS.PARSE_ERROR, "parse error")), corsHeaders(req, guard));
      }
      const out = await handleJson(parsed, entry);
      if (entry.answered) return;
      entry.answered = true;
      if (out === null) {
        res.writeHead(204, corsHeaders(req, guard));
        res.end();
        return;
      }
      send(res, 200, "application/json", out, corsHeaders(req, guard));
    } finally {
      inFlight.delete(entry);
      const n = (perConnection.get(socket) ?? 1) - 1;
      if (n <= 0) perConnection.delete(socket);
      else perConnection.set(socket, n);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      opts.log.error({ err: (e as Error).message }, "http handler failed");
      if (!res.headersSent) sendRefusal(res, { status: 500, code: RPC_ERRORS.INTERNAL_ERROR, message: "internal error" });
      else res.destroy();
    });
  };
  const server = createServer(onRequest);
  // `Expect: 100-continue` with a body over the limit: answer 413 before the client sends it
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      res.shouldKeepAlive = false;
      return refuse(req, res, { status: 413, code: RPC_ERRORS.REQUEST_TOO_LARGE, message: `request body over ${limits.maxBodyBytes} bytes` });
    }
    res.writeContinue();
    onRequest(req, res);
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  const addr = await listen(server, opts.port, opts.host);
  guard.port = addr.port;

  /** Answers every request in flight with UNAVAILABLE; resolves once those answers are written. */
  const answerInFlight = async (): Promise<void> => {
    const written: Promise<void>[] = [];
    for (const e of inFlight) {
      if (e.answered || e.res.headersSent) continue;
      e.answered = true;
      written.push(new Promise<void>((resolve) => e.res.once("finish", () => resolve()).once("close", () => resolve())));
      if (e.ids === undefined) {
        sendRefusal(e.res, { status: 503, code: RPC_ERRORS.UNAVAILABLE, message: UNAVAILABLE_MESSAGE });
      } else if (e.ids.length === 0) {
        e.res.writeHead(204);
        e.res.end();
      } else {
        const errs = e.ids.map((id) => JSON.stringify(errorResponse(id, RPC_ERRORS.UNAVAILABLE, UNAVAILABLE_MESSAGE)));
        send(e.res, 200, "application/json", e.batch ? `[${errs.join(",")}]` : (errs[0] as string));
      }
    }
    await Promise.race([Promise.all(written), new Promise((r) => setTimeout(r, 2000).unref())]);
  };

  let closed: Promise<void> | undefined;
  return {
    url: urlOf(addr),
    server,
    close: () => {
      closed ??= (async () => {
        closing = true;
        await answerInFlight();
        // a short grace before closing the sockets: requests already on the wire (accepted
        // connections whose bytes are not parsed yet count as idle, and server.close() would reset
        // them) are read and answered UNAVAILABLE instead, so no client is left guessing
        const graceEnd = Date.now() + STOP_GRACE_MS;
        while (inFlight.size > 0 && Date.now() < graceEnd) await new Promise((r) => setTimeout(r, 10));
        if (inFlight.size === 0) await new Promise((r) => setTimeout(r, Math.min(50, Math.max(0, graceEnd - Date.now()))));
        await answerInFlight();
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}

/** Guard settings of a separate metrics listener (same token and Host/Origin rules as the RPC). */
export interface MetricsGuard {
  token: string | undefined;
  allowOrigins?: readonly string[];
  allowHosts?: readonly string[];
}

/**
 * A separate listener that only serves `GET /metrics`, behind the same Host/Origin checks and
 * token as the RPC listener.
 * @throws RpcSecurityError when `guard.token` is undefined on a non-loopback `host`
 */
export async function startMetricsServer(host: string, port: number, metrics: NodeMetrics, g: MetricsGuard = { token: undefined }): Promise<HttpServerHandle> {
  assertAuthPolicy({ what: "node metrics listener", host, authEnabled: g.token !== undefined });
  const guard: GuardOptions = { bindHost: host, port: 0, token: g.token, allowOrigins: g.allowOrigins ?? [], allowHosts: g.allowHosts ?? [], realm: "baios-node" };
  const server = createServer((req, res) => {
    const denied = checkRequest(req, guard, { auth: true, json: false });
    if (denied !== undefined) sendRefusal(res, denied);
    else if (req.method === "GET" && (req.url ?? "").split("?")[0] === "/metrics") void serveMetrics(res, metrics);
    else send(res, 404, "text/plain", "not found\n");
  });
  const addr = await listen(server, port, host);
  guard.port = addr.port;
  return {
    url: urlOf(addr),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
