/**
 * Headless-Chromium harness for browser tests of any workspace package
 * (`@baios/crypto/testing/browser`).
 *
 * {@link openInBrowser} does the whole round trip: bundles an entry module (or a directory holding
 * an `index.html`) with Vite's JS API into a temporary directory, serves it from a static HTTP
 * server on 127.0.0.1 (`.wasm` as `application/wasm`, so `WebAssembly.instantiateStreaming` is
 * used), launches Chromium through playwright-core and opens the page. The session records console
 * errors, warnings, uncaught page errors, failed requests and every response, so a test can assert
 * that none went wrong. Pieces are exported separately ({@link bundle}, {@link serveStatic},
 * {@link launchChromium}) for tests that need only one of them.
 *
 * Page side: the entry reports its outcome with `report()` / `run()` from
 * `@baios/crypto/testing/page`; {@link BrowserSession.result} waits for it.
 *
 * Chromium: `$BAIOS_CHROMIUM` when set, otherwise `chromium` on PATH (scripts/setup installs
 * Debian's). Bundles use the `browser` export/import condition, so `@baios/crypto` resolves to its
 * web bindings (crypto-wasm/ts/wasm-web.ts).
 * @module
 */
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, relative, resolve, sep } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, type InlineConfig } from "vite";

/** What to bundle: exactly one of `entry` (a module) or `root` (a directory with `index.html`). */
export interface BundleOptions {
  /** Absolute path of an entry module (TypeScript or JavaScript); the harness writes the HTML page. */
  entry?: string;
  /** Absolute path of a directory holding an `index.html` (Vite's app root). */
  root?: string;
  /** Extra Vite configuration, merged over the harness defaults (e.g. `define`, `plugins`). */
  vite?: InlineConfig;
}

/** A bundle on disk; {@link Bundle.dispose} deletes it. */
export interface Bundle {
  /** Absolute path of the output directory (contains `index.html`). */
  dir: string;
  dispose(): Promise<void>;
}

/**
 * Bundles for the browser with Vite (production build, no minification, source maps) into a fresh
 * temporary directory. Build errors propagate as Vite throws them.
 * @throws Error when neither or both of `entry` and `root` are given
 */
export async function bundle(opts: BundleOptions): Promise<Bundle> {
  if ((opts.entry === undefined) === (opts.root === undefined)) throw new Error("bundle: give exactly one of entry or root");
  const dir = await mkdtemp(join(tmpdir(), "baios-browser-"));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await build({
      configFile: false,
      logLevel: "warn",
      publicDir: false,
      ...opts.vite,
      root: opts.root ?? process.cwd(),
      build: {
        outDir: dir,
        emptyOutDir: false,
        minify: false,
        sourcemap: true,
        target: "es2022", // top-level await (the crypto core's web entry uses it)
        ...(opts.entry !== undefined ? { rolldownOptions: { input: opts.entry, output: { entryFileNames: "entry.js" } } } : {}),
        ...opts.vite?.build,
      },
    });
    if (opts.entry !== undefined) {
      const html = '<!doctype html>\n<html><head><meta charset="utf-8"><title>baios test</title></head>\n<body><script type="module" src="./entry.js"></script></body></html>\n';
      await writeFile(join(dir, "index.html"), html);
    }
  } catch (e) {
    await dispose();
    throw e;
  }
  return { dir, dispose };
}

/** Content types by file extension; anything else is `application/octet-stream`. */
const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Extra request handler, tried before the static files (e.g. a JSON endpoint or a proxy to a test
 * node, served same-origin). Returns true when it answered the request.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** A running static server. */
export interface StaticServer {
  /** Base URL, `http://127.0.0.1:<port>/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` over HTTP/1.1 on 127.0.0.1 (an ephemeral port): GET and HEAD only, `/` maps to
 * `index.html`, paths outside `dir` and missing files get 404 (a missing `/favicon.ico` 204),
 * `Cache-Control: no-store`.
 */
export async function serveStatic(dir: string, routes?: RouteHandler): Promise<StaticServer> {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      if (routes !== undefined && (await routes(req, res))) return;
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405).end();
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = resolve(base, "." + (path.endsWith("/") ? path + "index.html" : path));
      const inside = relative(base, file);
      const info = inside.startsWith("..") || inside.split(sep).includes("..") ? undefined : await stat(file).catch(() => undefined);
      if ((info === undefined || !info.isFile()) && path === "/favicon.ico") return void res.writeHead(204).end(); // Chromium asks for it
      if (info === undefined || !info.isFile()) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": info.size,
        "cache-control": "no-store",
      });
      if (req.method === "HEAD") return void res.end();
      createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * The Chromium binary: `$BAIOS_CHROMIUM`, else `chromium` on PATH.
 * @throws Error when neither exists (install it with scripts/setup)
 */
export function chromiumPath(): string {
  const env = process.env["BAIOS_CHROMIUM"];
  if (env) return env;
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium not found: run scripts/setup, or set BAIOS_CHROMIUM to a Chromium binary");
  }
}

/** Launches headless Chromium (`--no-sandbox --disable-gpu --disable-background-networking`). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** One HTTP response the page received. */
export interface ResponseRecord {
  url: string;
  status: number;
  /** The `Content-Type` header, `""` when absent. */
  contentType: string;
}

/** Options of {@link openInBrowser}: what to bundle, plus how to open it. */
export interface OpenOptions extends BundleOptions {
  /** Path (and query) of the page to open, relative to the server root; default `""` (index.html). */
  path?: string;
  /** Extra routes of the static server ({@link serveStatic}). */
  routes?: RouteHandler;
  /** Runs after the listeners are attached and before navigation (e.g. `page.addInitScript`). */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

/** An open page; always {@link BrowserSession.close} it (in `afterAll`/`finally`). */
export interface BrowserSession {
  page: Page;
  browser: Browser;
  /** Base URL of the static server (ends in `/`). */
  url: string;
  /** Console `error` messages, uncaught page errors (`pageerror: …`) and failed requests (`requestfailed: …`). */
  errors: string[];
  /** Console `warning` messages (wasm-bindgen warns here when it cannot stream-compile). */
  warnings: string[];
  /** Every response, in arrival order. */
  responses: ResponseRecord[];
  /**
   * Waits for the page's `report()` / `run()` (`@baios/crypto/testing/page`) and returns the value.
   * @throws Error with the page's message when it reported a failure; playwright's TimeoutError after `timeoutMs` (default 30 000 ms)
   */
  result<T = unknown>(timeoutMs?: number): Promise<T>;
  /** Closes the browser, the server and deletes the bundle. */
  close(): Promise<void>;
}

/** The page-side global that `@baios/crypto/testing/page` sets. */
export const RESULT_GLOBAL = "__baiosTestResult";

/**
 * Bundles `opts`, serves the bundle, launches Chromium and opens the page (waits for `load`).
 * @throws whatever the build, the server or Chromium throws; resources are released first
 */
export async function openInBrowser(opts: OpenOptions): Promise<BrowserSession> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const out = await bundle(opts);
    cleanups.push(out.dispose);
    const server = await serveStatic(out.dir, opts.routes);
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    const responses: ResponseRecord[] = [];
    page.on("console", (m) => {
      const at = m.location().url;
      if (m.type() === "error") errors.push(at ? `${m.text()} (${at})` : m.text());
      else if (m.type() === "warning") warnings.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    page.on("response", (r) => responses.push({ url: r.url(), status: r.status(), contentType: r.headers()["content-type"] ?? "" }));
    if (opts.beforeLoad) await opts.beforeLoad(page);
    await page.goto(server.url + (opts.path ?? ""), { waitUntil: "load" });
    const result = async <T>(timeoutMs = 30_000): Promise<T> => {
      const handle = await page.waitForFunction((name: string) => (globalThis as Record<string, unknown>)[name], RESULT_GLOBAL, { timeout: timeoutMs });
      const outcome = (await handle.jsonValue()) as { ok: true; value: T } | { ok: false; error: string };
      if (!outcome.ok) throw new Error(`page reported: ${outcome.error}`);
      return outcome.value;
    };
    return { page, browser, url: server.url, errors, warnings, responses, result, close };
  } catch (e) {
    await close();
    throw e;
  }
}
