import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { walletKeysFromSeed } from "@baios/crypto";
import { addressOf, devnetMnemonic, keysFromMnemonic, MnemonicError, mnemonicToSeed, newMnemonic, parseAddress, seedToMnemonic } from "../src/keys.ts";
import { decodeAddress } from "../src/address.ts";
import { Wallet } from "../src/wallet.ts";
import { deserializeState, serializeState } from "../src/state.ts";

describe("keys", () => {
  it("mnemonic ↔ seed round trip (the seed is the BIP39 entropy)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const m = seedToMnemonic(seed);
        expect(m.split(" ")).toHaveLength(24);
        expect(mnemonicToSeed(m)).toEqual(seed);
        expect(mnemonicToSeed(`  ${m.toUpperCase().replaceAll(" ", "   ")} `)).toEqual(seed);
      }),
    );
  });

  it("rejects wrong length, unknown words and bad checksums", () => {
    const m = newMnemonic().split(" ");
    expect(() => mnemonicToSeed(m.slice(0, 12).join(" "))).toThrow(MnemonicError);
    expect(() => mnemonicToSeed([...m.slice(0, 23), "notaword"].join(" "))).toThrow(/invalid mnemonic/);
    const swapped = [...m];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    if (swapped.join(" ") !== m.join(" ")) expect(() => mnemonicToSeed(swapped.join(" "))).toThrow(MnemonicError);
  });

  it("keys follow docs/crypto.md §4 and the address carries (A, B)", () => {
    const m = devnetMnemonic(0);
    const k = keysFromMnemonic(m);
    expect(k).toEqual(walletKeysFromSeed(mnemonicToSeed(m)));
    const a = addressOf(k, "devnet");
    expect(a).toMatch(/^baiosdev1/);
    expect(parseAddress(a, "devnet").spendPublic).toEqual(k.spendPublic);
    expect(devnetMnemonic(0)).toBe(m);
    expect(devnetMnemonic(1)).not.toBe(m);
  });

  it("parseAddress rejects a checksummed address whose keys are not curve points", () => {
    const bad = addressOf({ viewPublic: new Uint8Array(32).fill(0xff), spendPublic: new Uint8Array(32).fill(0xff) }, "devnet");
    expect(decodeAddress(bad).network).toBe("devnet");
    expect(() => parseAddress(bad)).toThrow();
  });
});

describe("wallet object", () => {
  it("restore gives the same address; view-only export keeps (a, B) but no seed", () => {
    const { wallet, mnemonic } = Wallet.create("devnet");
    const again = Wallet.restore(mnemonic, "devnet");
    expect(again.address).toBe(wallet.address);
    const vo = Wallet.fromViewKey(wallet.viewKey());
    expect(vo.viewOnly).toBe(true);
    expect(vo.address).toBe(wallet.address);
    expect(() => vo.mnemonic()).toThrow();
    expect(wallet.mnemonic()).toBe(mnemonic);
  });

  it("state survives the encrypted file (bigints and bytes)", () => {
    const w = Wallet.restore(devnetMnemonic(3), "devnet");
    w.state.outputs.push({ globalIndex: 5, height: 2, txid: "ab", index: 0, txPublicKey: new Uint8Array(32).fill(1), amount: 123n, mask: new Uint8Array(32).fill(2), oneTimeKey: new Uint8Array(32).fill(3), commitment: new Uint8Array(32).fill(4), unlockHeight: 3, coinbase: false });
    const bytes = serializeState(w.state);
    expect(deserializeState(bytes)).toEqual(w.state);
  });
});
