// Issue 11, scanning speed: the batched scan of a block's coinbase and transactions (matchUnits:
// one core call, shared points' encodings batched) finds exactly what the per-unit scan
// (matchCoinbase, matchTx) finds —
// property test over generated blocks with outputs to the wallet, foreign outputs, wrong amounts
// and view tags, per-output tx keys, and with a subaddress table; an invalid tx public key or
// malformed hex fails as it does per transaction. hexInto against the reference hex codec.
// Real crypto core, nothing mocked.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { matchCoinbase, matchTx, matchTxs, matchUnits, type MatchKeys, type MatchUnit, type TxView } from "../src/scan-match.ts";
import { bytesToHex, hexInto, hexToBytes } from "../src/hex.ts";
import { buildScanBlocks, walletKeys, type BlockSpec, type OutputKind } from "./helpers/scan-blocks.ts";

const me = walletKeys(3);
const other = walletKeys(4);
const keys: MatchKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic };
const kind: fc.Arbitrary<OutputKind> = fc.constantFrom("mine", "foreign", "foreign", "mine-bad-amount", "mine-bad-tag");
const txsSpec: fc.Arbitrary<BlockSpec> = fc.record({
  coinbase: fc.constant([]),
  txs: fc.array(fc.record({ outputs: fc.array(kind, { minLength: 1, maxLength: 4 }), perOutputKeys: fc.boolean() }), { maxLength: 6 }),
});
const txsOf = (spec: BlockSpec): TxView[] => buildScanBlocks([spec], me, other)[0]!.txs;

describe("matchTxs (batched scan)", () => {
  it("finds exactly what matchTx finds, tx by tx (property)", () => {
    let found = 0;
    fc.assert(
      fc.property(txsSpec, (spec) => {
        const txs = txsOf(spec);
        const batched = matchTxs(keys, txs);
        const single = txs.map((t) => matchTx(keys, t));
        expect(batched).toEqual(single);
        found += single.flat().length;
      }),
      { numRuns: 25 },
    );
    expect(found).toBeGreaterThan(0); // the property saw outputs of ours
  });

  it("coinbases and txs of several blocks in one batch: the same as matchCoinbase / matchTx (property)", () => {
    const cbKind: fc.Arbitrary<OutputKind> = fc.constantFrom("mine", "foreign", "mine-bad-amount", "mine-bad-tag");
    const blockSpec = fc.record({ coinbase: fc.array(cbKind, { maxLength: 3 }), txs: txsSpec.map((s) => s.txs) });
    let found = 0;
    fc.assert(
      fc.property(fc.array(blockSpec, { minLength: 1, maxLength: 3 }), (specs) => {
        const units: MatchUnit[] = buildScanBlocks(specs, me, other).flatMap((b) => [{ cb: b.coinbase }, ...b.txs.map((tx) => ({ tx }))]);
        const alone = units.map((u) => ("cb" in u ? matchCoinbase(keys, u.cb) : matchTx(keys, u.tx)));
        expect(matchUnits(keys, units)).toEqual(alone);
        found += alone.flat().length;
      }),
      { numRuns: 20 },
    );
    expect(found).toBeGreaterThan(0);
  });

  it("a coinbase with a malformed amount or an out-of-range one is matched alone, as before", () => {
    const [b] = buildScanBlocks([{ coinbase: ["mine", "foreign"], txs: [{ outputs: ["mine"] }] }], me, other);
    const cb = b!.coinbase;
    for (const amount of ["18446744073709551616", "12x", ""]) {
      const bad = { ...cb, outputs: cb.outputs.map((o, i) => (i === 1 ? { ...o, amount } : o)) };
      const units: MatchUnit[] = [{ cb: bad }, { tx: b!.txs[0]! }];
      expect(matchUnits(keys, units)).toEqual([matchCoinbase(keys, bad), matchTx(keys, b!.txs[0]!)]);
      expect(matchUnits(keys, units)[0]).toHaveLength(1);
    }
  });

  it("with a subaddress table, goes tx by tx and agrees with matchTx", () => {
    const withTable: MatchKeys = { ...keys, subaddresses: new Map([["00".repeat(32), [0, 1] as const]]) };
    const txs = txsOf({ coinbase: [], txs: [{ outputs: ["mine", "foreign"] }, { outputs: ["foreign", "mine"], perOutputKeys: true }] });
    const batched = matchTxs(withTable, txs);
    expect(batched).toEqual(txs.map((t) => matchTx(withTable, t)));
    expect(batched.flat()).toHaveLength(2);
  });

  it("an invalid tx public key fails as in matchTx; malformed hex fails", () => {
    const txs = txsOf({ coinbase: [], txs: [{ outputs: ["mine"] }, { outputs: ["foreign"] }] });
    const bad = txs.map((t, i) => (i === 1 ? { ...t, txPublicKeys: ["ff".repeat(32)] } : t));
    expect(() => matchTx(keys, bad[1]!)).toThrow();
    expect(() => matchTxs(keys, bad)).toThrow();
    const badHex = txs.map((t, i) => (i === 0 ? { ...t, outputs: [{ ...t.outputs[0]!, commitment: "zz".repeat(32) }] } : t));
    expect(() => matchTxs(keys, badHex)).toThrow("invalid hex");
    expect(matchTxs(keys, [])).toEqual([]);
  });
});

describe("hexInto", () => {
  it("decodes like hexToBytes at any offset, either case (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 7 }), fc.boolean(), (bytes, offset, upper) => {
        const dst = new Uint8Array(offset + bytes.length + 3).fill(0xaa);
        const hex = bytesToHex(bytes);
        hexInto(dst, offset, upper ? hex.toUpperCase() : hex, bytes.length);
        expect(dst.slice(offset, offset + bytes.length)).toEqual(hexToBytes(hex));
        expect([...dst.slice(0, offset), ...dst.slice(offset + bytes.length)].every((b) => b === 0xaa)).toBe(true);
      }),
    );
  });

  it("rejects a wrong length or a non-hex character", () => {
    const dst = new Uint8Array(4);
    expect(() => hexInto(dst, 0, "abc", 2)).toThrow("invalid hex");
    expect(() => hexInto(dst, 0, "abcd", 1)).toThrow("invalid hex");
    for (const bad of ["0g00", "0x00", " 000", "00\u00e9\u00e9"]) expect(() => hexInto(dst, 0, bad, 2)).toThrow("invalid hex");
  });
});
