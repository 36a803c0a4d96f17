// Browser entry of crypto-wasm/test/browser.test.ts, bundled by @baios/crypto/testing/browser.
// Importing @baios/crypto (and @baios/consensus above it) needs no await: the web bindings finish
// instantiating in a top-level await before this module runs.
import * as consensus from "@baios/consensus";
import * as c from "@baios/crypto";
import { hex, run } from "@baios/crypto/testing/page";
import hashToScalar from "../../../test-vectors/hash_to_scalar.json" with { type: "json" };
import mlsag from "../../../test-vectors/mlsag.json" with { type: "json" };
import pedersen from "../../../test-vectors/pedersen.json" with { type: "json" };
import { runChecks, type VectorFile } from "./checks.ts";

void run(() => ({
  checks: runChecks(c, { mlsag: mlsag as VectorFile, pedersen: pedersen as VectorFile, hashToScalar: hashToScalar as VectorFile }),
  // getrandom's wasm_js source (crypto.getRandomValues): two unseeded scalars
  random: [hex(c.randomScalar()), hex(c.randomScalar())],
  // a consensus hash over @baios/crypto, evaluated in the same bundle
  merkleRoot: hex(consensus.merkleRoot([new Uint8Array(32), new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)])),
  streamingCalls: (globalThis as Record<string, unknown>)["__streamingCalls"],
}));
