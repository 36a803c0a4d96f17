/**
 * Type-stripped sources for the validation workers (docs/node.md §Memory). Node runs this
 * repository's TypeScript by stripping the types with its bundled stripper (amaro, swc compiled to
 * WebAssembly), loaded in every thread that imports a `.ts` file: ≈ 10 MB of resident memory per
 * thread, a worker's largest item after its own crypto core. The main thread strips the modules
 * anyway; {@link recordStrippedSources} keeps the JavaScript it produced, and the pool gives a
 * worker the sources of the packages it imports ({@link workerSources}) with a bootstrap that
 * serves them from a module load hook ({@link WORKER_BOOTSTRAP}), so the worker never loads the
 * stripper. A module not among them is loaded the normal way (same result; the stripper then
 * loads in that worker).
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { registerHooks, stripTypeScriptTypes } from "node:module";

const recorded = new Map<string, string>();
let recording = false;

/**
 * Main thread, before the node is imported: strips each TypeScript module this thread loads
 * from now on with `module.stripTypeScriptTypes` (what Node's own loader does) and keeps the
 * result by URL. `baios node` calls it; an embedded node need not (its workers then strip their
 * own modules). Idempotent. Uses `module.registerHooks` (Node ≥ 22.15).
 */
export function recordStrippedSources(): void {
  if (recording || typeof registerHooks !== "function" || typeof stripTypeScriptTypes !== "function") return;
  recording = true;
  // Node flags stripTypeScriptTypes as experimental with a one-time warning; its own loader runs
  // the same stripper without one, so take the warning out on a first, empty call
  const emit = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  try {
    stripTypeScriptTypes("");
  } finally {
    process.emitWarning = emit;
  }
  registerHooks({
    load(url, context, nextLoad) {
      const r = nextLoad(url, context);
      if (r.format !== "module-typescript" || r.source === undefined || r.source === null) return r;
      const ts = typeof r.source === "string" ? r.source : Buffer.from(r.source as Uint8Array).toString("utf8");
      const js = stripTypeScriptTypes(ts);
      if (cached === undefined) recorded.set(url, js);
      return { ...r, format: "module", source: js };
    },
  });
}

let cached: Map<string, string> | undefined;

/**
 * The JavaScript of every `.ts` module under `dirs` (file: URLs of directories ending in `/`,
 * walked recursively; `.d.ts` skipped): what this thread recorded, the rest (modules this thread
 * loaded before recording, or never loads, such as the worker's own entry) stripped here from
 * the file. Computed once per process (the first worker), after which nothing more is recorded.
 * Empty unless {@link recordStrippedSources} ran.
 */
export function workerSources(dirs: readonly string[]): Map<string, string> {
  if (!recording) return new Map();
  if (cached !== undefined) return cached;
  const out = new Map<string, string>();
  for (const dir of dirs) {
    for (const f of readdirSync(new URL(dir), { recursive: true }) as string[]) {
      if (!f.endsWith(".ts") || f.endsWith(".d.ts")) continue;
      const url = new URL(f, dir).href;
      out.set(url, recorded.get(url) ?? stripTypeScriptTypes(readFileSync(new URL(url), "utf8")));
    }
  }
  cached = out;
  recorded.clear(); // the workers' subset is kept; nothing else needs the rest
  return out;
}

/**
 * The worker's bootstrap (`new Worker(code, { eval: true })`, CommonJS): registers a load hook
 * serving `workerData.sources` (URL → JavaScript, module format), imports `workerData.entry`,
 * then drops the sources (modules are loaded once).
 */
export const WORKER_BOOTSTRAP = `"use strict";
const { workerData } = require("node:worker_threads");
const sources = workerData.sources;
require("node:module").registerHooks({
  load(url, context, nextLoad) {
    const source = sources.get(url);
    return source === undefined ? nextLoad(url, context) : { format: "module", source, shortCircuit: true };
  },
});
import(workerData.entry).then(() => sources.clear(), (e) => { process.nextTick(() => { throw e; }); });
`;
