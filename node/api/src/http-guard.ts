/**
 * The HTTP guard shared by the node's and the wallet's JSON-RPC servers (docs/node.md
 * §Authentication, docs/wallet.md §8): `Host` and `Origin` checks against DNS rebinding and
 * cross-origin pages, bearer-token authentication (HTTP Basic with the token as password accepted
 * too), the `Content-Type: application/json` requirement, a body reader that still delivers its
 * 413 answer when the body is too large, and the token file (32 random bytes as 64 lowercase hex
 * characters in a 0600 file).
 *
 * Every refusal is a {@link Refusal}: an HTTP status plus a JSON-RPC-style error body
 * `{"jsonrpc":"2.0","id":null,"error":{"code","message"}}` with a code of {@link RPC_ERRORS}.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { parse as parseBasicAuth } from "basic-auth";
import { parse as parseContentType } from "content-type";
import { RPC_ERRORS } from "./errors.ts";
import { readRpcCookie } from "./node.ts";

/** Bytes of randomness in a token (hex-encoded: 64 characters). */
export const TOKEN_BYTES = 32;

/** A refused request: HTTP status, JSON-RPC-style error code and a reason for the client. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
  headers?: Record<string, string>;
}

/** A listener configuration that must not run (auth off on a public address, bad token file…). */
export class RpcSecurityError extends Error {
  override name = "RpcSecurityError";
}

// ---------------------------------------------------------------- tokens and token files

/** A fresh token: {@link TOKEN_BYTES} bytes from the OS CSPRNG as 64 lowercase hex characters. */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString("hex");
}

/**
 * Writes `token` to `path` with mode 0600 (owner read/write only), atomically (temp file + rename),
 * followed by a newline.
 * @throws Error from node:fs when the directory is not writable
 */
export function writeTokenFile(path: string, token: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${token}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * Reads a token file (a node cookie `<dataDir>/rpc.cookie` or a wallet `<wallet>.rpc-token`): 64
 * lowercase hex characters, surrounding whitespace ignored.
 * @throws RpcSecurityError when the file cannot be read or does not hold a token
 */
export function readTokenFile(path: string): string {
  try {
    return readRpcCookie(path);
  } catch (e) {
    throw new RpcSecurityError((e as Error).message);
  }
}

/**
 * The token kept in `path`: read when the file exists (it must be 0600 or stricter: a token others
 * can read is refused), else a new token written there with mode 0600.
 * @throws RpcSecurityError when the file is readable by group/others or holds no valid token
 */
export function loadOrCreateTokenFile(path: string): string {
  if (!existsSync(path)) {
    const token = generateToken();
    writeTokenFile(path, token);
    return token;
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new RpcSecurityError(`RPC token file ${path} has mode ${mode.toString(8).padStart(4, "0")}: run chmod 600 on it (it must not be readable by others)`);
  }
  return readTokenFile(path);
}

// ---------------------------------------------------------------- addresses

/** Strips `[` `]` from an IPv6 literal and lowercases. */
const bare = (host: string): string => host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");

/** True for `localhost`, any 127.0.0.0/8 address and `::1` (brackets allowed). */
export function isLoopbackAddress(host: string): boolean {
  const h = bare(host);
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return isLoopbackAddress(h.slice(7));
  return false;
}

/** True for the wildcard addresses `0.0.0.0` and `::` (listen on every interface). */
export function isWildcardAddress(host: string): boolean {
  const h = bare(host);
  return h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/**
 * Refuses a listener configuration that would expose an unauthenticated RPC: with auth off the
 * listen address must be loopback, unless `publicWithoutAuth` (the node's `--restricted-rpc`).
 * @throws RpcSecurityError naming the flag that allows it
 */
export function assertAuthPolicy(opts: { what: string; host: string; authEnabled: boolean; publicWithoutAuth?: boolean }): void {
  if (opts.authEnabled || isLoopbackAddress(opts.host) || opts.publicWithoutAuth === true) return;
  throw new RpcSecurityError(
    `${opts.what}: refusing to listen on ${opts.host} without authentication; authentication may only be turned off on a loopback address (127.0.0.1, ::1, localhost)` +
      (opts.what.startsWith("node") ? " or together with --restricted-rpc" : ""),
  );
}

// ---------------------------------------------------------------- request checks

/** What {@link checkRequest} needs to know about the listener. */
export interface GuardOptions {
  /** The listen address as configured (e.g. `127.0.0.1`, `::1`, `0.0.0.0`). */
  bindHost: string;
  /** The bound port (the real one when 0 was asked). */
  port: number;
  /** The bearer token; `undefined` = authentication off. */
  token: string | undefined;
  /** Origins (`scheme://host[:port]`) whose browser pages may call; empty = none. */
  allowOrigins: readonly string[];
  /** Extra `Host` names served (e.g. a reverse proxy's name); `*` = any (turns the rebinding check off). */
  allowHosts: readonly string[];
  /** Realm in `WWW-Authenticate`. */
  realm: string;
}

/** Splits a `Host` header into lowercase hostname (IPv6 in brackets) and port (80 when absent). */
export function parseHostHeader(value: string): { hostname: string; port: number } | undefined {
  const v = value.trim().toLowerCase();
  let hostname: string;
  let rest: string;
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end < 0) return undefined;
    hostname = v.slice(0, end + 1);
    rest = v.slice(end + 1);
  } else {
    const colon = v.indexOf(":");
    hostname = colon < 0 ? v : v.slice(0, colon);
    rest = colon < 0 ? "" : v.slice(colon);
  }
  if (hostname === "" || hostname === "[]") return undefined;
  if (rest === "") return { hostname, port: 80 };
  if (!/^:\d{1,5}$/.test(rest)) return undefined;
  const port = Number(rest.slice(1));
  return port <= 65535 ? { hostname, port } : undefined;
}

const bracket = (h: string): string => (isIP(bare(h)) === 6 ? `[${bare(h)}]` : bare(h));

/**
 * The `Host` check: the name must be the bound address, `localhost`, `127.0.0.1` or `[::1]` (any
 * IP literal when bound to a wildcard address, since a rebinding page always uses a DNS name), or a
 * configured name, and the port the bound one.
 */
export function checkHost(req: IncomingMessage, g: GuardOptions): Refusal | undefined {
  const raw = req.headers.host;
  const forbidden = (why: string): Refusal => ({ status: 403, code: RPC_ERRORS.FORBIDDEN, message: why });
  if (raw === undefined || raw === "") return forbidden("missing Host header");
  const h = parseHostHeader(raw);
  if (h === undefined) return forbidden("malformed Host header");
  if (g.allowHosts.includes("*")) return undefined;
  const names = new Set(["localhost", "127.0.0.1", "[::1]", bracket(g.bindHost), ...g.allowHosts.map(bracket)]);
  const ipLiteral = isIP(bare(h.hostname)) !== 0;
  const nameOk = names.has(h.hostname) || (ipLiteral && isWildcardAddress(g.bindHost));
  if (!nameOk || h.port !== g.port) return forbidden(`Host ${JSON.stringify(raw)} is not served here (allowed: the listen address, localhost, 127.0.0.1, [::1] with port ${g.port}, or a configured --rpc-allow-host)`);
  return undefined;
}

const normOrigin = (o: string): string => o.trim().toLowerCase().replace(/\/+$/, "");

/** The `Origin` check: a request carrying an `Origin` header not in `allowOrigins` is refused (403). */
export function checkOrigin(req: IncomingMessage, g: GuardOptions): Refusal | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (g.allowOrigins.map(normOrigin).includes(normOrigin(origin))) return undefined;
  return { status: 403, code: RPC_ERRORS.FORBIDDEN, message: `Origin ${JSON.stringify(origin)} is not allowed (configure it with --rpc-allow-origin)` };
}

const sha256 = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison of two strings (SHA-256 of each, then `crypto.timingSafeEqual`). */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * The credentials check: `Authorization: Bearer <token>`, or HTTP Basic (RFC 7617, parsed by the
 * `basic-auth` package) with any user name and the token as password.
 */
export function checkAuth(req: IncomingMessage, g: GuardOptions): Refusal | undefined {
  if (g.token === undefined) return undefined;
  const header = req.headers.authorization ?? "";
  let presented: string | undefined;
  const bearer = /^bearer +(\S+) *$/i.exec(header);
  if (bearer !== null) presented = bearer[1];
  else presented = parseBasicAuth(header)?.pass;
  if (presented !== undefined && tokensEqual(presented, g.token)) return undefined;
  return {
    status: 401,
    code: RPC_ERRORS.UNAUTHORIZED,
    message: header === "" ? "authentication required: send Authorization: Bearer <token from the RPC token file>" : "wrong credentials",
    headers: { "www-authenticate": `Bearer realm="${g.realm}", Basic realm="${g.realm}", charset="UTF-8"` },
  };
}

/** The media-type check: only `application/json` (a `charset` parameter must be utf-8) is accepted (415 otherwise). */
export function checkContentType(req: IncomingMessage): Refusal | undefined {
  const refuse: Refusal = { status: 415, code: RPC_ERRORS.UNSUPPORTED_MEDIA_TYPE, message: "Content-Type must be application/json" };
  const header = req.headers["content-type"];
  if (header === undefined) return refuse;
  try {
    const ct = parseContentType(header);
    const charset = ct.parameters["charset"];
    if (ct.type !== "application/json") return refuse;
    if (charset !== undefined && charset.toLowerCase() !== "utf-8") return { ...refuse, message: "Content-Type charset must be utf-8" };
    return undefined;
  } catch {
    return refuse;
  }
}

/** Host, then Origin, then (when `auth`) credentials, then (when `json`) Content-Type: the first refusal, or undefined. */
export function checkRequest(req: IncomingMessage, g: GuardOptions, what: { auth: boolean; json: boolean }): Refusal | undefined {
  return checkHost(req, g) ?? checkOrigin(req, g) ?? (what.auth ? checkAuth(req, g) : undefined) ?? (what.json ? checkContentType(req) : undefined);
}

/** CORS headers for a request from an allowed `Origin` (none otherwise). */
export function corsHeaders(req: IncomingMessage, g: GuardOptions): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || checkOrigin(req, g) !== undefined) return {};
  return { "access-control-allow-origin": origin, vary: "Origin" };
}

/** Answers a CORS preflight (`OPTIONS`) from an allowed origin with 204 and the allowed method and headers. */
export function sendPreflight(req: IncomingMessage, res: ServerResponse, g: GuardOptions): void {
  res.writeHead(204, {
    ...corsHeaders(req, g),
    "access-control-allow-methods": "POST",
    "access-control-allow-headers": "authorization, content-type",
    "access-control-max-age": "600",
  });
  res.end();
}

/** The JSON-RPC-style error body of a refusal: `{"jsonrpc":"2.0","id":null,"error":{code,message}}`. */
export function refusalBody(r: Refusal): string {
  return JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: r.code, message: r.message } });
}

/** Sends a refusal (status, its headers, the JSON-RPC-style body). */
export function sendRefusal(res: ServerResponse, r: Refusal, extra: Record<string, string> = {}): void {
  const body = refusalBody(r);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(r.status, { ...extra, ...(r.headers ?? {}), "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

// ---------------------------------------------------------------- body

/** Result of {@link readBody}: the bytes, `too-large` (the rest of the body is being discarded) or `aborted` (the client went away or timed out: nothing to answer). */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body of at most `maxBytes`. Over the limit (by `Content-Length` or while
 * streaming) it resolves `too-large` at once and keeps reading and discarding the rest, so that a
 * 413 answer sent now is delivered instead of being lost to a TCP reset (a socket closed with
 * unread data resets the connection). Past `discardBytes` more, the socket is destroyed. A
 * connection closed before the body ended resolves `aborted` (never a pending promise that would
 * hold a request slot forever).
 */
export function readBody(req: IncomingMessage, maxBytes: number, discardBytes = 64 * 1024 * 1024): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const tooLarge = (): void => {
      over = true;
      chunks.length = 0;
      resolve({ ok: false, reason: "too-large" });
    };
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) tooLarge();
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > maxBytes + discardBytes) req.socket.destroy();
        return;
      }
      if (size > maxBytes) return tooLarge();
      chunks.push(c);
    });
    let ended = false;
    req.on("end", () => {
      ended = true;
      if (!over) resolve({ ok: true, body: Buffer.concat(chunks) });
    });
    const aborted = (): void => {
      if (!ended && !over) resolve({ ok: false, reason: "aborted" });
    };
    req.on("error", aborted);
    req.on("close", aborted);
  });
}

/**
 * True when `value` nests arrays/objects deeper than `maxDepth` (iterative: no recursion, so a
 * 10 000-level document cannot overflow the stack).
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    if (d > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, d + 1]);
  }
  return false;
}
