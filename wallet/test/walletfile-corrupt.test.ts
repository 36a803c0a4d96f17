/**
 * Issue 6, wallet data: a corrupted wallet file says what is wrong (typed WalletFileError, never
 * "Cannot read properties of undefined"), whatever the bytes; the wallet directory is created 0700.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptWallet, encryptWallet, TEST_SCRYPT, WalletFileError } from "../src/walletfile.ts";
import { deserializeState, serializeState } from "../src/state.ts";
import { Wallet } from "../src/wallet.ts";
import { devnetMnemonic } from "../src/keys.ts";

const valid = () => JSON.parse(encryptWallet(new TextEncoder().encode("{}"), "pw", TEST_SCRYPT)) as Record<string, Record<string, unknown>>;

/** Runs `f` and returns the WalletFileError it throws; fails the test on success or any other error. */
function fileError(f: () => unknown): WalletFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof WalletFileError) return e;
    throw new Error(`expected a WalletFileError, got ${String(e)}`);
  }
  throw new Error("expected a WalletFileError, got success");
}

/** Runs `f`; any error it throws must be a WalletFileError (success is fine: the input may be valid). */
function onlyFileErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof WalletFileError)) throw new Error(`expected only WalletFileError, got ${String(e)}`);
  }
}

describe("a corrupted wallet file says what is wrong", () => {
  it("names a missing or malformed envelope field", () => {
    const f = valid();
    delete f["kdf"]!["salt"];
    const e = fileError(() => decryptWallet(JSON.stringify(f), "pw"));
    expect(e.code).toBe("CORRUPT");
    expect(e.message).toBe("wallet file is corrupt: `kdf.salt` is missing");

    const g = valid();
    g["cipher"]!["nonce"] = "zz";
    expect(fileError(() => decryptWallet(JSON.stringify(g), "pw")).message).toMatch(/`cipher.nonce` must be 24 bytes of lowercase hex/);
    const h = valid();
    delete (h as Record<string, unknown>)["cipher"];
    expect(fileError(() => decryptWallet(JSON.stringify(h), "pw")).message).toBe("wallet file is corrupt: `cipher` is missing");
    expect(fileError(() => decryptWallet("null", "pw")).code).toBe("CORRUPT");
    expect(fileError(() => decryptWallet("[1]", "pw")).code).toBe("CORRUPT");
    // a memory-hungry KDF is refused before any key is derived
    const k = valid();
    k["kdf"]!["N"] = 2 ** 22;
    k["kdf"]!["r"] = 32;
    expect(fileError(() => decryptWallet(JSON.stringify(k), "pw")).code).toBe("UNSUPPORTED");
  });

  it("names what is wrong in the decrypted state (Wallet.open)", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-corrupt-"));
    const p = join(dir, "w.json");
    const state = JSON.parse(new TextDecoder().decode(serializeState(Wallet.restore(devnetMnemonic(0), "devnet").state))) as Record<string, unknown>;
    delete state["viewSecret"];
    writeFileSync(p, encryptWallet(new TextEncoder().encode(JSON.stringify(state)), "pw", TEST_SCRYPT));
    const e = fileError(() => Wallet.open(p, "pw"));
    expect(e.code).toBe("CORRUPT");
    expect(e.message).toBe("wallet file is corrupt: state `viewSecret` is missing");
    state["viewSecret"] = { $b: "00" };
    expect(fileError(() => deserializeState(new TextEncoder().encode(JSON.stringify(state)))).message).toMatch(/`viewSecret.\$b` must be 32 bytes of hex/);
    // the lock of a file that failed to open is released again
    writeFileSync(p, encryptWallet(serializeState(Wallet.restore(devnetMnemonic(0), "devnet").state), "pw", TEST_SCRYPT));
    Wallet.open(p, "pw").close();
  });

  it("fuzz: no envelope text throws anything but WalletFileError", () => {
    const base = JSON.stringify(valid());
    const mutated = fc.tuple(fc.nat(base.length), fc.nat(20), fc.string({ maxLength: 8 })).map(([at, del, ins]) => base.slice(0, at) + ins + base.slice(at + del));
    const structured = fc.record(
      { format: fc.anything(), version: fc.anything(), kdf: fc.anything(), cipher: fc.anything(), ciphertext: fc.anything() },
      { requiredKeys: [] },
    ).map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated, structured, fc.json()), (text) => {
        onlyFileErrors(() => decryptWallet(text, "pw"));
      }),
      { numRuns: 400 },
    );
  });

  it("fuzz: no decrypted state throws anything but WalletFileError", () => {
    const good = JSON.parse(new TextDecoder().decode(serializeState(Wallet.restore(devnetMnemonic(1), "devnet").state))) as Record<string, unknown>;
    const keys = Object.keys(good);
    const broken = fc.tuple(fc.constantFrom(...keys), fc.anything()).map(([k, v]) => JSON.stringify({ ...good, [k]: v }));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => b), broken.map((t) => new TextEncoder().encode(t)), fc.json().map((t) => new TextEncoder().encode(t))), (bytes) => {
        onlyFileErrors(() => deserializeState(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("creates the wallet directory 0700 and the file 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-dir-"));
    const p = join(dir, "a", "b", "w.json");
    const w = Wallet.restore(devnetMnemonic(0), "devnet");
    w.saveAs(p, "pw", TEST_SCRYPT);
    w.close();
    expect(statSync(join(dir, "a")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "a", "b")).mode & 0o777).toBe(0o700);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(p, "utf8")).format).toBe("baios-wallet");
  });
});
