/**
 * `baios wallet history` as a table (cli-table3): a header row, dates (UTC), direction, amount and
 * fee in BAI (fee only on outgoing transfers), full addresses and txids; filters `--in`, `--out`,
 * `--pending`, `--min-height`, `--max-height`.
 * @module
 */
import Table from "cli-table3";
import { formatBai } from "../amount.ts";
import type { HistoryEntry, Wallet } from "../wallet.ts";

/** History filters (all optional; `in`/`out`/`pending` combine as "any of"). Heights inclusive. */
export interface HistoryFilter {
  in?: boolean;
  out?: boolean;
  pending?: boolean;
  minHeight?: number;
  maxHeight?: number;
}

/** One row: a confirmed {@link HistoryEntry} or a sent transfer not yet seen on chain (`pending`). */
export interface HistoryRow extends HistoryEntry {
  pending: boolean;
}

/** Confirmed history plus sent-but-unconfirmed transfers, filtered. */
export function historyRows(wallet: Wallet, f: HistoryFilter): HistoryRow[] {
  const rows: HistoryRow[] = wallet.history().map((h) => ({ ...h, pending: false }));
  const seen = new Set(rows.map((r) => r.txid));
  for (const s of wallet.state.sent) {
    if (seen.has(s.txid) || s.height !== undefined || s.keyImages.length === 0) continue;
    rows.push({ txid: s.txid, height: -1, timeMs: s.createdMs, direction: "out", amount: s.destinations.reduce((a, d) => a + d.amount, 0n), fee: s.fee, destinations: s.destinations, coinbase: false, pending: true });
  }
  const kinds = f.in === true || f.out === true || f.pending === true;
  return rows.filter((r) => {
    if (kinds && !((f.in === true && r.direction === "in" && !r.pending) || (f.out === true && r.direction === "out" && !r.pending) || (f.pending === true && r.pending))) return false;
    if (f.minHeight !== undefined && (r.pending || r.height < f.minHeight)) return false;
    if (f.maxHeight !== undefined && (r.pending || r.height > f.maxHeight)) return false;
    return true;
  });
}

/** The table text: height, date (UTC, `YYYY-MM-DD HH:MM:SS`), in/out, amount (BAI), fee (BAI, outgoing only), txid, address(es). */
export function historyTable(rows: readonly HistoryRow[]): string {
  const t = new Table({ head: ["height", "date (UTC)", "dir", "amount (BAI)", "fee (BAI)", "txid", "to"], style: { head: [], border: [] }, wordWrap: false });
  for (const r of rows) {
    const date = r.timeMs > 0 ? new Date(r.timeMs).toISOString().replace("T", " ").slice(0, 19) : "";
    const to = r.direction === "in" ? (r.coinbase ? "(this wallet: coinbase/premine)" : "(this wallet)") : (r.destinations?.map((d) => `${d.address} ${formatBai(d.amount)}`).join("\n") ?? "(not sent from this wallet file)");
    t.push([r.pending ? "pending" : String(r.height), date, r.direction, { hAlign: "right", content: formatBai(r.amount) }, { hAlign: "right", content: r.direction === "out" ? formatBai(r.fee) : "" }, r.txid, to]);
  }
  return t.toString();
}
