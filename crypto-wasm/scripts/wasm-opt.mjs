// Runs binaryen's `wasm-opt -O3` (npm package `binaryen`, exact version pinned in
// crypto-wasm/package.json) over the wasm-pack output in place, then appends a custom section
// `baios_build` (JSON, UTF-8) recording the optimizer, its flags and the sizes in bytes before and
// after. crypto-wasm/test/wasm-opt.test.ts asserts that the module the package loads carries it.
//
// Features: wasm-opt reads the module's `target_features` section (emitted by rustc and kept by
// wasm-bindgen), so reference types (wasm-bindgen's externref table `__wbindgen_externrefs`),
// bulk memory, sign-ext, multivalue and nontrapping float-to-int stay enabled exactly as rustc
// emitted them. Debian's binaryen is too old for these tables; the npm build is current.
//
// Usage: node wasm-opt.mjs <pkg/baios_crypto_bg.wasm> [<copy of the unoptimized module>]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [wasmPath, keepUnoptimized] = process.argv.slice(2);
if (!wasmPath) throw new Error('usage: wasm-opt.mjs <module.wasm> [<unoptimized copy>]');
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('binaryen/package.json')), 'bin', 'wasm-opt');
const flags = ['-O3'];
const version = execFileSync(process.execPath, [bin, '--version']).toString().trim();
const inputBytes = statSync(wasmPath).size;
if (keepUnoptimized) {
  mkdirSync(dirname(keepUnoptimized), { recursive: true });
  copyFileSync(wasmPath, keepUnoptimized);
}
execFileSync(process.execPath, [bin, ...flags, wasmPath, '-o', wasmPath], { stdio: 'inherit' });

/** Unsigned LEB128, as the WebAssembly binary format encodes sizes. */
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
const optimizedBytes = statSync(wasmPath).size;
const name = Buffer.from('baios_build');
const payload = Buffer.from(JSON.stringify({ optimizer: version, flags, inputBytes, optimizedBytes }));
const body = Buffer.concat([leb(name.length), name, payload]);
const section = Buffer.concat([Buffer.from([0]), leb(body.length), body]);
const out = Buffer.concat([readFileSync(wasmPath), section]);
new WebAssembly.Module(out); // throws if the result is not a valid module
writeFileSync(wasmPath, out);
const pct = ((1 - optimizedBytes / inputBytes) * 100).toFixed(1);
console.error(`wasm-opt ${flags.join(' ')}: ${inputBytes} -> ${optimizedBytes} bytes (-${pct}%)`);
