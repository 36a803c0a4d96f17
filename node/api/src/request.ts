/**
 * Structural check of one JSON-RPC 2.0 request object (JSON-RPC 2.0 §4), shared by the node's and
 * the wallet's RPC servers: run on every request (and every batch element) before any method.
 * @module
 */

/** A JSON-RPC id (JSON-RPC 2.0 §4: string, number or null). */
export type JsonRpcId = string | number | null;

/** A structurally valid request (JSON-RPC 2.0 §4); `id` undefined = notification. */
export interface ValidRequest {
  jsonrpc: "2.0";
  method: string;
  params?: unknown;
  id?: JsonRpcId;
}

const isId = (v: unknown): v is JsonRpcId => v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

/** Checks one request object; on failure returns the id to answer with (the request's if well-formed, else null). */
export function validateRequest(v: unknown): { ok: true; req: ValidRequest } | { ok: false; id: JsonRpcId; message: string } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, id: null, message: "invalid request: expected a JSON-RPC request object" };
  const o = v as Record<string, unknown>;
  const id: JsonRpcId = "id" in o && isId(o["id"]) ? o["id"] : null;
  if ("id" in o && !isId(o["id"])) return { ok: false, id: null, message: "invalid request: id must be a string, a number or null" };
  if (o["jsonrpc"] !== "2.0") return { ok: false, id, message: 'invalid request: jsonrpc must be "2.0"' };
  if (typeof o["method"] !== "string") return { ok: false, id, message: "invalid request: method must be a string" };
  const params = o["params"];
  if (params !== undefined && (typeof params !== "object" || params === null)) return { ok: false, id, message: "invalid request: params must be an object or an array" };
  const req: ValidRequest = { jsonrpc: "2.0", method: o["method"] };
  if (params !== undefined) req.params = params;
  if ("id" in o) req.id = id;
  return { ok: true, req };
}
