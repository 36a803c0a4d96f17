// The module the package loads is the wasm-opt -O3 output of scripts/build-wasm
// (crypto-wasm/scripts/wasm-opt.mjs tags it with a `baios_build` custom section); every other
// crypto-wasm test, and every package test above it, therefore runs on the optimized module.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";
import { CryptoError } from "../ts/errors.ts";

// The WebAssembly global, typed here (the project's tsconfig has no DOM/WebAssembly lib).
interface WasmModuleApi {
  Module: {
    new (bytes: Uint8Array): object;
    customSections(module: object, name: string): ArrayBuffer[];
    exports(module: object): { name: string; kind: string }[];
  };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmModuleApi };

const require = createRequire(import.meta.url);
// The same path ts/index.ts requires; the glue reads baios_crypto_bg.wasm beside itself.
const wasmPath = join(dirname(require.resolve("../pkg/baios_crypto.js")), "baios_crypto_bg.wasm");

interface BuildInfo {
  optimizer: string;
  flags: string[];
  inputBytes: number;
  optimizedBytes: number;
}

describe("wasm-opt build", () => {
  it("the loaded module is binaryen's wasm-opt -O3 output, smaller than wasm-bindgen's", () => {
    const module = new WebAssembly.Module(readFileSync(wasmPath));
    const sections = WebAssembly.Module.customSections(module, "baios_build");
    expect(sections).toHaveLength(1);
    const info = JSON.parse(Buffer.from(sections[0]!).toString("utf8")) as BuildInfo;
    expect(info.optimizer).toMatch(/^wasm-opt version 132\b/);
    expect(info.flags).toEqual(["-O3"]);
    expect(info.optimizedBytes).toBeLessThan(info.inputBytes);
    // The optimized code plus the appended section is the whole file: nothing replaced it since.
    const size = statSync(wasmPath).size;
    expect(size).toBeGreaterThan(info.optimizedBytes);
    expect(size - info.optimizedBytes).toBeLessThan(256);
    // wasm-bindgen's externref table survived (Debian's old wasm-opt broke it).
    const tables = WebAssembly.Module.exports(module).filter((e) => e.kind === "table");
    expect(tables.map((t) => t.name)).toContain("__wbindgen_externrefs");
  });

  it("errors cross the externref table intact, and arithmetic is unchanged", () => {
    // A typed error travels from Rust through the externref table as a JsError.
    let err: unknown;
    try {
      c.checkPoint(new Uint8Array(32).fill(0xff));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe("INVALID_POINT");
    // 2·G through scalar multiplication equals G + G (RFC 9496 encodings).
    const one = new Uint8Array(32);
    one[0] = 1;
    const two = new Uint8Array(32);
    two[0] = 2;
    const g = c.scalarMultBase(one);
    expect(Buffer.from(c.scalarMultBase(two)).toString("hex")).toBe(Buffer.from(c.pointAdd(g, g)).toString("hex"));
    expect(Buffer.from(g).toString("hex")).toBe("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76");
  });
});
