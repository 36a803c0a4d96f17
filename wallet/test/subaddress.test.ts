/**
 * Subaddresses in the wallet (docs/wallet.md §2.1, docs/crypto.md §11): the `<prefix>sub1…`
 * encoding, the one-table scan (property: a payment to any watched (i, j) is found with that
 * (i, j) and amount, a foreign one is not; one-time secret s + b + m opens it), handing out
 * addresses, the look-ahead and balances per account.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeOutput, randomScalar, scalarMult, scalarMultBase, subaddressKeys } from "@baios/crypto";
import { ADDRESS_PREFIX, AddressError, decodeAddress, decodeAnyAddress, encodeSubaddress } from "../src/address.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { matchTx } from "../src/scan-match.ts";
import { accountBalances, newSubaddress, outputSecret, SUBADDRESS_LOOKAHEAD, subaddressOf, subaddressTable } from "../src/subaddress.ts";
import { bytesToHex } from "../src/hex.ts";
import { keysFromSeed, mnemonicToSeed } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";

const alice = Wallet.restore(devnetMnemonic(1), "devnet");
const eve = Wallet.restore(devnetMnemonic(2), "devnet");
const spendSecret = keysFromSeed(mnemonicToSeed(devnetMnemonic(1))).spendSecret;

describe("subaddress encoding", () => {
  it("(0,0) is the standard address; others are <prefix>sub1… and only decodeAnyAddress takes them", () => {
    expect(subaddressOf(alice.state, 0, 0)).toBe(alice.address);
    const s = subaddressOf(alice.state, 2, 7);
    expect(s.startsWith(`${ADDRESS_PREFIX.devnet}sub1`)).toBe(true);
    const d = decodeAnyAddress(s, "devnet");
    expect(d.subaddress).toBe(true);
    const k = subaddressKeys(alice.state.viewSecret, alice.state.spendPublic, 2, 7);
    expect(bytesToHex(d.spendPublic)).toBe(bytesToHex(k.spendPublic));
    expect(bytesToHex(d.viewPublic)).toBe(bytesToHex(k.viewPublic));
    expect(encodeSubaddress({ network: "devnet", viewPublic: d.viewPublic, spendPublic: d.spendPublic })).toBe(s);
    expect(() => decodeAddress(s)).toThrow(AddressError); // a standard-only decoder never pays it the wrong way
    expect(() => decodeAnyAddress(s, "mainnet")).toThrow(/devnet/);
    expect(decodeAnyAddress(alice.address).subaddress).toBe(false);
    expect(() => subaddressOf(alice.state, -1, 0)).toThrow(/account/);
    expect(() => subaddressOf(alice.state, 0, 2 ** 32)).toThrow(/index/);
  });
});

describe("scanning with one subaddress table", () => {
  it("property: a payment to a watched (i,j) is found with (i,j) and opens; x = s + b + m; foreign payments are not found", () => {
    const state = structuredClone(alice.state);
    state.subaddresses = [[3, 50]];
    const table = subaddressTable(state);
    const keys = { viewSecret: state.viewSecret, spendPublic: state.spendPublic, subaddresses: table };
    const watched = [...table.values()];
    fc.assert(
      fc.property(fc.constantFrom(...watched, [0, 0] as [number, number]), fc.bigInt({ min: 1n, max: 2n ** 50n }), fc.boolean(), fc.integer({ min: 0, max: 3 }), ([i, j], amount, shared, pos) => {
        const to = subaddressKeys(state.viewSecret, state.spendPublic, i, j);
        const other = { viewPublic: eve.state.viewPublic, spendPublic: eve.state.spendPublic };
        const isSub = i !== 0 || j !== 0;
        const n = 4;
        const rs = Array.from({ length: n }, () => randomScalar());
        // shared R only for a main-address payment (a subaddress payment needs R = r·D)
        const useShared = shared && !isSub;
        const outs = Array.from({ length: n }, (_, k) => {
          const dest = k === pos ? to : other;
          const r = useShared ? rs[0]! : rs[k]!;
          return makeOutput(r, dest.viewPublic, dest.spendPublic, k, k === pos ? amount : 5n);
        });
        const keysR = useShared ? [scalarMultBase(rs[0]!)] : rs.map((r, k) => (k === pos && isSub ? scalarMult(r, to.spendPublic) : scalarMultBase(r)));
        const view = {
          txid: "00".repeat(32),
          fee: "0",
          keyImages: [],
          txPublicKeys: keysR.map(bytesToHex),
          outputs: outs.map((o, k) => ({ globalIndex: k, oneTimeKey: bytesToHex(o.oneTimeKey), commitment: bytesToHex(o.commitment), viewTag: o.viewTag, encryptedAmount: bytesToHex(o.encryptedAmount) })),
        };
        const found = matchTx(keys, view as Parameters<typeof matchTx>[1]);
        expect(found.map((f) => f.index)).toEqual([pos]);
        const f = found[0]!;
        expect(f.amount).toBe(amount);
        expect(f.subaddress).toEqual(isSub ? [i, j] : undefined);
        const x = outputSecret(state, spendSecret, { txPublicKey: f.txPublicKey, index: f.index, ...(f.subaddress ? { subaddress: f.subaddress } : {}) });
        expect(bytesToHex(scalarMultBase(x))).toBe(bytesToHex(f.oneTimeKey));
        // the foreign wallet's table does not find it
        expect(matchTx({ viewSecret: eve.state.viewSecret, spendPublic: eve.state.spendPublic, subaddresses: subaddressTable(eve.state) }, view as Parameters<typeof matchTx>[1]).map((m) => m.index)).not.toContain(pos);
      }),
      { numRuns: 30 },
    );
  });

  it("the table holds handed-out pairs plus a look-ahead of 20 per account, one account beyond", () => {
    const state = structuredClone(alice.state);
    expect(subaddressTable(state).size).toBe(2 * (SUBADDRESS_LOOKAHEAD + 1) - 1);
    expect(newSubaddress(state, 0)).toMatchObject({ account: 0, index: 1 });
    expect(newSubaddress(state, 0)).toMatchObject({ account: 0, index: 2 });
    expect(newSubaddress(state, 4)).toMatchObject({ account: 4, index: 1 });
    state.subaddresses!.push([4, 1000]);
    const t = [...subaddressTable(state).values()].map(([a, i]) => `${a}/${i}`);
    for (const want of ["0/22", "4/1000", "4/1020", "5/20", "2/20"]) expect(t).toContain(want);
    expect(t).not.toContain("6/0");
    expect(t).not.toContain("0/0");
  });

  it("balances per account: outputs count in the account of their subaddress", () => {
    const state = structuredClone(alice.state);
    state.scannedHeight = 10;
    const o = (amount: bigint, sub?: [number, number], spent = false, unlock = 5) => ({ globalIndex: 0, height: 1, txid: "t", index: 0, txPublicKey: new Uint8Array(32), amount, mask: new Uint8Array(32), oneTimeKey: new Uint8Array(32), commitment: new Uint8Array(32), unlockHeight: unlock, coinbase: false, ...(sub ? { subaddress: sub } : {}), ...(spent ? { spentHeight: 9 } : {}) });
    state.outputs = [o(1n), o(2n, [0, 3]), o(4n, [1, 1]), o(8n, [1, 2], true), o(16n, [1, 2], false, 99)];
    expect(accountBalances(state)).toEqual([
      { account: 0, spendable: 3n, pending: 0n, outputs: 2 },
      { account: 1, spendable: 4n, pending: 16n, outputs: 2 },
    ]);
  });
});
