/**
 * The wallet JSON-RPC server (docs/wallet.md §8): a small local API over one open wallet.
 * Methods (by-name params; amounts are atomic units as decimal strings):
 * `get_address`, `get_balance`, `refresh`, `rescan`, `transfer {destinations: [{address, amount}], fee?}`,
 * `get_transfers`, `get_tx_key {txid}`. It listens on 127.0.0.1 by default and has no
 * authentication: anyone who can reach it can spend, so never expose it beyond localhost.
 * Calls are serialised (one at a time) so scans and transfers never interleave.
 * @module
 */
import { createServer, type Server } from "node:http";
import { JSONRPCServer, type JSONRPCRequest } from "json-rpc-2.0";
import type { NodeRpcClient } from "@baios/node";
import type { Wallet } from "./wallet.ts";

/** A running wallet JSON-RPC server ({@link startWalletRpc}). */
export interface WalletRpcHandle {
  /** Base URL `http://<host>:<port>` (the real port when 0 was asked). */
  url: string;
  /** Stops listening; resolves once the server has closed. */
  close(): Promise<void>;
}

const str = (v: bigint): string => v.toString();

/**
 * The wallet JSON-RPC methods over `wallet` and a node `client` (docs/wallet.md §8): `get_address`,
 * `get_balance`, `refresh`, `rescan`, `transfer`, `get_transfers`, `get_tx_key`. By-name params;
 * amounts and fees are atomic units (1 BAI = 10^8) as decimal strings. `get_balance`, `refresh`,
 * `rescan` and `transfer` save the wallet file. Bad params and failures throw plain Errors
 * (WalletError, AddressError, RpcError from the node, …), which json-rpc-2.0 returns with code 0
 * and the message.
 */
export function walletRpcMethods(wallet: Wallet, client: NodeRpcClient): Record<string, (p: Record<string, unknown>) => Promise<unknown>> {
  return {
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
    transfer: async (p) => {
      const raw = p["destinations"];
      if (!Array.isArray(raw) || raw.length === 0) throw new Error("destinations: expected [{address, amount}]");
      const destinations = raw.map((d: { address?: unknown; amount?: unknown }) => {
        if (typeof d.address !== "string" || typeof d.amount !== "string" || !/^\d+$/.test(d.amount)) throw new Error("each destination needs address (string) and amount (atomic units, decimal string)");
        return { address: d.address, amount: BigInt(d.amount) };
      });
      if (p["fee"] !== undefined && (typeof p["fee"] !== "string" || !/^\d+$/.test(p["fee"]))) throw new Error("fee: expected atomic units as a decimal string");
      const fee = typeof p["fee"] === "string" ? BigInt(p["fee"]) : undefined;
      const r = await wallet.transfer(client, fee === undefined ? { destinations } : { destinations, fee });
      return { txid: r.txid, fee: str(r.fee), change: str(r.change), size: r.size, ringSize: r.ringSize };
    },
    get_transfers: async () => ({
      transfers: wallet.history().map((h) => ({ ...h, amount: str(h.amount), fee: str(h.fee), destinations: h.destinations?.map((d) => ({ address: d.address, amount: str(d.amount) })) })),
    }),
    get_tx_key: async (p) => {
      if (typeof p["txid"] !== "string") throw new Error("txid: expected hex");
      return { txKey: wallet.txKey(p["txid"]) };
    },
  };
}

/** Starts the server (port 0 = ephemeral). */
export async function startWalletRpc(wallet: Wallet, client: NodeRpcClient, opts: { host?: string; port?: number } = {}): Promise<WalletRpcHandle> {
  const server = new JSONRPCServer();
  let queue: Promise<unknown> = Promise.resolve();
  for (const [name, fn] of Object.entries(walletRpcMethods(wallet, client))) {
    server.addMethod(name, (params: unknown) => {
      const p = (params ?? {}) as Record<string, unknown>;
      const run = queue.then(() => fn(p));
      queue = run.catch(() => undefined);
      return run;
    });
  }
  const http: Server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
      if (body.length > 1_000_000) req.destroy();
    });
    req.on("end", () => {
      let json: JSONRPCRequest;
      try {
        json = JSON.parse(body) as JSONRPCRequest;
      } catch {
        res.writeHead(400).end();
        return;
      }
      void server.receive(json).then((r) => {
        if (r === null) res.writeHead(204).end();
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(r));
      });
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = http.address();
  const port = typeof addr === "object" && addr !== null ? addr.port : 0;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
