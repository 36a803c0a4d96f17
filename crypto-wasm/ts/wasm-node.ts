/**
 * Node entry of the package's `#wasm` import (crypto-wasm/package.json `imports`): wasm-bindgen's
 * `--target nodejs` bindings in ../pkg (CommonJS), which read and instantiate
 * `pkg/baios_crypto_bg.wasm` synchronously when required. Built by `scripts/build-wasm`.
 * @module
 */
import { createRequire } from "node:module";

/** The raw wasm-bindgen exports (bytes and numbers in, bytes and numbers out). */
export type Bindings = typeof import("../pkg/baios_crypto.js");

const require = createRequire(import.meta.url);
const bindings: Bindings = require("../pkg/baios_crypto.js") as Bindings;
export default bindings;
