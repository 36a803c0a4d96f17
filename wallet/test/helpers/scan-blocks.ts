/**
 * Generated scan views (the `get_blocks_range` shape `scanBlock` reads) with outputs to a given
 * wallet mixed among foreign outputs, for the worker-scan property test and the scan benchmark.
 * Real outputs from the crypto core (`makeOutput`); nothing mocked.
 */
import { commit, makeOutput, randomScalar, scalarMultBase, walletKeysFromSeed, type WalletKeys } from "@baios/crypto";
import type { ScanView } from "../../src/scanner.ts";
import { bytesToHex } from "../../src/hex.ts";

const ONE = (() => {
  const s = new Uint8Array(32);
  s[0] = 1;
  return s;
})();

/** What each generated output is. */
export type OutputKind = "mine" | "foreign" | "mine-bad-amount" | "mine-bad-tag";

/** One generated tx: `perOutputKeys` gives each output its own tx public key. */
export interface TxSpec {
  outputs: OutputKind[];
  perOutputKeys?: boolean;
}
/** One generated block. */
export interface BlockSpec {
  coinbase: OutputKind[];
  txs: TxSpec[];
}

let counter = 1;
const freshScalar = (): Uint8Array => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, counter++, true);
  seed[31] = 0x5a;
  return randomScalar(seed);
};

/** A deterministic wallet's keys from a small integer. */
export function walletKeys(i: number): WalletKeys {
  return walletKeysFromSeed(new Uint8Array(32).fill(i + 1));
}

/**
 * Builds scan views for `specs` from height `startHeight`, paying `me` where the spec says
 * "mine", `other` otherwise; "mine-bad-amount" gets a wrong encrypted amount (must not be
 * credited), "mine-bad-tag" a flipped view tag (must not be credited).
 */
export function buildScanBlocks(specs: readonly BlockSpec[], me: WalletKeys, other: WalletKeys, startHeight = 1): ScanView[] {
  let globalIndex = 0;
  return specs.map((spec, bi) => {
    const height = startHeight + bi;
    const r = freshScalar();
    const cbOutputs = spec.coinbase.map((kind, i) => {
      const to = kind === "foreign" ? other : me;
      const amount = BigInt(1000 + i);
      const o = makeOutput(r, to.viewPublic, to.spendPublic, i, amount);
      return {
        globalIndex: globalIndex++,
        oneTimeKey: bytesToHex(o.oneTimeKey),
        commitment: bytesToHex(commit(kind === "mine-bad-amount" ? amount + 1n : amount, ONE)),
        viewTag: kind === "mine-bad-tag" ? o.viewTag ^ 1 : o.viewTag,
        amount: amount.toString(),
        unlockHeight: height + 2,
      };
    });
    const txs = spec.txs.map((t, ti) => {
      const keys = t.perOutputKeys ? t.outputs.map(() => freshScalar()) : [freshScalar()];
      const outputs = t.outputs.map((kind, i) => {
        const to = kind === "foreign" ? other : me;
        const o = makeOutput(keys[t.perOutputKeys ? i : 0]!, to.viewPublic, to.spendPublic, i, BigInt(5000 + 17 * i + ti));
        const enc = Uint8Array.from(o.encryptedAmount);
        if (kind === "mine-bad-amount") enc[0] = (enc[0] ?? 0) ^ 1;
        return { globalIndex: globalIndex++, oneTimeKey: bytesToHex(o.oneTimeKey), commitment: bytesToHex(o.commitment), viewTag: kind === "mine-bad-tag" ? o.viewTag ^ 1 : o.viewTag, encryptedAmount: bytesToHex(enc) };
      });
      return { txid: bytesToHex(freshScalar()), fee: "100", txPublicKeys: keys.map((k) => bytesToHex(scalarMultBase(k))), keyImages: [bytesToHex(scalarMultBase(freshScalar()))], outputs };
    });
    return { height, timeMs: 1_700_000_000_000 + height * 1000, coinbase: { height, txPublicKey: bytesToHex(scalarMultBase(r)), outputs: cbOutputs }, txs } as ScanView;
  });
}
