import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { commit, ed25519PublicKey, walletKeysFromSeed } from "@baios/crypto";
import { ConsensusError, decodeUnbond, encodeUnbond, verifyUnbondSignature, SCALAR_ONE } from "@baios/consensus";
import { signedUnbond } from "../src/cli/wallet-stake.ts";
import { matchCoinbase } from "../src/scan-match.ts";
import { bytesToHex } from "../src/hex.ts";

const CHAIN = 0x1234_5678;

describe("baios wallet unbond: the signed unbond request", () => {
  it("verifies under the validator key, survives the wire codec, and its payout is found by the wallet it names (and by no other)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 250 }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (seed, w, amount) => {
        const me = walletKeysFromSeed(new Uint8Array(32).fill(w));
        const other = walletKeysFromSeed(new Uint8Array(32).fill(w + 1));
        const u = signedUnbond(seed, CHAIN, amount, me);
        expect(u.validator).toEqual(ed25519PublicKey(seed));
        const back = decodeUnbond(encodeUnbond(u));
        expect(() => verifyUnbondSignature(back, CHAIN)).not.toThrow();
        // another chain id, or another amount, breaks the signature
        expect(() => verifyUnbondSignature(back, CHAIN + 1)).toThrow(ConsensusError);
        expect(() => verifyUnbondSignature({ ...back, amount: amount + 1n }, CHAIN)).toThrow(ConsensusError);
        // the payout as get_blocks_range serves it: a one-output coinbase-style view
        const view = { height: 9, txPublicKey: bytesToHex(u.txPublicKey), outputs: [{ globalIndex: 7, oneTimeKey: bytesToHex(u.oneTimeKey), viewTag: u.viewTag, amount: amount.toString(), unlockHeight: 11, commitment: bytesToHex(commit(amount, SCALAR_ONE)) }] };
        expect(matchCoinbase({ viewSecret: me.viewSecret, spendPublic: me.spendPublic }, view).map((m) => m.amount)).toEqual([amount]);
        expect(matchCoinbase({ viewSecret: other.viewSecret, spendPublic: other.spendPublic }, view)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});
