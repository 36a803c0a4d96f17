/**
 * The server side of the light-client web page (`baios light`, docs/light-client.md §7.1): serves
 * the built page (wallet/light/page, Vite) on loopback, its root of trust `trust.json`, and a
 * same-origin JSON-RPC forwarder `POST /rpc` that passes **only the light client's read-only
 * methods** ({@link LIGHT_PAGE_METHODS}) to the node with the node's credentials, so the page
 * needs no token and the node's RPC stays closed to browsers (no `--rpc-allow-origin`).
 *
 * Every request passes the `Host` check of `@baios/api/server` (DNS rebinding: only the listen
 * address, `localhost`, `127.0.0.1`, `[::1]` at the bound port); `POST /rpc` also the `Origin`
 * check (only this server's own origins) and `Content-Type: application/json`, with a 64 KiB body
 * limit and single requests only (no batches). Node only.
 * @module
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, relative, resolve, sep } from "node:path";
import { CASCADE_LEVELS, CASCADE_PER_LEVEL, cascadeDepthFor, encodeHeader, toHex, validatorSetBytes, type BlockHeader, type ChainParams, type Validator } from "@baios/consensus";
import { RPC_ERRORS, RpcError } from "@baios/api";
import { checkRequest, readBody, sendRefusal, validateRequest, type GuardOptions } from "@baios/api/server";

/** The node methods the page may call through the forwarder: all read-only, none reveals a wallet. */
export const LIGHT_PAGE_METHODS = ["status", "get_light_update", "get_header", "get_header_proof", "get_mmr_proof", "get_outputs", "get_key_image_proof", "get_cascade", "get_staking"] as const;

/** Largest request body the forwarder reads, bytes. */
export const LIGHT_PAGE_MAX_BODY = 64 * 1024;

/**
 * The page's root of trust, served as `trust.json` (docs/light-client.md §7.1): what the page
 * verifies every header against. It comes from the same server as the page's code, so it is
 * trusted exactly as much as the page itself; the node is not trusted for any of it.
 */
export interface LightTrustJson {
  /** `"baios-light-trust/1"`. */
  format: "baios-light-trust/1";
  /** `encodeHeader` of the genesis header (488 bytes, lowercase hex). */
  genesisHeader: string;
  /** `validatorSetBytes` of the genesis validator set (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`, hex). */
  genesisValidators: string;
  /** The node's cascade parameters (docs/cascade.md §2): levels, K and D (blocks, decimal string). */
  cascade: { levels: number; perLevel: number; depth: string };
  /**
   * The chain parameters the page's trusting period is derived from (docs/light-client.md §2.3):
   * `unbondingDelay` (blocks, decimal string) and `blockTimeMs` (ms).
   */
  chain: { unbondingDelay: string; blockTimeMs: number };
  /**
   * Trusting period override: ms, or `"off"` (unsafe: only for a devnet whose genesis time is
   * fabricated and old). Absent: `floor(2/3 × unbondingDelay × blockTimeMs)`.
   */
  trustingPeriodMs?: number | "off";
}

/**
 * The trust root of a genesis: its header and validator set, the cascade parameters a node of
 * that chain builds with (32 levels, K = `perLevel`, default 64; D = unbondingDelay + epochLength),
 * and the parameters of the trusting period (with `trustingPeriodMs`, an override or `"off"`).
 */
export function lightTrustJson(
  genesis: { header: BlockHeader; validators: readonly Validator[]; params: Pick<ChainParams, "unbondingDelay" | "epochLength" | "blockTimeMs"> },
  perLevel: number = CASCADE_PER_LEVEL,
  trustingPeriodMs?: number | "off",
): LightTrustJson {
  return {
    format: "baios-light-trust/1",
    genesisHeader: toHex(encodeHeader(genesis.header)),
    genesisValidators: toHex(validatorSetBytes(genesis.validators)),
    cascade: { levels: CASCADE_LEVELS, perLevel, depth: cascadeDepthFor(genesis.params).toString() },
    chain: { unbondingDelay: genesis.params.unbondingDelay.toString(), blockTimeMs: genesis.params.blockTimeMs },
    ...(trustingPeriodMs === undefined ? {} : { trustingPeriodMs }),
  };
}

/** Where the forwarder sends calls: a node client (`NodeRpcClient` of `@baios/api`, with the node's token). */
export interface LightUpstream {
  call<T>(method: string, params?: Record<string, unknown>): Promise<T>;
}

type JsonRpcResponse = { jsonrpc: "2.0"; id: string | number | null; result: unknown } | { jsonrpc: "2.0"; id: string | number | null; error: { code: number; message: string; data?: unknown } };

/**
 * Answers one JSON-RPC request (already parsed JSON) by calling `upstream`: a method outside
 * {@link LIGHT_PAGE_METHODS} gets METHOD_NOT_FOUND (-32601) without reaching the node; params
 * must be an object (by name); the node's errors pass through with their code, message and data;
 * a node that cannot be reached is INTERNAL_ERROR (-32603) naming the cause.
 */
export async function forwardLightRpc(parsed: unknown, upstream: LightUpstream): Promise<JsonRpcResponse> {
  const v = validateRequest(parsed);
  if (!v.ok) return { jsonrpc: "2.0", id: v.id, error: { code: RPC_ERRORS.INVALID_REQUEST, message: v.message } };
  const { method, params } = v.req;
  const id = v.req.id ?? null;
  if (!(LIGHT_PAGE_METHODS as readonly string[]).includes(method)) return { jsonrpc: "2.0", id, error: { code: RPC_ERRORS.METHOD_NOT_FOUND, message: `method ${JSON.stringify(method)} is not forwarded to the node (the light page may call: ${LIGHT_PAGE_METHODS.join(", ")})` } };
  if (params !== undefined && Array.isArray(params)) return { jsonrpc: "2.0", id, error: { code: RPC_ERRORS.INVALID_PARAMS, message: "params must be an object (by name)" } };
  try {
    return { jsonrpc: "2.0", id, result: await upstream.call(method, params as Record<string, unknown> | undefined) };
  } catch (e) {
    if (e instanceof RpcError && e.code !== 0) return { jsonrpc: "2.0", id, error: { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) } };
    return { jsonrpc: "2.0", id, error: { code: RPC_ERRORS.INTERNAL_ERROR, message: `the node did not answer: ${(e as Error).message}` } };
  }
}

/** A request handler that answered (true) or left the request to the next handler (false). */
export type LightRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The guard for a request that arrived on this server's socket (its own port and origins). */
function guardFor(req: IncomingMessage, bindHost: string, allowHosts: readonly string[]): GuardOptions {
  const port = req.socket.localPort ?? 0;
  const origins = ["127.0.0.1", "localhost", "[::1]", bindHost, ...allowHosts].map((h) => `http://${h}:${port}`);
  return { bindHost, port, token: undefined, allowOrigins: origins, allowHosts, realm: "baios-light" };
}

/**
 * The page's dynamic routes: `GET /trust.json` and `POST /rpc` (module doc). Other requests are
 * left to the caller (false), after the `Host` check.
 * @param o.upstream the node (with its token); o.trust the root of trust; o.bindHost the listen address (default 127.0.0.1)
 */
export function lightPageRoutes(o: { upstream: LightUpstream; trust: LightTrustJson; bindHost?: string; allowHosts?: readonly string[] }): LightRoute {
  const bindHost = o.bindHost ?? "127.0.0.1";
  const allowHosts = o.allowHosts ?? [];
  const trust = JSON.stringify(o.trust);
  return async (req, res) => {
    const g = guardFor(req, bindHost, allowHosts);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const refused = checkRequest(req, g, { auth: false, json: path === "/rpc" && req.method === "POST" });
    if (refused !== undefined) {
      sendRefusal(res, refused);
      return true;
    }
    if (path === "/trust.json" && (req.method === "GET" || req.method === "HEAD")) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(trust) });
      res.end(req.method === "HEAD" ? undefined : trust);
      return true;
    }
    if (path !== "/rpc") return false;
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return true;
    }
    const body = await readBody(req, LIGHT_PAGE_MAX_BODY);
    if (!body.ok) {
      if (body.reason === "too-large") sendRefusal(res, { status: 413, code: RPC_ERRORS.REQUEST_TOO_LARGE, message: `request body over ${LIGHT_PAGE_MAX_BODY} bytes` });
      return true;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.body.toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const answer = parsed === undefined ? { jsonrpc: "2.0", id: null, error: { code: RPC_ERRORS.PARSE_ERROR, message: "parse error" } } : await forwardLightRpc(parsed, o.upstream);
    const text = JSON.stringify(answer);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
    res.end(text);
    return true;
  };
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** A running page server. */
export interface LightPageServer {
  /** `http://<host>:<port>/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built page in `dir` (GET/HEAD; `.wasm` as `application/wasm`, for
 * `instantiateStreaming`) behind {@link lightPageRoutes}, on `host` (default 127.0.0.1) and
 * `port` (default 0: any free port).
 * @throws Error when the address cannot be bound
 */
export async function startLightPageServer(o: { dir: string; upstream: LightUpstream; trust: LightTrustJson; host?: string; port?: number }): Promise<LightPageServer> {
  const host = o.host ?? "127.0.0.1";
  const routes = lightPageRoutes({ upstream: o.upstream, trust: o.trust, bindHost: host });
  const base = resolve(o.dir);
  const server = createServer((req, res) => {
    void (async () => {
      if (await routes(req, res)) return;
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = resolve(base, "." + (path.endsWith("/") ? path + "index.html" : path));
      const inside = relative(base, file);
      const info = inside.startsWith("..") || inside.split(sep).includes("..") ? undefined : await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile()) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": info.size, "cache-control": "no-store" });
      if (req.method === "HEAD") return void res.end();
      createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(o.port ?? 0, host, ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
