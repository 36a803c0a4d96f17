import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptWallet, encryptWallet, readWalletFile, TEST_SCRYPT, WalletFileError, writeWalletFile } from "../src/walletfile.ts";

describe("wallet file", () => {
  it("decrypts what it encrypts, with any password", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), (data, pw) => {
        expect(decryptWallet(encryptWallet(data, pw, TEST_SCRYPT), pw)).toEqual(data);
      }),
      { numRuns: 30 },
    );
  });

  it("rejects a wrong password", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.string(), fc.string(), (data, pw, other) => {
        fc.pre(pw.normalize("NFKC") !== other.normalize("NFKC"));
        const f = encryptWallet(data, pw, TEST_SCRYPT);
        expect(() => decryptWallet(f, other)).toThrow(WalletFileError);
      }),
      { numRuns: 30 },
    );
  });

  it("rejects tampering with the ciphertext, the nonce or the KDF parameters", () => {
    const f = JSON.parse(encryptWallet(new TextEncoder().encode("secret"), "pw", TEST_SCRYPT));
    const ct = Buffer.from(f.ciphertext, "base64");
    ct[0]! ^= 1;
    expect(() => decryptWallet(JSON.stringify({ ...f, ciphertext: ct.toString("base64") }), "pw")).toThrow(/wrong password or corrupted/);
    const nonce = (f.cipher.nonce[0] === "a" ? "b" : "a") + f.cipher.nonce.slice(1);
    expect(() => decryptWallet(JSON.stringify({ ...f, cipher: { ...f.cipher, nonce } }), "pw")).toThrow(WalletFileError);
    expect(() => decryptWallet(JSON.stringify({ ...f, kdf: { ...f.kdf, r: 4 } }), "pw")).toThrow(WalletFileError);
    expect(() => decryptWallet(JSON.stringify({ ...f, kdf: { ...f.kdf, N: 3 } }), "pw")).toThrow(/unsupported KDF/);
    expect(() => decryptWallet("{}", "pw")).toThrow(/`format` is missing/);
    expect(() => decryptWallet("nope", "pw")).toThrow(/not JSON/);
  });

  it("writes a 0600 file with a fresh salt and nonce each time", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-wf-"));
    const p = join(dir, "w.json");
    const data = new TextEncoder().encode("hello");
    writeWalletFile(p, data, "pw", TEST_SCRYPT);
    const first = JSON.parse(readFileSync(p, "utf8"));
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readWalletFile(p, "pw")).toEqual(data);
    writeWalletFile(p, data, "pw", TEST_SCRYPT);
    const second = JSON.parse(readFileSync(p, "utf8"));
    expect(second.kdf.salt).not.toBe(first.kdf.salt);
    expect(second.cipher.nonce).not.toBe(first.cipher.nonce);
    expect(first.kdf).toMatchObject({ name: "scrypt", N: 1024, r: 8, p: 1, dkLen: 32 });
  });
});

describe("wallet-file KDF: node:crypto scrypt == @noble/hashes scrypt (files written before the switch still open)", () => {
  it("derives the same 32 bytes for any password (NFKC, UTF-8) and salt", async () => {
    const { scryptSync } = await import("node:crypto");
    const { scrypt } = await import("@noble/hashes/scrypt.js");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 24 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (pw, salt) => {
        const a = scrypt(pw.normalize("NFKC"), salt, { N: 1024, r: 8, p: 1, dkLen: 32 });
        const b = scryptSync(Buffer.from(pw.normalize("NFKC"), "utf8"), salt, 32, { N: 1024, r: 8, p: 1 });
        expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
