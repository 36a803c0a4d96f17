/**
 * Small DOM helpers of the page (plain DOM, no framework): element lookup, key/value lists,
 * number and hex formatting.
 * @module
 */

/** The element with id `id`. @throws Error when absent (the HTML and the code disagree) */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`page: no element #${id}`);
  return e as T;
}

/** A new element with text and classes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls !== undefined) e.className = cls;
  return e;
}

/** A key/value row: `[label, value, mono?, title?]`. */
export type Row = readonly [string, string, boolean?, string?];

/** Replaces the rows of a `<dl>`. */
export function setRows(dl: HTMLElement, rows: readonly Row[]): void {
  dl.replaceChildren(
    ...rows.flatMap(([k, v, mono, title]) => {
      const dd = el("dd", v, mono === true ? "mono" : undefined);
      if (title !== undefined) dd.title = title;
      return [el("dt", k), dd];
    }),
  );
}

/** Sets a tag's text and colour (`ok`, `bad`, `node` or neutral). */
export function setTag(e: HTMLElement, text: string, kind?: "ok" | "bad" | "node"): void {
  e.textContent = text;
  e.className = kind === undefined ? "tag" : `tag ${kind}`;
  e.hidden = false;
}

/** `abcd…wxyz` of a hex string (first `n` and last 4 characters). */
export const shortHex = (h: string, n = 12): string => (h.length <= n + 6 ? h : `${h.slice(0, n)}…${h.slice(-4)}`);

/** A bigint or number with thin-space thousands groups. */
export const fmt = (v: bigint | number): string => v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");

/** Bytes as `123 B`, `4.5 KiB`, `1.2 MiB`. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `part / total` as a percentage with one decimal. */
export const pct = (part: bigint, total: bigint): string => (total === 0n ? "0 %" : `${(Number((part * 1000n) / total) / 10).toFixed(1)} %`);

/** A duration in ms as `850 ms`, `12 s`, `5 min 3 s`, `16 h 0 min`, `340 d 3 h` (negative: `−…`). */
export function fmtDuration(ms: number): string {
  if (ms < 0) return `−${fmtDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
