// Subaddresses and wallet proofs through the WebAssembly boundary (docs/crypto.md §11–§12).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  checkDerivationProof, checkKeyImageProof, checkTxProof, CryptoError, derivationProof, keyImage, keyImageProof,
  makeOutput, matchOutput, randomScalar, recoverSpendKey, scalarAdd, scalarMult, scalarMultBase, subaddressKeys, txProof,
  walletKeysFromSeed,
} from "../ts/index.ts";

const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => new Uint8Array([...a, ...b]);

describe("subaddresses", () => {
  const k = walletKeysFromSeed(seed(1));
  it("(0,0) is the main address; others differ and are unlinkable without a", () => {
    const main = subaddressKeys(k.viewSecret, k.spendPublic, 0, 0);
    expect(hex(main.viewPublic)).toBe(hex(k.viewPublic));
    expect(hex(main.spendPublic)).toBe(hex(k.spendPublic));
    const s = subaddressKeys(k.viewSecret, k.spendPublic, 0, 1);
    expect(hex(s.spendPublic)).not.toBe(hex(k.spendPublic));
    expect(hex(s.viewPublic)).toBe(hex(scalarMult(k.viewSecret, s.spendPublic)));
    expect(() => subaddressKeys(k.viewSecret, k.spendPublic, -1, 0)).toThrow(CryptoError);
  });
  it("property: a payment to (i,j) is found by one table lookup and spendable with b + m + s", () => {
    const table = new Map<string, [number, number]>();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) table.set(hex(subaddressKeys(k.viewSecret, k.spendPublic, i, j).spendPublic), [i, j]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (i, j, idx, amount) => {
      const sub = subaddressKeys(k.viewSecret, k.spendPublic, i, j);
      const r = randomScalar();
      const isSub = i !== 0 || j !== 0;
      const R = isSub ? scalarMult(r, sub.spendPublic) : scalarMultBase(r);
      const out = makeOutput(r, sub.viewPublic, sub.spendPublic, idx, amount);
      const K = scalarMult(k.viewSecret, R);
      const { spendPublic, s } = recoverSpendKey(K, idx, out.oneTimeKey);
      expect(table.get(hex(spendPublic))).toEqual([i, j]);
      const x = scalarAdd(scalarAdd(s, k.spendSecret), sub.scalar);
      expect(hex(scalarMultBase(x))).toBe(hex(out.oneTimeKey));
    }), { numRuns: 25 });
  });
});

describe("tx proof, signed key images, derivation proof", () => {
  const k = walletKeysFromSeed(seed(2));
  const txid = seed(7);
  const msg = new TextEncoder().encode("invoice 42");
  it("tx proof verifies for the right tx/address/message only and yields K that finds the output", () => {
    for (const isSub of [false, true]) {
      const to = isSub ? subaddressKeys(k.viewSecret, k.spendPublic, 1, 1) : { viewPublic: k.viewPublic, spendPublic: k.spendPublic };
      const r = randomScalar();
      const R = isSub ? scalarMult(r, to.spendPublic) : scalarMultBase(r);
      const out = makeOutput(r, to.viewPublic, to.spendPublic, 0, 5n);
      const addr = cat(to.viewPublic, to.spendPublic);
      const proof = txProof(r, txid, addr, isSub, msg);
      expect(proof.length).toBe(96);
      const K = checkTxProof(R, txid, addr, isSub, msg, proof);
      expect(matchOutput(K, to.spendPublic, 0, out.oneTimeKey)).toBeDefined();
      expect(() => checkTxProof(R, txid, addr, isSub, new TextEncoder().encode("invoice 43"), proof)).toThrow(/INVALID_SIGNATURE|signature/i);
      expect(() => checkTxProof(R, seed(8), addr, isSub, msg, proof)).toThrow(CryptoError);
      const bad = proof.slice(); bad[40] = (bad[40] ?? 0) ^ 1;
      expect(() => checkTxProof(R, txid, addr, isSub, msg, bad)).toThrow(CryptoError);
    }
  });
  it("property: a signed key image verifies for its P only; forged key images are rejected", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (ctx) => {
      const x = randomScalar();
      const P = scalarMultBase(x);
      const sig = keyImageProof(x, P, ctx);
      expect(hex(checkKeyImageProof(P, ctx, sig))).toBe(hex(keyImage(x, P)));
      const forged = sig.slice(); forged.set(scalarMultBase(randomScalar()), 0);
      expect(() => checkKeyImageProof(P, ctx, forged)).toThrow(CryptoError);
      expect(() => checkKeyImageProof(scalarMultBase(randomScalar()), ctx, sig)).toThrow(CryptoError);
    }), { numRuns: 20 });
    expect(() => keyImageProof(randomScalar(), scalarMultBase(randomScalar()), new Uint8Array())).toThrow(/SIGNER_MISMATCH|match/i);
  });
  it("derivation proof yields a·R for the right view key only", () => {
    const R = scalarMultBase(randomScalar());
    const p = derivationProof(k.viewSecret, R, msg);
    expect(hex(checkDerivationProof(k.viewPublic, R, msg, p))).toBe(hex(scalarMult(k.viewSecret, R)));
    expect(() => checkDerivationProof(walletKeysFromSeed(seed(3)).viewPublic, R, msg, p)).toThrow(CryptoError);
  });
});
