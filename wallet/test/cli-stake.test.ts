/** `baios wallet stake` helpers (wallet/src/cli/wallet-stake.ts): the validator key file and the bond's consent signature. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519PublicKey, ed25519Verify } from "@baios/crypto";
import { bondWithSeed, readValidatorKeyFile } from "../src/cli/wallet-stake.ts";

const dir = mkdtempSync(join(tmpdir(), "baios-stake-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("wallet stake: key file and consent", () => {
  it("reads a 64-hex-character seed (whitespace and case ignored) and derives its public key", () => {
    const seed = new Uint8Array(32).fill(7);
    const k = readValidatorKeyFile(file("ok.key", `  ${Buffer.from(seed).toString("hex").toUpperCase()}\n`));
    expect(k.seed).toEqual(seed);
    expect(k.publicKey).toEqual(ed25519PublicKey(seed));
  });

  it("refuses a file that is not 32 bytes of hex", () => {
    for (const [n, t] of [["short", "ab".repeat(31)], ["long", "ab".repeat(33)], ["nothex", "zz".repeat(32)], ["empty", ""]] as const) {
      expect(() => readValidatorKeyFile(file(`${n}.key`, t))).toThrow(/expected the 32-byte validator seed/);
    }
  });

  it("property: the consent is the validator key's Ed25519 signature over the message it is given", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), (seed, msg, amount) => {
        const b = bondWithSeed(seed, amount);
        expect(b.validator).toEqual(ed25519PublicKey(seed));
        expect(b.amount).toBe(amount);
        const sig = b.consent(msg);
        expect(() => ed25519Verify(b.validator, msg, sig)).not.toThrow();
        const other = msg.slice();
        other[0] = other[0]! ^ 1;
        expect(() => ed25519Verify(b.validator, other, sig)).toThrow();
      }),
      { numRuns: 30 },
    );
  });
});
