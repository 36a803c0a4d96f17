/**
 * Subaddresses and accounts in the wallet (docs/wallet.md §2.1; derivation in docs/crypto.md §11):
 * the address text of `(account, index)`, handing out new ones, the scan table with its
 * look-ahead, and the one-time secret of an output received on a subaddress.
 * @module
 */
import { oneTimeSecret, scalarAdd, subaddressKeys } from "@baios/crypto";
import { encodeAddress, encodeSubaddress } from "./address.ts";
import { bytesToHex } from "./hex.ts";
import type { OwnedOutput, WalletState } from "./state.ts";

/** Subaddresses beyond the highest one handed out (per account, and one account beyond the highest) that scanning also watches, as Monero's look-ahead: restoring from the seed finds payments to them. */
export const SUBADDRESS_LOOKAHEAD = 20;

/** A subaddress index pair out of range. */
export class SubaddressError extends Error {
  override name = "SubaddressError";
}

const checkIndex = (what: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffff_ffff) throw new SubaddressError(`${what} must be an integer in 0..4294967295`);
};

/** The address text of `(account, index)`: the standard address for (0, 0), else a `<prefix>sub1…` subaddress. @throws SubaddressError */
export function subaddressOf(state: WalletState, account: number, index: number): string {
  checkIndex("account", account);
  checkIndex("index", index);
  if (account === 0 && index === 0) return encodeAddress({ network: state.network, viewPublic: state.viewPublic, spendPublic: state.spendPublic });
  const k = subaddressKeys(state.viewSecret, state.spendPublic, account, index);
  return encodeSubaddress({ network: state.network, viewPublic: k.viewPublic, spendPublic: k.spendPublic });
}

/** Hands out the next subaddress of `account` (index 1 + the highest used, from 1), records it in the state, and returns it. @throws SubaddressError */
export function newSubaddress(state: WalletState, account: number): { account: number; index: number; address: string } {
  checkIndex("account", account);
  const used = (state.subaddresses ?? []).filter(([a]) => a === account).map(([, i]) => i);
  const index = used.length === 0 ? 1 : Math.max(...used) + 1;
  checkIndex("index", index);
  remember(state, account, index);
  return { account, index, address: subaddressOf(state, account, index) };
}

/** Adds `(account, index)` to the state's subaddress list (idempotent; (0, 0) is implicit). */
export function remember(state: WalletState, account: number, index: number): void {
  if (account === 0 && index === 0) return;
  const list = (state.subaddresses ??= []);
  if (!list.some(([a, i]) => a === account && i === index)) list.push([account, index]);
}

/**
 * The scan table `hex(D) → [account, index]` (docs/crypto.md §11): every handed-out subaddress,
 * plus a look-ahead of {@link SUBADDRESS_LOOKAHEAD} indices in each account from 0 to one beyond
 * the highest used. The main spend key is not in it (the matcher checks `B` first).
 */
export function subaddressTable(state: WalletState): Map<string, [number, number]> {
  const list = state.subaddresses ?? [];
  const maxAccount = list.reduce((m, [a]) => Math.max(m, a), 0);
  const t = new Map<string, [number, number]>();
  for (let a = 0; a <= maxAccount + 1; a++) {
    const maxIndex = list.filter(([x]) => x === a).reduce((m, [, i]) => Math.max(m, i), 0);
    for (let i = 0; i <= maxIndex + SUBADDRESS_LOOKAHEAD; i++) {
      if (a === 0 && i === 0) continue;
      t.set(bytesToHex(subaddressKeys(state.viewSecret, state.spendPublic, a, i).spendPublic), [a, i]);
    }
  }
  for (const [a, i] of list) t.set(bytesToHex(subaddressKeys(state.viewSecret, state.spendPublic, a, i).spendPublic), [a, i]);
  return t;
}

/** The one-time secret `x = s + b (+ m_{i,j})` of an owned output (32 bytes; docs/crypto.md §11). `derivationScalar`: its `s` (32 bytes) when the scan already computed it ({@link ./scan-match.ts Match}); otherwise `s` is derived again from `a·R` (one more scalar multiplication). */
export function outputSecret(state: Pick<WalletState, "viewSecret" | "spendPublic">, spendSecret: Uint8Array, o: Pick<OwnedOutput, "txPublicKey" | "index" | "subaddress">, derivationScalar?: Uint8Array): Uint8Array {
  const x = derivationScalar === undefined ? oneTimeSecret(state.viewSecret, spendSecret, o.txPublicKey, o.index) : scalarAdd(derivationScalar, spendSecret);
  if (o.subaddress === undefined) return x;
  return scalarAdd(x, subaddressKeys(state.viewSecret, state.spendPublic, o.subaddress[0], o.subaddress[1]).scalar);
}

/** Balance of one account (atomic units): unspent outputs received on its subaddresses; `pending` not yet unlocked at the next height. */
export interface AccountBalance {
  account: number;
  spendable: bigint;
  pending: bigint;
  outputs: number;
}

/** Balances per account (account 0 holds the main address's outputs), accounts in ascending order; every account with a handed-out subaddress or an output is listed. */
export function accountBalances(state: WalletState): AccountBalance[] {
  const next = state.scannedHeight + 1;
  const by = new Map<number, AccountBalance>([[0, { account: 0, spendable: 0n, pending: 0n, outputs: 0 }]]);
  for (const [a] of state.subaddresses ?? []) if (!by.has(a)) by.set(a, { account: a, spendable: 0n, pending: 0n, outputs: 0 });
  for (const o of state.outputs) {
    if (o.spentHeight !== undefined) continue;
    const a = o.subaddress?.[0] ?? 0;
    const b = by.get(a) ?? { account: a, spendable: 0n, pending: 0n, outputs: 0 };
    by.set(a, b);
    b.outputs++;
    if (o.unlockHeight <= next) b.spendable += o.amount;
    else b.pending += o.amount;
  }
  return [...by.values()].sort((x, y) => x.account - y.account);
}
