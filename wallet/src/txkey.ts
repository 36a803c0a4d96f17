/**
 * Payment proof with the tx key (docs/wallet.md §7). The sender reveals the tx secret key(s); the
 * checker binds each key `r` to a tx public key `R` of the transaction (`R == r·G` for a main
 * address, `R == r·D` for a subaddress `(C, D)`, docs/crypto.md §11), computes the shared point
 * `K = r·A` (or `r·C`) for the address, and for each output `i` that key covers checks
 * `P_i == Hs(K ‖ i)·G + B` (or `+ D`), decrypts the amount and checks it opens the commitment.
 * Only public data and the keys are used, so anyone can check; the keys reveal nothing about the
 * sender's other transactions or keys.
 *
 * Key text (Monero's `get_tx_key` format): 64 hex characters per 32-byte key, concatenated. A
 * transaction with one shared `R` has one key. A transaction with one `R_k` per output (a
 * subaddress destination) has one key per output, `r_0 ‖ r_1 ‖ … ‖ r_{n−1}` in output order: the
 * main key `r = r_0` followed by the additional keys, as Monero prints the main key followed by
 * the additional ones. A single key of such a transaction is tried on every output.
 * @module
 */
import { checkScalar, scalarMult, scalarMultBase } from "@baios/crypto";
import type { NodeRpcClient, TxJson } from "@baios/api";
import type { Network } from "./address.ts";
import { parseAnyAddress } from "./keys.ts";
import { matchOutput, openAmount, sharedPoint } from "./derive.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "./hex.ts";

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

/** A tx key was refused by {@link checkTxKeyAgainst}: malformed, the wrong number of keys for the transaction, or no key is bound to a tx public key of the transaction for the address. */
export class TxKeyError extends Error {
  override name = "TxKeyError";
}

/** The tx key text of a sent transaction: its keys (32 bytes each) as one lowercase hex string, in the order of the module comment. */
export const formatTxKeys = (keys: readonly Uint8Array[]): string => keys.map(bytesToHex).join("");

/**
 * Parses tx key text: 64 hex characters per key, concatenated (whitespace and commas between
 * keys are ignored); each key must be a canonical scalar.
 * @throws TxKeyError naming what is wrong
 */
export function parseTxKeys(text: string): Uint8Array[] {
  const hex = text.replace(/[\s,]+/g, "").toLowerCase();
  if (hex === "" || hex.length % 64 !== 0 || !/^[0-9a-f]+$/.test(hex)) {
    throw new TxKeyError("a tx key is 64 hex characters (32 bytes); a transaction with one tx public key per output has one key per output, concatenated (what `tx-key` prints)");
  }
  return Array.from({ length: hex.length / 64 }, (_x, k) => {
    const r = hexToBytes(hex.slice(64 * k, 64 * (k + 1)));
    try {
      checkScalar(r);
    } catch {
      throw new TxKeyError(`tx key ${k + 1} is not a canonical scalar`);
    }
    return r;
  });
}

/**
 * Checks tx key text against a transaction (JSON from `get_tx`) for `address` (a main address or
 * a subaddress). With one shared `R`: one key. With one `R_k` per output: all `n` keys (key `k`
 * for output `k`), or one key tried on every output.
 * @returns the outputs paid to the address and their amounts (atomic units); empty when the keys belong to the transaction but pay nothing to the address
 * @throws TxKeyError malformed keys, a wrong key count, or no key bound to a tx public key for this address; AddressError for a bad address
 */
export function checkTxKeyAgainst(tx: TxJson, txKeyText: string, address: string, network?: Network): { index: number; amount: bigint }[] {
  const rs = parseTxKeys(txKeyText);
  const to = parseAnyAddress(address, network);
  const Rs = tx.txPublicKeys.map(hexToBytes);
  const perOutput = Rs.length > 1;
  let pairs: [number, Uint8Array][];
  if (!perOutput) {
    if (rs.length !== 1) throw new TxKeyError(`this transaction has one tx public key; give one tx key, not ${rs.length}`);
    pairs = tx.outputs.map((_o, i) => [i, rs[0]!]);
  } else if (rs.length === Rs.length) pairs = rs.map((r, i) => [i, r]);
  else if (rs.length === 1) pairs = tx.outputs.map((_o, i) => [i, rs[0]!]);
  else throw new TxKeyError(`this transaction has ${Rs.length} tx public keys (one per output); give all ${Rs.length} tx keys concatenated (as \`tx-key\` prints them), or one, not ${rs.length}`);
  let bound = 0;
  const found: { index: number; amount: bigint }[] = [];
  for (const [i, r] of pairs) {
    const o = tx.outputs[i];
    const R = perOutput ? Rs[i] : Rs[0];
    if (o === undefined || R === undefined) continue;
    // the key must be the one the receiver's view key meets: R = r·G (main address) or r·D (subaddress)
    if (!bytesEqual(to.subaddress ? scalarMult(r, to.spendPublic) : scalarMultBase(r), R)) continue;
    bound++;
    const s = matchOutput(sharedPoint(r, to.viewPublic), i, hexToBytes(o.oneTimeKey), o.viewTag, to.spendPublic);
    if (s === undefined) continue;
    const opened = openAmount(s, hexToBytes(o.encryptedAmount), hexToBytes(o.commitment));
    if (opened !== undefined) found.push({ index: i, amount: opened.amount });
  }
  if (bound === 0) {
    throw new TxKeyError(
      `this tx key does not belong to the transaction for this ${to.subaddress ? "subaddress" : "address"} (no tx public key is ${to.subaddress ? "r·D" : "r·G"}): a wrong key, or nothing in it was sent to this ${to.subaddress ? "subaddress" : "address"}`,
    );
  }
  return found;
}

/** Fetches the tx from the node and checks the tx key text (one key, or one per output concatenated) with {@link checkTxKeyAgainst}. @throws TxKeyError; AddressError; RpcError */
export async function checkTxKey(client: NodeRpcClient, txid: string, txKeyText: string, address: string, network?: Network): Promise<TxKeyCheck> {
  const res = await client.getTx(txid);
  const outputs = checkTxKeyAgainst(res.tx, txKeyText, address, network);
  return { txid: res.txid, outputs, received: outputs.reduce((s, o) => s + o.amount, 0n), status: res.status, height: res.height };
}
