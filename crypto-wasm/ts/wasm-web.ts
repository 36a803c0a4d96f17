/**
 * Browser entry of the package's `#wasm` import (the `browser` condition in crypto-wasm/package.json
 * `imports`, which bundlers such as Vite apply): wasm-bindgen's `--target web` bindings in
 * ../pkg-web, built by `scripts/build-wasm` from the same cargo output and wasm-opt'ed like ../pkg.
 *
 * The module is fetched and compiled with `WebAssembly.instantiateStreaming` (the server must send
 * `Content-Type: application/wasm`, otherwise wasm-bindgen falls back to `instantiate` and warns),
 * inside a top-level `await`: every importer, transitively, evaluates only once the instance
 * exists, so the typed API in ./index.ts stays synchronous in the browser as in Node.
 * Randomness comes from `crypto.getRandomValues` (getrandom's `wasm_js` source).
 * @module
 */
import init, * as web from "../pkg-web/baios_crypto.js";
import type { Bindings } from "./wasm-node.ts";

// A bundler rewrites this `new URL(…, import.meta.url)` into the emitted asset's URL.
await init({ module_or_path: new URL("../pkg-web/baios_crypto_bg.wasm", import.meta.url) });

/** The same exports as the Node bindings (the type checker compares the two generated APIs). */
const bindings: Bindings = web;
export default bindings;
