/**
 * Wallet JSON-RPC methods for signed proofs (docs/wallet.md §8, §7.1–§7.3): `get_tx_proof`,
 * `check_tx_proof`, `get_reserve_proof`, `check_reserve_proof`, `export_key_images`,
 * `import_key_images`, and for subaddresses `create_address` and `get_accounts`. By-name params; amounts are atomic units as decimal strings. A bad
 * parameter throws ProofError `BAD_PROOF` (→ PROOF_ERROR with `data.reason`), like a bad proof;
 * positional (array) params answer INVALID_PARAMS.
 * @module
 */
import type { NodeRpcClient } from "@baios/api";
import { checkReserveProof, checkTxProof, exportKeyImages, getReserveProof, getTxProof, importKeyImages, ProofError } from "./proofs.ts";
import { accountBalances, newSubaddress, subaddressOf } from "./subaddress.ts";
import type { Wallet } from "./wallet.ts";

/** Positional (array) or scalar params are a user mistake (INVALID_PARAMS), never silently read as `{}`. */
class ParamsError extends Error {
  override name = "ParamsError";
}
const params = (p: unknown): Record<string, unknown> => {
  if (p === undefined || p === null) return {};
  if (typeof p !== "object" || Array.isArray(p)) throw new ParamsError("params: expected an object (by-name parameters)");
  return p as Record<string, unknown>;
};
const text = (p: Record<string, unknown>, k: string, optional = false): string => {
  const v = p[k];
  if (v === undefined && optional) return "";
  if (typeof v !== "string" || v.length > 1_000_000) throw new ProofError("BAD_PROOF", `${k}: expected a string`);
  return v;
};
const txidOf = (p: Record<string, unknown>): string => {
  const t = text(p, "txid");
  if (!/^[0-9a-f]{64}$/.test(t)) throw new ProofError("BAD_PROOF", "txid: expected 32 bytes of lowercase hex");
  return t;
};

/** The proof methods over `wallet` and a node `client` (merged into the wallet RPC's method table). */
export function proofRpcMethods(wallet: Wallet, client: NodeRpcClient): Record<string, (p: unknown) => Promise<unknown>> {
  return {
    get_tx_proof: async (raw) => {
      const p = params(raw);
      return { signature: getTxProof(wallet.state, txidOf(p), text(p, "address"), text(p, "message", true)) };
    },
    check_tx_proof: async (raw) => {
      const p = params(raw);
      const r = await checkTxProof(client, txidOf(p), text(p, "address"), text(p, "signature"), text(p, "message", true), wallet.network);
      return { good: true, received: r.received.toString(), outputs: r.outputs.map((o) => ({ index: o.index, amount: o.amount.toString() })), inPool: r.status === "mempool", height: r.height };
    },
    get_reserve_proof: async (raw) => {
      const p = params(raw);
      const a = p["amount"];
      if (a !== undefined && (typeof a !== "string" || !/^\d{1,20}$/.test(a))) throw new ProofError("BAD_PROOF", "amount: expected atomic units as a decimal string");
      await wallet.refresh(client);
      wallet.save();
      return { signature: getReserveProof(wallet.state, typeof a === "string" ? BigInt(a) : undefined, text(p, "message", true)) };
    },
    check_reserve_proof: async (raw) => {
      const p = params(raw);
      const r = await checkReserveProof(client, text(p, "address"), text(p, "signature"), text(p, "message", true), wallet.network);
      return { good: true, total: (r.unspent + r.spent).toString(), spent: r.spent.toString(), unspent: r.unspent.toString(), outputs: r.outputs.length };
    },
    create_address: async (raw) => {
      const a = params(raw)["account"] ?? 0;
      if (typeof a !== "number" || !Number.isSafeInteger(a) || a < 0 || a > 0xffff_ffff) throw new ProofError("BAD_PROOF", "account: expected an integer in 0..4294967295");
      const r = newSubaddress(wallet.state, a);
      wallet.save();
      return r;
    },
    get_accounts: async () => {
      await wallet.refresh(client);
      wallet.save();
      return { accounts: accountBalances(wallet.state).map((b) => ({ account: b.account, spendable: b.spendable.toString(), pending: b.pending.toString(), outputs: b.outputs, address: subaddressOf(wallet.state, b.account, 0) })) };
    },
    export_key_images: async () => {
      await wallet.refresh(client);
      wallet.save();
      return exportKeyImages(wallet.state);
    },
    import_key_images: async (raw) => {
      const r = await importKeyImages(wallet.state, params(raw)["keyImages"] !== undefined ? params(raw) : raw, client);
      wallet.save();
      return r;
    },
  };
}
