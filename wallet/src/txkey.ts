/**
 * Payment proof with the tx key (docs/wallet.md §7). The sender reveals the tx secret `r`; the
 * checker verifies `r·G` is the transaction's public key `R`, computes `D = r·A` for the
 * recipient's address, and for each output `i` checks `P_i == Hs(D ‖ i)·G + B`, decrypts the
 * amount and checks it opens the commitment. Only public data and `r` are used, so anyone can
 * check; `r` reveals nothing about the sender's other transactions or keys.
 * @module
 */
import { checkScalar, scalarMultBase } from "@baios/crypto";
import type { NodeRpcClient, TxJson } from "@baios/node/client";
import type { Network } from "./address.ts";
import { parseAddress } from "./keys.ts";
import { matchOutput, openAmount, sharedPoint } from "./derive.ts";
import { bytesEqual, hexToBytes } from "./hex.ts";

/** Result of {@link checkTxKey}: what a revealed tx key proves about one address (docs/wallet.md §7). Amounts in atomic units. */
export interface TxKeyCheck {
  /** Transaction id (32 bytes, lowercase hex). */
  txid: string;
  /** Outputs of the tx paid to the address, and their amounts. */
  outputs: { index: number; amount: bigint }[];
  /** Total received by the address in this tx. */
  received: bigint;
  /** "confirmed" with a height, or "mempool". */
  status: "confirmed" | "mempool";
  /** Height of its block, or null while in the mempool. */
  height: number | null;
}

/** A tx key was refused by {@link checkTxKeyAgainst}: not 32 bytes, or `r·G` is none of the transaction's tx public keys. */
export class TxKeyError extends Error {
  override name = "TxKeyError";
}

/** Checks a tx key against a transaction (JSON from `get_tx`) for `address`. */
export function checkTxKeyAgainst(tx: TxJson, txKeyHex: string, address: string, network?: Network): { index: number; amount: bigint }[] {
  const r = hexToBytes(txKeyHex.trim());
  if (r.length !== 32) throw new TxKeyError("a tx key is 32 bytes (64 hex characters)");
  checkScalar(r);
  const R = scalarMultBase(r);
  const keys = tx.txPublicKeys.map(hexToBytes);
  const shared = keys.length === 1;
  if (!keys.some((k) => bytesEqual(k, R))) throw new TxKeyError("this tx key does not belong to the transaction (r·G is not its public key)");
  const addr = parseAddress(address, network);
  const D = sharedPoint(r, addr.viewPublic);
  const found: { index: number; amount: bigint }[] = [];
  tx.outputs.forEach((o, i) => {
    if (!shared && !bytesEqual(keys[i]!, R)) return;
    const s = matchOutput(D, i, hexToBytes(o.oneTimeKey), o.viewTag, addr.spendPublic);
    if (s === undefined) return;
    const opened = openAmount(s, hexToBytes(o.encryptedAmount), hexToBytes(o.commitment));
    if (opened !== undefined) found.push({ index: i, amount: opened.amount });
  });
  return found;
}

/** Fetches the tx from the node and checks the tx key. */
export async function checkTxKey(client: NodeRpcClient, txid: string, txKeyHex: string, address: string, network?: Network): Promise<TxKeyCheck> {
  const res = await client.getTx(txid);
  const outputs = checkTxKeyAgainst(res.tx, txKeyHex, address, network);
  return { txid: res.txid, outputs, received: outputs.reduce((s, o) => s + o.amount, 0n), status: res.status, height: res.height };
}
