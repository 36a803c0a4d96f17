/**
 * Fuzz target: importing signed key images into a view-only wallet (docs/wallet.md §7.2,
 * docs/crypto.md §12.2, docs/fuzzing.md). Inputs: the genuine export of a full wallet with JSON
 * edits (fields deleted, retyped, replaced, added), byte edits of one signed key image, another
 * output's proof swapped in, and random JSON. Oracle: only `ProofError` escapes; an import that
 * succeeds stores, for every output, exactly its true key image (a forged or swapped key image is
 * never accepted); the genuine file imports every output.
 * Run: `node wallet/fuzz/key-images.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import fc from "fast-check";
import { keyImage, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { bump, runFuzzTarget } from "../../consensus/fuzz/harness.ts";
import { applyJsonEdits, jsonEditsArb, jsonValueArb } from "../../consensus/fuzz/json-mutate.ts";
import { bytesToHex } from "../src/hex.ts";
import { devnetMnemonic, keysFromSeed, mnemonicToSeed } from "../src/keys.ts";
import { exportKeyImages, importKeyImages, ProofError, type KeyImageExport } from "../src/proofs.ts";
import type { WalletState } from "../src/state.ts";
import { outputSecret } from "../src/subaddress.ts";
import { Wallet } from "../src/wallet.ts";

type Input = { kind: "json"; doc: unknown } | { kind: "bytes"; entry: number; pos: number; hex: string } | { kind: "swap"; a: number; b: number };

await runFuzzTarget({
  name: "key-images",
  setup: () => {
    const full = Wallet.restore(devnetMnemonic(3), "devnet").state;
    const spendSecret = keysFromSeed(mnemonicToSeed(devnetMnemonic(3))).spendSecret;
    for (let i = 0; i < 4; i++) {
      const r = randomScalar();
      const o = makeOutput(r, full.viewPublic, full.spendPublic, i, 1000n + BigInt(i));
      full.outputs.push({ globalIndex: i, height: 1, txid: "ab".repeat(32), index: i, txPublicKey: scalarMultBase(r), amount: 1000n + BigInt(i), mask: o.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight: 2, coinbase: false });
    }
    const truth = new Map(full.outputs.map((o) => [bytesToHex(o.oneTimeKey), bytesToHex(keyImage(outputSecret(full, spendSecret, o), o.oneTimeKey))]));
    const exported = exportKeyImages(full);
    const view: WalletState = structuredClone(full);
    delete view.seed;
    return { view, truth, exported };
  },
  arbitrary: (c) => {
    const keys = ["format", "version", "network", "address", "keyImages", "oneTimeKey", "signedKeyImage", "0", "1"];
    const hexChar = fc.constantFrom(..."0123456789abcdefABCDEFxz ".split(""));
    return fc.oneof(
      { weight: 4, arbitrary: jsonEditsArb(keys, 3).map((edits) => ({ kind: "json" as const, doc: applyJsonEdits(c.exported, edits) })) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("bytes" as const), entry: fc.nat({ max: 3 }), pos: fc.nat({ max: 200 }), hex: fc.string({ unit: hexChar, minLength: 1, maxLength: 4 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("swap" as const), a: fc.nat({ max: 3 }), b: fc.nat({ max: 3 }) }) },
      { weight: 1, arbitrary: jsonValueArb.map((doc) => ({ kind: "json" as const, doc })) },
    ) as fc.Arbitrary<Input>;
  },
  check: async (input, c, stats) => {
    let doc: unknown;
    if (input.kind === "json") doc = input.doc;
    else {
      const d = structuredClone(c.exported) as KeyImageExport;
      const e = d.keyImages[input.kind === "bytes" ? input.entry : input.a]!;
      if (input.kind === "bytes") e.signedKeyImage = e.signedKeyImage.slice(0, input.pos) + input.hex + e.signedKeyImage.slice(input.pos + input.hex.length);
      else e.signedKeyImage = d.keyImages[input.b]!.signedKeyImage;
      doc = d;
    }
    const view = structuredClone(c.view);
    try {
      const r = await importKeyImages(view, doc);
      for (const o of view.outputs) {
        if (o.keyImage === undefined) continue;
        if (bytesToHex(o.keyImage) !== c.truth.get(bytesToHex(o.oneTimeKey))) throw new Error("a key image that is not the output's was accepted");
      }
      bump(stats, `imported ${r.imported}`);
    } catch (e) {
      if (!(e instanceof ProofError)) throw new Error(`a non-ProofError escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
      bump(stats, e.code);
    }
  },
  after: async (c) => {
    const view = structuredClone(c.view);
    const r = await importKeyImages(view, structuredClone(c.exported));
    if (r.imported !== c.view.outputs.length) throw new Error("the genuine export did not import every output");
  },
});
