/**
 * HTTP side of the JSON-RPC fuzz targets (docs/fuzzing.md): raw requests over real sockets on
 * 127.0.0.1 (`node:http`, so every header, method, path and byte of the body is ours), request
 * generators, and the oracle for an answer. Shared by node/fuzz and wallet/fuzz.
 * @module
 */
import { Agent, request } from "node:http";
import fc from "fast-check";
import { applyJsonEdits, jsonEditsArb, jsonValueArb } from "../../consensus/fuzz/json-mutate.ts";

/** One HTTP request of a fuzz case. */
export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
  /** What the case is (for failure reports and counters). */
  label: string;
}

/** An answer as received. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The server's address and credentials. */
export interface Target {
  host: string;
  port: number;
  /** Bearer token, when the server has authentication on. */
  token: string | undefined;
}

// A fresh connection per request: a keep-alive client races the server's idle close (a request
// sent on a socket the server is closing gets "socket hang up"), which is no server bug.
const agent = new Agent({ keepAlive: false });
const clientSockets = new WeakSet<object>();
/** Errors of our own client sockets (e.g. a write after the server answered and closed): counted, not server crashes. */
export const socketErrors: string[] = [];

/** Thrown for a request Node's client refuses to send (invalid header characters): not a server finding. */
export class ClientRefused extends Error {}

/**
 * Sends `c` and resolves with the full answer. Rejects when no complete HTTP answer arrives
 * (connection reset, socket hang up, parse error), or with {@link ClientRefused} when the client
 * cannot even send it.
 */
export function send(t: Target, c: HttpCase, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let req;
    try {
      req = request({ host: t.host, port: t.port, method: c.method, path: c.path, headers: c.headers, agent, setHost: !Object.keys(c.headers).some((h) => h.toLowerCase() === "host") });
    } catch (e) {
      reject(new ClientRefused(String(e)));
      return;
    }
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.on("socket", (s) => {
      if (s.listenerCount("error") === 0 || !clientSockets.has(s)) {
        clientSockets.add(s);
        s.on("error", (e) => socketErrors.push(e.message));
      }
    });
    req.end(c.body);
  });
}

/** Closes the keep-alive sockets (end of a run). */
export function closeAgent(): void {
  agent.destroy();
}

function isRpcObject(o: unknown): string | undefined {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return "a response that is not an object";
  const r = o as Record<string, unknown>;
  if (r["jsonrpc"] !== "2.0") return 'a response without jsonrpc "2.0"';
  if (!("id" in r)) return "a response without id";
  const hasResult = "result" in r;
  const hasError = "error" in r;
  if (hasResult === hasError) return "a response with both or neither of result and error";
  if (hasError) {
    const e = r["error"] as Record<string, unknown> | null;
    if (typeof e !== "object" || e === null || !Number.isInteger(e["code"]) || typeof e["message"] !== "string") return "an error without an integer code and a message";
  }
  return undefined;
}

/** JSON-RPC error codes found in a parsed answer body. */
export function errorCodes(body: unknown): number[] {
  const list = Array.isArray(body) ? body : [body];
  return list.flatMap((r) => {
    const e = (r as { error?: { code?: unknown } } | null)?.error;
    return typeof e?.code === "number" ? [e.code] : [];
  });
}

/**
 * The oracle for one answer: a status the server means (no 5xx but 503), a JSON body that parses
 * when it says it is JSON, and on 200 a JSON-RPC 2.0 response or a non-empty array of them.
 * (JSON-RPC shape checked for `POST` to `rpcPaths` only). Returns the parsed body (or undefined).
 * @throws Error describing what is wrong
 */
export function checkAnswer(a: HttpAnswer, c: HttpCase, rpcPaths: readonly string[] = ["/", "/rpc"]): unknown {
  if (a.status < 100 || a.status > 599) throw new Error(`HTTP status ${a.status}`);
  if (a.status >= 500 && a.status !== 503) throw new Error(`HTTP ${a.status}: ${a.body.toString("utf8").slice(0, 300)}`);
  const type = String(a.headers["content-type"] ?? "");
  let parsed: unknown;
  if (type.includes("json") && a.body.length > 0) {
    try {
      parsed = JSON.parse(a.body.toString("utf8"));
    } catch {
      throw new Error(`HTTP ${a.status} says JSON but the body does not parse: ${a.body.toString("utf8").slice(0, 200)}`);
    }
  }
  if (c.method === "HEAD") return parsed;
  if (a.status === 200 && type.includes("json") && c.method === "POST" && rpcPaths.includes(c.path.split("?")[0] ?? "")) {
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (Array.isArray(parsed) && parsed.length === 0) throw new Error("HTTP 200 with an empty batch answer");
    for (const r of list) {
      const why = isRpcObject(r);
      if (why !== undefined) throw new Error(`HTTP 200 with ${why}: ${a.body.toString("utf8").slice(0, 300)}`);
    }
  }
  return parsed;
}

/** Inputs for one JSON-RPC call: the server's method names and parameter values worth trying. */
export interface RpcVocabulary {
  methods: readonly string[];
  paramKeys: readonly string[];
  /** Valid or nearly valid values (real hashes, heights, tx hex, addresses…). */
  goodValues: readonly unknown[];
  /** Whole valid requests (a real transfer, a real block query…), sent as they are or edited. */
  validRequests?: readonly unknown[];
}

const idArb: fc.Arbitrary<unknown> = fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null), jsonValueArb);

/** A request object: mostly well-formed with a known method and plausible params. */
export function requestArb(v: RpcVocabulary): fc.Arbitrary<unknown> {
  const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...v.goodValues) }, { weight: 2, arbitrary: jsonValueArb }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...v.goodValues), { maxLength: 5 }) });
  const params = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...v.paramKeys), value, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.array(value, { maxLength: 4 }) },
    { weight: 1, arbitrary: jsonValueArb },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const method = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...v.methods) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "hasOwnProperty", "rpc.discover") });
  const random = fc.record({ jsonrpc: fc.constant("2.0"), method, params, id: idArb }, { requiredKeys: ["jsonrpc", "method"] });
  const valid = v.validRequests ?? [];
  const base = valid.length === 0 ? random : fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...valid) });
  return fc.oneof(
    { weight: 6, arbitrary: base },
    { weight: 2, arbitrary: fc.tuple(base, jsonEditsArb(["jsonrpc", "method", "params", "id", ...v.paramKeys], 3)).map(([r, e]) => applyJsonEdits(JSON.parse(JSON.stringify(r)) as unknown, e)) },
    { weight: 1, arbitrary: jsonValueArb },
  );
}

const deep = (depth: number, open: string, close: string, inner = ""): string => open.repeat(depth) + inner + close.repeat(depth);

/** A request body: one request, a batch (with nulls and junk), deep nesting, not JSON, or huge. */
export function bodyArb(v: RpcVocabulary): fc.Arbitrary<{ body: string | Buffer; label: string }> {
  const one = requestArb(v);
  return fc.oneof(
    { weight: 50, arbitrary: one.map((r) => ({ body: JSON.stringify(r) ?? "null", label: "request" })) },
    { weight: 20, arbitrary: fc.array(fc.oneof({ weight: 25, arbitrary: one }, { weight: 5, arbitrary: fc.constant(null) }), { maxLength: 12 }).map((b) => ({ body: JSON.stringify(b), label: "batch" })) },
    { weight: 5, arbitrary: fc.integer({ min: 100, max: 150 }).chain((n) => fc.constant({ body: JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: v.methods[i % v.methods.length] }))), label: "long-batch" })) },
    { weight: 5, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((d) => ({ body: `{"jsonrpc":"2.0","method":"status","id":${deep(d, "[", "]")}}`, label: "deep-id" })) },
    { weight: 5, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((d) => ({ body: deep(d, '{"a":', "}", "1"), label: "deep-object" })) },
    { weight: 5, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((d) => ({ body: `{"jsonrpc":"2.0","method":"get_header","id":1,"params":${deep(d, "[", "]")}}`, label: "deep-params" })) },
    { weight: 10, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((s) => ({ body: s, label: "text" })) },
    { weight: 5, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: Buffer.from(b), label: "bytes" })) },
    { weight: 5, arbitrary: fc.constantFrom("null", "[null]", "[]", "{}", "[[]]", "1", '"x"', "true", "[1,2]", "") .map((s) => ({ body: s, label: "tiny" })) },
    // rare: larger than any body limit (the answer must still arrive, not a reset)
    { weight: 1, arbitrary: fc.integer({ min: 9, max: 12 }).map((mb) => ({ body: Buffer.alloc(mb * 1024 * 1024, 0x20), label: "huge" })) },
  );
}

/** Headers: valid (auth, Host, Content-Type) in most cases, one thing wrong or odd in the rest. */
export function headersArb(t: Target): fc.Arbitrary<{ headers: Record<string, string>; label: string; valid: boolean }> {
  const good = (): Record<string, string> => ({ host: `127.0.0.1:${t.port}`, "content-type": "application/json", ...(t.token === undefined ? {} : { authorization: `Bearer ${t.token}` }) });
  const tweak = (label: string, f: (h: Record<string, string>) => void) => fc.constant(null).map(() => {
    const h = good();
    f(h);
    return { headers: h, label, valid: false };
  });
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(null).map(() => ({ headers: good(), label: "valid", valid: true })) },
    { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "Application/JSON").map((ct) => ({ headers: { ...good(), "content-type": ct }, label: "valid-ct", valid: true })) },
    { weight: 1, arbitrary: tweak("no-auth", (h) => delete h["authorization"]) },
    { weight: 1, arbitrary: fc.string({ maxLength: 70 }).map((s) => ({ headers: { ...good(), authorization: `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}` }, label: "bad-token", valid: false })) },
    { weight: 1, arbitrary: fc.constantFrom("Basic " + Buffer.from(`x:${t.token ?? ""}`).toString("base64"), "Basic", "Basic !!!", "Bearer", "Digest x").map((a) => ({ headers: { ...good(), authorization: a }, label: "auth-variant", valid: false })) },
    { weight: 1, arbitrary: fc.constantFrom("evil.example", `evil.example:${t.port}`, "localhost", `localhost:${t.port}`, "[::1]", "127.0.0.1:1", "", "a".repeat(300)).map((host) => ({ headers: { ...good(), host }, label: "host", valid: false })) },
    { weight: 1, arbitrary: fc.constantFrom("http://evil.example", "null", `http://127.0.0.1:${t.port}`, "file://", "x").map((origin) => ({ headers: { ...good(), origin }, label: "origin", valid: false })) },
    { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", ";;;", "").map((ct) => ({ headers: { ...good(), "content-type": ct }, label: "content-type", valid: false })) },
    { weight: 1, arbitrary: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.stringMatching(/^[\x20-\x7e]{0,40}$/), { maxKeys: 4 }).map((extra) => ({ headers: { ...extra, ...good() }, label: "extra-headers", valid: true })) },
  );
}

/** A whole HTTP case: mostly `POST /` with a JSON body; sometimes another method or path. */
export function httpCaseArb(t: Target, v: RpcVocabulary): fc.Arbitrary<HttpCase> {
  const method = fc.oneof({ weight: 20, arbitrary: fc.constant("POST") }, { weight: 1, arbitrary: fc.constantFrom("GET", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD") });
  const path = fc.oneof({ weight: 20, arbitrary: fc.constant("/") }, { weight: 1, arbitrary: fc.constantFrom("/rpc", "/metrics", "/health", "/json_rpc", "/../", "/%00", "/?a=b", "//") });
  return fc.record({ method, path, h: headersArb(t), b: bodyArb(v) }).map(({ method: m, path: p, h, b }) => ({
    method: m,
    path: p,
    headers: h.headers,
    body: m === "GET" || m === "HEAD" ? "" : b.body,
    label: `${m} ${p} ${h.label} ${b.label}`,
  }));
}

/** Methods that answered with a `result` (single requests only; to show the handlers are reached). */
export function okMethods(c: HttpCase, parsed: unknown): string[] {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("result" in parsed)) return [];
  try {
    const req = JSON.parse(c.body.toString()) as { method?: unknown };
    return typeof req.method === "string" ? [req.method] : [];
  } catch {
    return [];
  }
}
