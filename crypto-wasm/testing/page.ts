/**
 * Page side of the browser-test harness (`@baios/crypto/testing/page`): an entry bundled by
 * `@baios/crypto/testing/browser` reports its outcome here, and the Node test reads it with
 * `session.result()`. Values travel as JSON: hex-encode bytes (see {@link hex}), stringify bigints.
 * @module
 */

/** The global the harness polls (same name as `RESULT_GLOBAL` in ./browser.ts). */
const RESULT_GLOBAL = "__baiosTestResult";

/** Publishes the page's result (JSON-serialisable); only the first report counts. */
export function report(value: unknown): void {
  const g = globalThis as Record<string, unknown>;
  if (g[RESULT_GLOBAL] === undefined) g[RESULT_GLOBAL] = { ok: true, value };
}

/** Publishes a failure; `session.result()` then throws with this message (and the error's code, if any). */
export function reportError(e: unknown): void {
  const g = globalThis as Record<string, unknown>;
  const code = typeof e === "object" && e !== null && "code" in e ? ` [${String((e as { code: unknown }).code)}]` : "";
  const error = e instanceof Error ? `${e.name}${code}: ${e.message}\n${e.stack ?? ""}` : String(e);
  if (g[RESULT_GLOBAL] === undefined) g[RESULT_GLOBAL] = { ok: false, error };
}

/** Runs `f` (sync or async) and reports its value, or its exception as a failure. */
export async function run(f: () => unknown): Promise<void> {
  try {
    report(await f());
  } catch (e) {
    reportError(e);
  }
}

/** Lower-case hex of `bytes` (2 characters a byte). */
export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
