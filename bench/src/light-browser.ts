/**
 * MMR inclusion-proof verification in the browser (issue 10; target ≤ 1 ms per proof in
 * browser WebAssembly): the light client's checks (bench/src/light-browser/cases.ts) timed in
 * headless Chromium (Debian's `chromium` through playwright-core, the page bundled by Vite with
 * the @baios/crypto web bindings; `@baios/crypto/testing/browser`) and, in the same run, in this
 * Node process (the Node bindings), with the ratio browser / Node.
 *
 * Each case: 50 warm-up calls, then `samples` samples of `inner` back-to-back calls (Chromium
 * coarsens `performance.now()` for pages that are not cross-origin isolated, so a sample must last
 * milliseconds); median and minimum µs per call. Cases run in the same order in both places.
 * Usage: `node bench/src/light-browser.ts [samples=100] [inner=100]`; writes
 * bench/results/light-browser.json. Not a test: nothing is asserted but the target line.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { openInBrowser } from "@baios/crypto/testing/browser";
import { fmtUs, printTable } from "./harness.ts";
import { lightCases, timeCases, type LightTiming } from "./light-browser/cases.ts";

const SAMPLES = Number(process.argv[2] ?? 100);
const INNER = Number(process.argv[3] ?? 100);
/** The target: one inclusion proof verified in ≤ 1 ms in browser WebAssembly. */
const TARGET_US = 1000;

const cases = lightCases();
console.log(`timing ${cases.length} cases in Node ${process.version} (${SAMPLES} samples × ${INNER} calls)…`);
const node = timeCases(cases, { samples: SAMPLES, inner: INNER, warmup: 50 });

console.log("timing the same cases in headless Chromium…");
const session = await openInBrowser({ entry: fileURLToPath(new URL("./light-browser/entry.ts", import.meta.url)), path: `?samples=${SAMPLES}&inner=${INNER}` });
let page: { userAgent: string; crossOriginIsolated: boolean; timings: LightTiming[] };
try {
  page = await session.result<typeof page>(600_000);
  if (session.errors.length > 0) throw new Error(`page errors: ${session.errors.join("; ")}`);
} finally {
  await session.close();
}
const chromium = /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(page.userAgent)?.[1] ?? page.userAgent;

const rows = cases.map((c, i) => {
  const b = page.timings[i] as LightTiming;
  const n = node[i] as LightTiming;
  return { name: c.name, description: c.description, hashes: c.hashes, browser: { medianUs: b.medianUs, minUs: b.minUs }, node: { medianUs: n.medianUs, minUs: n.minUs }, ratio: b.medianUs / n.medianUs };
});
console.log(`\nMMR inclusion-proof verification: Chromium ${chromium} WebAssembly vs Node ${process.version} (µs per call, median of ${SAMPLES} samples × ${INNER} calls)\n`);
printTable(
  ["case", "hashes", "browser median", "browser min", "node median", "node min", "browser/node"],
  rows.map((r) => [r.name, String(r.hashes), fmtUs(r.browser.medianUs), fmtUs(r.browser.minUs), fmtUs(r.node.medianUs), fmtUs(r.node.minUs), `${r.ratio.toFixed(2)}x`]),
);
const worst = rows.reduce((a, r) => (r.browser.medianUs > a.browser.medianUs ? r : a));
const met = worst.browser.medianUs <= TARGET_US;
console.log(`\ntarget ≤ 1 ms per proof in browser WebAssembly: slowest case ${worst.name} ${fmtUs(worst.browser.medianUs)} — ${met ? "met" : "NOT met"}`);

const root = new URL("../../", import.meta.url);
mkdirSync(new URL("bench/results/", root), { recursive: true });
const file = new URL("bench/results/light-browser.json", root);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, chromium, crossOriginIsolated: page.crossOriginIsolated, cpus: cpus().length, loadavg: loadavg(), samples: SAMPLES, inner: INNER, cases: rows, target: { us: TARGET_US, slowestCase: worst.name, slowestBrowserMedianUs: worst.browser.medianUs, met } }, null, 2)}\n`,
);
console.log(`\nwrote ${fileURLToPath(file)}`);
