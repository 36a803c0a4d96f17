// fast-check properties of the cryptography core, run through the WebAssembly build.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../ts/index.ts";

const seed32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof c.CryptoError) return e.code;
    throw e;
  }
  return "OK";
};

/** A ring of `n` random members with the real one at `pi`, signed over `message`. */
function signedRing(n: number, pi: number, seed: Uint8Array) {
  const message = c.hashToScalar("test/msg", seed);
  const ringKeys: Uint8Array[] = [];
  const ringCommitments: Uint8Array[] = [];
  let x: Uint8Array = new Uint8Array(32);
  let inputMask: Uint8Array = new Uint8Array(32);
  const amount = 1000n;
  for (let j = 0; j < n; j++) {
    const sk = c.hashToScalar("test/key", Uint8Array.of(...seed, j));
    const mask = c.hashToScalar("test/mask", Uint8Array.of(...seed, j));
    ringKeys.push(c.scalarMultBase(sk));
    ringCommitments.push(c.commit(amount + BigInt(j), mask));
    if (j === pi) [x, inputMask] = [sk, mask];
  }
  const pseudoMask = c.hashToScalar("test/pseudo", seed);
  const pseudoOut = c.commit(amount + BigInt(pi), pseudoMask);
  const ring = { message, ringKeys, ringCommitments, pseudoOut };
  const z = c.scalarSub(inputMask, pseudoMask);
  const sig = c.mlsagSign(ring, pi, x, z, seed);
  return { ring, sig, keyImage: c.keyImage(x, ringKeys[pi] as Uint8Array), x };
}

describe("MLSAG through WASM", () => {
  it("signs and verifies for any ring size and secret index", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), seed32, (n, k, seed) => {
        const { ring, sig, keyImage } = signedRing(n, k % n, seed);
        expect(sig.length).toBe(c.mlsagSignatureBytes(n));
        expect(code(() => c.mlsagVerify(ring, keyImage, sig))).toBe("OK");
      }),
      { numRuns: 25 },
    );
  });

  it("rejects any single flipped byte of the signature", () => {
    const { ring, sig, keyImage } = signedRing(4, 2, new Uint8Array(32).fill(7));
    fc.assert(
      fc.property(fc.nat({ max: sig.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, bit) => {
        const bad = sig.slice();
        bad[pos] = (bad[pos] as number) ^ bit;
        expect(["INVALID_SIGNATURE", "NON_CANONICAL_SCALAR"]).toContain(code(() => c.mlsagVerify(ring, keyImage, bad)));
      }),
      { numRuns: 60 },
    );
  });

  it("links: the same key gives the same key image, and duplicates are rejected", () => {
    const a = signedRing(3, 1, new Uint8Array(32).fill(1));
    expect(c.keyImage(a.x, a.ring.ringKeys[1] as Uint8Array)).toEqual(a.keyImage);
    const dup = { ...a.ring, ringKeys: [a.ring.ringKeys[0] as Uint8Array, ...a.ring.ringKeys.slice(0, 2)] };
    expect(code(() => c.mlsagVerify(dup, a.keyImage, a.sig))).toBe("DUPLICATE_RING_MEMBER");
    expect(code(() => c.mlsagVerify(a.ring, new Uint8Array(32), a.sig))).toBe("IDENTITY_POINT");
  });
});

describe("Pedersen and balance through WASM", () => {
  it("balances for any split of inputs into outputs plus fee, and not otherwise", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.bigInt({ min: 0n, max: 2n ** 20n }), seed32, (a, b, fee, seed) => {
        const m1 = c.randomScalar(seed);
        const m2 = c.hashToScalar("t", seed);
        const pseudo = c.commit(a + b + fee, c.scalarAdd(m1, m2));
        const outs = [c.commit(a, m1), c.commit(b, m2)];
        expect(c.balanceCheck([pseudo], outs, fee)).toBe(true);
        expect(c.balanceCheck([pseudo], outs, fee + 1n)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});

describe("stealth addresses through WASM", () => {
  it("the receiver finds its outputs with and without view tags; others find nothing", () => {
    fc.assert(
      fc.property(seed32, seed32, u64, fc.nat({ max: 5 }), (s1, s2, amount, idx) => {
        fc.pre(s1.some((x, i) => x !== s2[i]));
        const bob = c.walletKeysFromSeed(s1);
        const eve = c.walletKeysFromSeed(s2);
        const r = c.randomScalar(s2);
        const txPublic = c.scalarMultBase(r);
        const outs = Array.from({ length: idx + 1 }, (_, i) => c.makeOutput(r, (i === idx ? bob : eve).viewPublic, (i === idx ? bob : eve).spendPublic, i, amount));
        for (const useTags of [true, false]) {
          const found = c.scanOutputs(bob.viewSecret, bob.spendPublic, txPublic, outs, useTags);
          expect(found).toHaveLength(1);
          expect(found[0]?.index).toBe(idx);
          expect(found[0]?.amount).toBe(amount);
          expect(found[0]?.mask).toEqual(outs[idx]?.mask);
        }
        const x = c.oneTimeSecret(bob.viewSecret, bob.spendSecret, txPublic, idx);
        expect(c.scalarMultBase(x)).toEqual(outs[idx]?.oneTimeKey);
      }),
      { numRuns: 20 },
    );
  });
});

describe("range proofs through WASM", () => {
  it("proves and verifies 2^64−1 and 0, single and batched; a changed amount fails", () => {
    const masks = [c.randomScalar(), c.randomScalar()];
    const amounts = [2n ** 64n - 1n, 0n];
    const proof = c.rangeProve(amounts, masks);
    const coms = amounts.map((a, i) => c.commit(a, masks[i] as Uint8Array));
    c.rangeVerify(coms, proof);
    c.rangeBatchVerify([{ commitments: coms, proof }, { commitments: coms, proof }]);
    const wrong = [c.commit(5n, masks[0] as Uint8Array), coms[1] as Uint8Array];
    expect(code(() => c.rangeVerify(wrong, proof))).toBe("INVALID_RANGE_PROOF");
    try {
      c.rangeBatchVerify([{ commitments: coms, proof }, { commitments: wrong, proof }]);
      expect.unreachable();
    } catch (e) {
      expect((e as c.CryptoError).code).toBe("INVALID_RANGE_PROOF");
      expect((e as c.CryptoError).index).toBe(1);
    }
  });

  it("a flipped proof byte fails", () => {
    const mask = c.randomScalar();
    const proof = c.rangeProve([42n], [mask]);
    const com = c.commit(42n, mask);
    fc.assert(
      fc.property(fc.nat({ max: proof.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, bit) => {
        const bad = proof.slice();
        bad[pos] = (bad[pos] as number) ^ bit;
        expect(code(() => c.rangeVerify([com], bad))).not.toBe("OK");
      }),
      { numRuns: 20 },
    );
  });
});

describe("Tx-PoW and Ed25519 through WASM", () => {
  it("a mined nonce verifies, and the hash meets the target", () => {
    const txid = new Uint8Array(32).fill(3);
    const easy = new Uint8Array(32).fill(0xff);
    easy[0] = 0x0f; // 1 in 16
    const nonce = c.txPowMine(txid, easy, 0n, 10_000);
    expect(nonce).toBeDefined();
    c.txPowVerify(txid, nonce as bigint, easy);
    expect((c.txPowHash(txid, nonce as bigint)[0] as number) <= 0x0f).toBe(true);
    const hard = new Uint8Array(32); // only the all-zero hash meets it
    expect(code(() => c.txPowVerify(txid, nonce as bigint, hard))).toBe("POW_INSUFFICIENT");
  });

  it("ed25519 signs and strictly verifies; a mutated message fails", () => {
    fc.assert(
      fc.property(seed32, fc.uint8Array({ maxLength: 64 }), (seed, msg) => {
        const pk = c.ed25519PublicKey(seed);
        const sig = c.ed25519Sign(seed, msg);
        c.ed25519Verify(pk, msg, sig);
        expect(code(() => c.ed25519Verify(pk, Uint8Array.of(...msg, 0), sig))).toBe("INVALID_SIGNATURE");
      }),
      { numRuns: 25 },
    );
  });
});
