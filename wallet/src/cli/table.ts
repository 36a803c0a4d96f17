/** Plain aligned tables for CLI summaries (cli-table3 without borders, two-space gutters, indented). @module */
import Table from "cli-table3";

const NONE = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " };

/**
 * A borderless table: header row, then rows; `right` lists the columns aligned right (numbers).
 * Each line is indented by `indent` spaces and has no trailing spaces.
 */
export function plainTable(head: readonly string[], rows: readonly (readonly (string | number)[])[], right: readonly number[] = [], indent = 2): string {
  const t = new Table({ head: [...head], chars: NONE, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
  for (const r of rows) t.push(r.map((c, i) => ({ content: String(c), hAlign: right.includes(i) ? ("right" as const) : ("left" as const) })));
  return t
    .toString()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => " ".repeat(indent) + l.trimEnd())
    .join("\n");
}
