/**
 * `@baios/api/node`: the Node-only additions to `@baios/api` — reading the node's RPC cookie
 * (`<dataDir>/rpc.cookie`, docs/node.md §Authentication) and a {@link NodeRpcClient} that takes a
 * `tokenFile`. Re-exports everything of `@baios/api`, so Node programs import from here alone.
 * @module
 */
import { readFileSync } from "node:fs";
import { NodeRpcClient as BaseRpcClient, RpcError, type RpcClientOptions } from "./client.ts";

export * from "./index.ts";

const TOKEN_RE = /^[0-9a-f]{64}$/;

/**
 * Reads the node's RPC cookie (or any RPC token file, e.g. a wallet's `<wallet>.rpc-token`): 64
 * lowercase hex characters (a 32-byte token), surrounding whitespace ignored.
 * @throws RpcError code 0 when the file cannot be read or does not hold a token
 */
export function readRpcCookie(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RpcError(`cannot read the RPC token file ${path}: ${(e as Error).message}`, 0);
  }
  const token = text.trim();
  if (!TOKEN_RE.test(token)) throw new RpcError(`RPC token file ${path}: expected 64 lowercase hex characters`, 0);
  return token;
}

/** A `token` option that reads `path` ({@link readRpcCookie}) before every request, so a restarted node's new cookie is picked up. */
export function tokenFromFile(path: string): () => string {
  return () => readRpcCookie(path);
}

/** Options of the Node {@link NodeRpcClient}: those of `@baios/api` plus `tokenFile`. */
export interface NodeRpcClientOptions extends RpcClientOptions {
  /** A token file (the node's cookie `<dataDir>/rpc.cookie`), read before every request ({@link tokenFromFile}); ignored when `token` is set. */
  tokenFile?: string | undefined;
}

/**
 * The `@baios/api` client with the Node-only `tokenFile` option (same methods and errors; an
 * unreadable token file fails each request with an `RpcError` of code 0).
 */
export class NodeRpcClient extends BaseRpcClient {
  constructor(url: string, opts: NodeRpcClientOptions = {}) {
    const { tokenFile, ...rest } = opts;
    super(url, rest.token === undefined && tokenFile !== undefined ? { ...rest, token: tokenFromFile(tokenFile) } : rest);
  }
}
