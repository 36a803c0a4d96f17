/**
 * The wallet JSON-RPC server (docs/wallet.md §8): a small local API over one open wallet.
 * Methods (by-name params; amounts are atomic units as decimal strings):
 * `get_address`, `get_balance`, `refresh`, `rescan`, `transfer {destinations: [{address, amount}], fee?, maxFee?}`,
 * `get_transfers`, `get_tx_key {txid}`; with a wallet directory `create_wallet`, `open_wallet`,
 * `close_wallet` (src/rpc-wallets.ts).
 *
 * Security (the same guard code as the node, `@baios/api/server` http-guard.ts): authentication
 * is on by default — a 32-byte random bearer token (64 hex characters) kept in a 0600 file
 * (`<wallet>.rpc-token` from the CLI); clients send `Authorization: Bearer <token>` or HTTP Basic
 * with the token as password. Turning it off needs `disableAuth` and a loopback address. Requests
 * whose `Host` is not the listen address / `localhost` / `127.0.0.1` / `[::1]` with the port, or
 * that carry an `Origin` not configured, are refused (403); only `Content-Type: application/json`
 * is accepted (415). Calls are serialised (one at a time) so scans and transfers never interleave.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JSONRPCErrorException, JSONRPCServer, createJSONRPCErrorResponse, type JSONRPCRequest, type JSONRPCResponse } from "json-rpc-2.0";
import { RPC_ERRORS, type NodeRpcClient } from "@baios/api";
import {
  assertAuthPolicy,
  checkRequest,
  corsHeaders,
  generateToken,
  loadOrCreateTokenFile,
  nestedDeeperThan,
  readBody,
  sendPreflight,
  sendRefusal,
  validateRpcRequest,
  type GuardOptions,
} from "@baios/api/server";
import type { Wallet } from "./wallet.ts";
import { decodeAnyAddress } from "./address.ts";
import { proofRpcMethods } from "./rpc-proofs.ts";
import { walletFileMethods, type WalletHolder } from "./rpc-wallets.ts";
import type { ScryptParams } from "./walletfile.ts";
import type { Network } from "./address.ts";

/**
 * Error codes of the wallet JSON-RPC (docs/wallet.md §8): the JSON-RPC 2.0 standard codes, the
 * HTTP refusals shared with the node (-32040…-32043, with their HTTP status), and one code per
 * kind of wallet failure. The message says why.
 */
export const WALLET_RPC_ERRORS = {
  PARSE_ERROR: RPC_ERRORS.PARSE_ERROR,
  INVALID_REQUEST: RPC_ERRORS.INVALID_REQUEST,
  METHOD_NOT_FOUND: RPC_ERRORS.METHOD_NOT_FOUND,
  /** A missing or ill-typed parameter, a malformed address or amount. */
  INVALID_PARAMS: RPC_ERRORS.INVALID_PARAMS,
  /** A bug (the message names only the error class). */
  INTERNAL_ERROR: RPC_ERRORS.INTERNAL_ERROR,
  /** The wallet refuses: insufficient funds, view-only wallet asked to spend, unknown txid, too many inputs… (WalletError). */
  WALLET_ERROR: -32101,
  /** The transaction cannot be built (BuildError, CryptoError such as a destination key that is not a valid point). */
  BUILD_ERROR: -32102,
  /** The node failed or refused (RpcError: unreachable, rejected transaction…); `data: { nodeCode, nodeData }`. */
  NODE_ERROR: -32103,
  /** The node served data that failed verification (NodeTrustError): nothing was credited. */
  NODE_UNTRUSTED: -32104,
  /** The wallet file cannot be written or is in use (WalletFileError). */
  WALLET_FILE_ERROR: -32105,
  /** A signed proof is malformed or does not verify, or cannot be made by this wallet (ProofError); `data: { reason }`. */
  PROOF_ERROR: -32106,
  /** No wallet is open (after `close_wallet`, or a `--wallet-dir` server started without one): open or create one first. */
  NO_WALLET: -32107,
  /** The wallet RPC is stopping. */
  UNAVAILABLE: RPC_ERRORS.UNAVAILABLE,
  LIMIT_EXCEEDED: RPC_ERRORS.LIMIT_EXCEEDED,
  TOO_MANY_REQUESTS: RPC_ERRORS.TOO_MANY_REQUESTS,
  UNAUTHORIZED: RPC_ERRORS.UNAUTHORIZED,
  FORBIDDEN: RPC_ERRORS.FORBIDDEN,
  UNSUPPORTED_MEDIA_TYPE: RPC_ERRORS.UNSUPPORTED_MEDIA_TYPE,
  REQUEST_TOO_LARGE: RPC_ERRORS.REQUEST_TOO_LARGE,
} as const;

/** Limits of the wallet RPC listener: body bytes, batch length, nesting depth, requests in flight. */
export const WALLET_RPC_LIMITS = { maxBodyBytes: 1024 * 1024, maxBatch: 20, maxDepth: 16, maxConcurrent: 16 } as const;

/** Options of {@link startWalletRpc}. */
export interface WalletRpcOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Listen port (default 0 = ephemeral). */
  port?: number;
  /** The token file: read when it exists (it must be 0600), else a new token is written there (0600). Without it and without `token`, a fresh token is kept in memory only (see the handle). */
  tokenFile?: string;
  /** Use this token (64 hex characters) instead of a file. */
  token?: string;
  /** Turn authentication off: only allowed on a loopback `host`. */
  disableAuth?: boolean;
  /** Origins (`scheme://host[:port]`) whose browser pages may call; default none. */
  allowOrigins?: readonly string[];
  /** Extra `Host` names served besides the listen address and localhost. */
  allowHosts?: readonly string[];
  /** Directory of `create_wallet` / `open_wallet` files (docs/wallet.md §8.1); without it those answer WALLET_FILE_ERROR `NO_WALLET_DIR`. */
  walletDir?: string;
  /** KDF cost of files `create_wallet` writes (default: the wallet file default). */
  scrypt?: ScryptParams;
  /** Network of `create_wallet` when neither the call nor an open wallet names one (default devnet). */
  network?: Network;
}

/** A running wallet JSON-RPC server ({@link startWalletRpc}). */
export interface WalletRpcHandle {
  /** Base URL `http://<host>:<port>` (the real port when 0 was asked). */
  url: string;
  /** The bearer token clients must send, or undefined when authentication is off. */
  token: string | undefined;
  /** The token file, when one was used. */
  tokenFile: string | undefined;
  /** The wallet served now (`open_wallet` / `create_wallet` swap it, `close_wallet` clears it); the caller closes it after {@link WalletRpcHandle.close}. */
  wallet(): Wallet | undefined;
  /** Stops accepting requests, lets the call being run finish, then closes every connection. */
  close(): Promise<void>;
}

const str = (v: bigint): string => v.toString();

/** Bad params of a wallet RPC call (mapped to INVALID_PARAMS). */
class ParamsError extends Error {
  override name = "ParamsError";
}

/** Maps a thrown error to the wallet RPC code of its kind ({@link WALLET_RPC_ERRORS}); unknown errors become INTERNAL_ERROR without their message. */
export function walletRpcError(e: unknown): JSONRPCErrorException {
  if (e instanceof JSONRPCErrorException) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (c: number, data?: unknown): JSONRPCErrorException => new JSONRPCErrorException(err.message, c, data);
  switch (err.name) {
    case "ParamsError":
    case "AddressError":
    case "AmountError":
      return code(WALLET_RPC_ERRORS.INVALID_PARAMS);
    case "WalletError":
    case "TxKeyError":
      return code(WALLET_RPC_ERRORS.WALLET_ERROR);
    case "BuildError":
    case "CryptoError":
      return code(WALLET_RPC_ERRORS.BUILD_ERROR);
    case "RpcError": {
      const r = err as Error & { code?: unknown; data?: unknown };
      return code(WALLET_RPC_ERRORS.NODE_ERROR, { nodeCode: r.code, nodeData: r.data });
    }
    case "NodeTrustError":
      return code(WALLET_RPC_ERRORS.NODE_UNTRUSTED, { reason: (err as Error & { code?: unknown }).code });
    case "WalletFileError":
      return code(WALLET_RPC_ERRORS.WALLET_FILE_ERROR, { reason: (err as Error & { code?: unknown }).code });
    case "ProofError":
      return code(WALLET_RPC_ERRORS.PROOF_ERROR, { reason: (err as Error & { code?: unknown }).code });
    default:
      return new JSONRPCErrorException(`internal error (${err.name})`, WALLET_RPC_ERRORS.INTERNAL_ERROR);
  }
}

const obj = (p: unknown): Record<string, unknown> => {
  if (p === undefined || p === null) return {};
  if (typeof p !== "object" || Array.isArray(p)) throw new ParamsError("params: expected an object (by-name parameters)");
  return p as Record<string, unknown>;
};

/**
 * The wallet JSON-RPC methods over `wallet` and a node `client` (docs/wallet.md §8): `get_address`,
 * `get_balance`, `refresh`, `rescan`, `transfer`, `get_transfers`, `get_tx_key`. By-name params;
 * amounts and fees are atomic units (1 BAI = 10^8) as decimal strings. `get_balance`, `refresh`,
 * `rescan` and `transfer` save the wallet file.
 * @throws ParamsError for bad params, and whatever the wallet throws (WalletError, AddressError,
 *   RpcError from the node, …): {@link walletRpcError} maps each to its code.
 */
export function walletRpcMethods(wallet: Wallet, client: NodeRpcClient): Record<string, (p: unknown) => Promise<unknown>> {
  return {
    ...proofRpcMethods(wallet, client),
    get_address: async () => ({ address: wallet.address, network: wallet.network, viewOnly: wallet.viewOnly }),
    get_balance: async () => {
      await wallet.refresh(client);
      wallet.save();
      const b = await wallet.balance(client);
      return { spendable: str(b.spendable), pending: str(b.pending), outputs: b.outputs, height: wallet.state.scannedHeight };
    },
    refresh: async () => {
      const s = await wallet.refresh(client);
      wallet.save();
      return { height: wallet.state.scannedHeight, found: s.found, spent: s.spent };
    },
    rescan: async () => {
      const s = await wallet.rescan(client);
      wallet.save();
      return { height: wallet.state.scannedHeight, found: s.found, spent: s.spent };
    },
    transfer: async (params) => {
      const p = obj(params);
      const raw = p["destinations"];
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > 16) throw new ParamsError("destinations: expected 1 to 16 entries [{address, amount}]");
      const destinations = raw.map((d: unknown) => {
        const e = typeof d === "object" && d !== null ? (d as Record<string, unknown>) : {};
        const address = e["address"];
        const amount = e["amount"];
        if (typeof address !== "string" || typeof amount !== "string" || !/^\d{1,20}$/.test(amount)) {
          throw new ParamsError("each destination needs address (string) and amount (atomic units, decimal string)");
        }
        return { address, amount: BigInt(amount) };
      });
      const feeRaw = p["fee"];
      if (feeRaw !== undefined && (typeof feeRaw !== "string" || !/^\d{1,20}$/.test(feeRaw))) throw new ParamsError("fee: expected atomic units as a decimal string");
      const fee = typeof feeRaw === "string" ? BigInt(feeRaw) : undefined;
      const maxFeeRaw = p["maxFee"];
      if (maxFeeRaw !== undefined && (typeof maxFeeRaw !== "string" || !/^\d{1,20}$/.test(maxFeeRaw))) throw new ParamsError("maxFee: expected atomic units as a decimal string");
      const flag = (k: string): boolean => {
        const v = p[k];
        if (v !== undefined && typeof v !== "boolean") throw new ParamsError(`${k}: expected true or false`);
        return v === true;
      };
      const getTxKey = flag("get_tx_key");
      const doNotRelay = flag("do_not_relay");
      const r = await wallet.transfer(client, { destinations, ...(fee !== undefined ? { fee } : {}), ...(typeof maxFeeRaw === "string" ? { maxFee: BigInt(maxFeeRaw) } : {}), ...(doNotRelay ? { relay: false } : {}) });
      return { txid: r.txid, fee: str(r.fee), change: str(r.change), size: r.size, ringSize: r.ringSize, ...(getTxKey ? { txKey: r.txKey } : {}), ...(r.txHex !== undefined ? { txHex: r.txHex, relayed: false } : {}) };
    },
    get_transfers: async () => ({
      transfers: wallet.history().map((h) => ({ ...h, amount: str(h.amount), fee: str(h.fee), destinations: h.destinations?.map((d) => ({ address: d.address, amount: str(d.amount) })) })),
    }),
    get_tx_key: async (params) => {
      const txid = obj(params)["txid"];
      if (typeof txid !== "string" || !/^[0-9a-f]{64}$/.test(txid)) throw new ParamsError("txid: expected 32 bytes of lowercase hex");
      return { txKey: wallet.txKey(txid) };
    },
    sweep_all: async (params) => {
      const p = obj(params);
      const address = p["address"];
      if (typeof address !== "string") throw new ParamsError("address: expected the destination address (string)");
      const atomic = (k: string): bigint | undefined => {
        const v = p[k];
        if (v === undefined) return undefined;
        if (typeof v !== "string" || !/^\d{1,20}$/.test(v)) throw new ParamsError(`${k}: expected atomic units as a decimal string`);
        return BigInt(v);
      };
      const fee = atomic("fee");
      const maxFee = atomic("maxFee");
      const r = await wallet.transfer(client, { destinations: [{ address, amount: 0n }], sweepAll: true, ...(fee !== undefined ? { fee } : {}), ...(maxFee !== undefined ? { maxFee } : {}) });
      return { txid: r.txid, amount: str(r.sent), fee: str(r.fee), size: r.size, inputs: r.inputs, ringSize: r.ringSize };
    },
    validate_address: async (params) => {
      const address = obj(params)["address"];
      if (typeof address !== "string") throw new ParamsError("address: expected a string");
      try {
        const a = decodeAnyAddress(address, wallet.network);
        return { valid: true, network: wallet.network, subaddress: a.subaddress };
      } catch (e) {
        return { valid: false, reason: (e as Error).message };
      }
    },
  };
}

const UNAVAILABLE = "the wallet RPC is stopping";

/**
 * Starts the server (docs/wallet.md §8).
 * @throws RpcSecurityError when auth is off on a non-loopback host, or the token file is readable by others or holds no token
 * @throws Error from `listen` (address in use, …)
 */
export async function startWalletRpc(wallet: Wallet | undefined, client: NodeRpcClient, opts: WalletRpcOptions = {}): Promise<WalletRpcHandle> {
  const host = opts.host ?? "127.0.0.1";
  const authEnabled = opts.disableAuth !== true;
  assertAuthPolicy({ what: "wallet RPC", host, authEnabled });
  const token = !authEnabled ? undefined : (opts.token ?? (opts.tokenFile !== undefined ? loadOrCreateTokenFile(opts.tokenFile) : generateToken()));
  const guard: GuardOptions = { bindHost: host, port: 0, token, allowOrigins: opts.allowOrigins ?? [], allowHosts: opts.allowHosts ?? [], realm: "baios-wallet" };

  const rpc = new JSONRPCServer({ errorListener: () => undefined });
  rpc.mapErrorToJSONRPCErrorResponse = (id, e: unknown) => {
    const x = walletRpcError(e);
    return createJSONRPCErrorResponse(id, x.code, x.message, x.data);
  };
  let queue: Promise<unknown> = Promise.resolve();
  // a swappable wallet: the method table is rebuilt when open_wallet / create_wallet swap it
  const holder: WalletHolder = { current: wallet };
  let table: { for: Wallet; methods: Record<string, (p: unknown) => Promise<unknown>> } | undefined;
  const noWallet = (): never => {
    throw new JSONRPCErrorException("no wallet is open: call open_wallet or create_wallet", WALLET_RPC_ERRORS.NO_WALLET);
  };
  const walletMethod = (name: string) => async (params: unknown): Promise<unknown> => {
    const w = holder.current ?? noWallet();
    if (table?.for !== w) table = { for: w, methods: walletRpcMethods(w, client) };
    return (table.methods[name] as (p: unknown) => Promise<unknown>)(params);
  };
  const names = Object.keys(walletRpcMethods(wallet ?? (undefined as unknown as Wallet), client)); // building the table reads no wallet field
  const methods: Record<string, (p: unknown) => Promise<unknown>> = {
    ...Object.fromEntries(names.map((n) => [n, walletMethod(n)])),
    ...walletFileMethods(holder, { walletDir: opts.walletDir, ...(opts.scrypt !== undefined ? { scrypt: opts.scrypt } : {}), ...(opts.network !== undefined ? { network: opts.network } : {}) }),
  };
  for (const [name, fn] of Object.entries(methods)) {
    rpc.addMethod(name, (params: unknown) => {
      const run = queue.then(() => fn(params));
      queue = run.catch(() => undefined);
      return run;
    });
  }

  const answer = async (parsed: unknown): Promise<string | null> => {
    const whole = (code: number, message: string): string => JSON.stringify(createJSONRPCErrorResponse(null, code, message));
    if (nestedDeeperThan(parsed, WALLET_RPC_LIMITS.maxDepth)) return whole(WALLET_RPC_ERRORS.INVALID_REQUEST, `invalid request: nested deeper than ${WALLET_RPC_LIMITS.maxDepth} levels`);
    const batch = Array.isArray(parsed);
    const items: unknown[] = batch ? parsed : [parsed];
    if (items.length === 0) return whole(WALLET_RPC_ERRORS.INVALID_REQUEST, "invalid request: empty batch");
    if (items.length > WALLET_RPC_LIMITS.maxBatch) return whole(WALLET_RPC_ERRORS.LIMIT_EXCEEDED, `batch of ${items.length} requests exceeds the limit of ${WALLET_RPC_LIMITS.maxBatch}`);
    const parts: string[] = [];
    for (const item of items) {
      const v = validateRpcRequest(item);
      let resp: JSONRPCResponse | null;
      if (!v.ok) resp = createJSONRPCErrorResponse(v.id, WALLET_RPC_ERRORS.INVALID_REQUEST, v.message);
      else if (!Object.hasOwn(methods, v.req.method)) resp = v.req.id === undefined ? null : createJSONRPCErrorResponse(v.req.id, WALLET_RPC_ERRORS.METHOD_NOT_FOUND, "Method not found");
      else resp = (await rpc.receive(v.req as JSONRPCRequest)) as JSONRPCResponse | null;
      if (resp !== null) parts.push(JSON.stringify(resp));
    }
    if (parts.length === 0) return null;
    return batch ? `[${parts.join(",")}]` : (parts[0] as string);
  };

  let closing = false;
  let inFlight = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    const rpcPath = path === "/" || path === "/json_rpc" || path === "/rpc";
    if (closing) return sendRefusal(res, { status: 503, code: WALLET_RPC_ERRORS.UNAVAILABLE, message: UNAVAILABLE });
    const early = checkRequest(req, guard, { auth: false, json: false });
    if (early !== undefined) return sendRefusal(res, early);
    if (req.method === "OPTIONS" && rpcPath) return sendPreflight(req, res, guard);
    if (req.method !== "POST" || !rpcPath) {
      res.writeHead(req.method !== "POST" ? 405 : 404, { allow: "POST" }).end();
      return;
    }
    const denied = checkRequest(req, guard, { auth: true, json: true });
    if (denied !== undefined) return sendRefusal(res, denied, corsHeaders(req, guard));
    if (inFlight >= WALLET_RPC_LIMITS.maxConcurrent) {
      return sendRefusal(res, { status: 429, code: WALLET_RPC_ERRORS.TOO_MANY_REQUESTS, message: "too many requests in flight; retry later", headers: { "retry-after": "1" } });
    }
    inFlight++;
    try {
      const body = await readBody(req, WALLET_RPC_LIMITS.maxBodyBytes);
      if (!body.ok && body.reason === "aborted") {
        res.destroy();
        return;
      }
      if (!body.ok) return sendRefusal(res, { status: 413, code: WALLET_RPC_ERRORS.REQUEST_TOO_LARGE, message: `request body over ${WALLET_RPC_LIMITS.maxBodyBytes} bytes` });
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.body.toString("utf8"));
      } catch {
        parsed = undefined;
      }
      const out = parsed === undefined ? JSON.stringify(createJSONRPCErrorResponse(null, WALLET_RPC_ERRORS.PARSE_ERROR, "parse error")) : await answer(parsed);
      const headers = { ...corsHeaders(req, guard), "cache-control": "no-store" };
      if (out === null) res.writeHead(204, headers).end();
      else res.writeHead(200, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(out) }).end(out);
    } finally {
      inFlight--;
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      // never let one request take the process down
      if (!res.headersSent) sendRefusal(res, { status: 500, code: WALLET_RPC_ERRORS.INTERNAL_ERROR, message: "internal error" });
      else res.destroy();
    });
  };
  const http: Server = createServer(onRequest);
  http.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > WALLET_RPC_LIMITS.maxBodyBytes) {
      res.shouldKeepAlive = false;
      return sendRefusal(res, { status: 413, code: WALLET_RPC_ERRORS.REQUEST_TOO_LARGE, message: `request body over ${WALLET_RPC_LIMITS.maxBodyBytes} bytes` });
    }
    res.writeContinue();
    onRequest(req, res);
  });
  http.headersTimeout = 20_000;
  http.requestTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 0, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const addr = http.address() as AddressInfo;
  guard.port = addr.port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`,
    token,
    tokenFile: authEnabled && opts.token === undefined ? opts.tokenFile : undefined,
    wallet: () => holder.current,
    close: () => {
      closed ??= (async () => {
        closing = true;
        const done = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await queue; // the call being run (a transfer) finishes and saves
        await new Promise((r) => setTimeout(r, 50)); // not unref()d: with the server closed it is the only handle, and the CLI must not exit before saving
        http.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}
