/**
 * Fuzz target: opening a wallet file (docs/wallet.md §3, docs/fuzzing.md). Inputs:
 * - the envelope text with random byte edits (bit flips, boundary bytes, inserts, deletes, cuts);
 * - the envelope JSON with structural edits (fields deleted, replaced by random JSON, retyped,
 *   added, nested) and random JSON documents;
 * - a valid envelope whose decrypted state is damaged: structural edits of the state JSON or byte
 *   edits of the plaintext, encrypted under the right key, so the state parser is reached;
 * each opened with the right or a wrong password through `decryptWallet`/`openWalletText` +
 * `deserializeState`, and one case in eight through `Wallet.open` on a real file (lock included).
 * Oracle: only `WalletFileError` escapes (never TypeError or "Cannot read properties of
 * undefined"); the undamaged file opens. Envelopes asking for more than 2^14·r·p scrypt work are
 * skipped (they are slow by design; the 1 GiB cap is unit-tested in wallet/test).
 * Run: `node wallet/fuzz/walletfile.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bump, runFuzzTarget, type FuzzStats } from "../../consensus/fuzz/harness.ts";
import { applyJsonEdits, jsonEditsArb, jsonValueArb } from "../../consensus/fuzz/json-mutate.ts";
import { mutatedEncodings } from "../../consensus/fuzz/mutate.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { deserializeState, serializeState } from "../src/state.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT, WalletFileError, decryptWallet, encryptWallet, encryptWithKey, newFileKey } from "../src/walletfile.ts";

const PASSWORD = "correct horse";
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: false });

type Input = { kind: "envelope"; text: string; password: string; viaFile: boolean } | { kind: "state"; plaintext: Uint8Array; viaFile: boolean };

/** True when the text asks for far more scrypt work than the test cost (skip: slow by design). */
function tooCostly(text: string): boolean {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return false;
  }
  const kdf = (j as { kdf?: { N?: unknown; r?: unknown; p?: unknown } } | null)?.kdf;
  if (typeof kdf !== "object" || kdf === null) return false;
  const n = (x: unknown, d: number): number => (typeof x === "number" && Number.isFinite(x) ? Math.abs(x) : d);
  return n(kdf.N, 1) * n(kdf.r, 1) * n(kdf.p, 1) > 2 ** 14 * 16;
}

function expectWalletFileError(e: unknown, stats: FuzzStats): void {
  if (!(e instanceof WalletFileError)) throw new Error(`a non-WalletFileError escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  bump(stats, e.code);
}

await runFuzzTarget({
  name: "walletfile",
  setup: () => {
    const wallet = Wallet.restore(devnetMnemonic(0), "devnet");
    const plaintext = serializeState(wallet.state);
    const stateJson = JSON.parse(dec.decode(plaintext)) as unknown;
    const envelope = encryptWallet(plaintext, PASSWORD, TEST_SCRYPT);
    const fileKey = newFileKey(PASSWORD, TEST_SCRYPT);
    const dir = mkdtempSync(join(tmpdir(), "baios-fuzz-wallet-"));
    // the undamaged file opens, both ways
    deserializeState(decryptWallet(envelope, PASSWORD));
    const path = join(dir, "ok.json");
    writeFileSync(path, envelope);
    Wallet.open(path, PASSWORD, TEST_SCRYPT).close();
    return { plaintext, stateJson, envelope, envelopeJson: JSON.parse(envelope) as unknown, fileKey, dir, n: 0 };
  },
  arbitrary: (c) => {
    const password = fc.oneof({ weight: 4, arbitrary: fc.constant(PASSWORD) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
    const viaFile = fc.nat({ max: 7 }).map((x) => x === 0);
    const envelopeKeys = ["format", "version", "kdf", "name", "N", "r", "p", "dkLen", "salt", "cipher", "nonce", "ciphertext"];
    const stateKeys = ["version", "network", "seed", "viewSecret", "viewPublic", "spendPublic", "scannedHeight", "outputs", "sent", "txMeta", "$n", "$b", "amount", "mask", "keyImage"];
    const envText = fc.oneof(
      { weight: 3, arbitrary: mutatedEncodings([enc.encode(c.envelope)], fc.constant(enc.encode(c.envelope))).map((b) => dec.decode(b)) },
      { weight: 4, arbitrary: jsonEditsArb(envelopeKeys).map((edits) => JSON.stringify(applyJsonEdits(c.envelopeJson, edits))) },
      { weight: 1, arbitrary: jsonValueArb.map((v) => JSON.stringify(v) ?? "") },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    );
    const statePlain = fc.oneof(
      { weight: 4, arbitrary: jsonEditsArb(stateKeys, 3).map((edits) => enc.encode(JSON.stringify(applyJsonEdits(c.stateJson, edits)) ?? "")) },
      { weight: 2, arbitrary: mutatedEncodings([c.plaintext], fc.constant(c.plaintext)) },
      { weight: 1, arbitrary: jsonValueArb.map((v) => enc.encode(JSON.stringify(v) ?? "")) },
    );
    return fc.oneof(
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("envelope" as const), text: envText, password, viaFile }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("state" as const), plaintext: statePlain, viaFile }) },
    ) as fc.Arbitrary<Input>;
  },
  check: (input, c, stats) => {
    const text = input.kind === "envelope" ? input.text : encryptWithKey(input.plaintext, c.fileKey);
    const password = input.kind === "envelope" ? input.password : PASSWORD;
    if (tooCostly(text)) {
      stats.skipped++;
      return;
    }
    try {
      if (input.viaFile) {
        const path = join(c.dir, `w${c.n++}.json`);
        writeFileSync(path, text);
        try {
          Wallet.open(path, password, TEST_SCRYPT).close();
        } finally {
          rmSync(path, { force: true });
        }
      } else {
        deserializeState(decryptWallet(text, password));
      }
      bump(stats, "opened");
    } catch (e) {
      expectWalletFileError(e, stats);
    }
  },
  teardown: (c) => rmSync(c.dir, { recursive: true, force: true }),
  caseTimeoutMs: 5000,
});
