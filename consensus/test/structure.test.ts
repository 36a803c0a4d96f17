import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkTxStructure, decodeAndCheckTx, mlsagSignatureLength } from "../src/validation/structure.ts";
import { ConsensusError, CONSENSUS_ERROR_CODES, CONSENSUS_ERRORS } from "../src/errors.ts";
import { encodeTx } from "../src/encoding/wire.ts";
import type { ChainParams } from "../src/params.ts";
import type { Tx } from "../src/types.ts";
import { GROUP_ORDER } from "../src/encoding/bytes.ts";

const params: ChainParams = {
  chainId: 7,
  minRingSize: 11,
  maxRingSize: 16,
  minFee: 100_000n,
  maxTxBytes: 65_536,
  maxInputs: 16,
  maxOutputs: 16,
  maxBlockBytes: 4 << 20,
  maxBlockTxs: 2000,
  coinbaseMaturity: 60n,
  blockTimeMs: 10_000,
  maxFutureBlockTimeMs: 30_000,
  txPowTarget: new Uint8Array(32).fill(0xff),
  blockTarget: new Uint8Array(32).fill(0xff),
  blockTargetMax: new Uint8Array(32).fill(0xff),
  epochLength: 10n,
  unbondingDelay: 20n,
  minStake: 1n,
  maxValidators: 100,
  downtimeThresholdPermille: 500,
};
const b = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

function baseTx(nIn = 2, nOut = 2, ring = 11): Tx {
  return {
    version: 1,
    chainId: 7,
    fee: 100_000n,
    inputs: Array.from({ length: nIn }, (_, i) => ({ ring: Array.from({ length: ring }, (_, j) => BigInt(i * 100 + j)), keyImage: b(32, i + 1), pseudoOut: b(32, 50 + i) })),
    outputs: Array.from({ length: nOut }, (_, j) => ({ oneTimeKey: b(32, 100 + j), commitment: b(32, 150 + j), viewTag: j, encryptedAmount: b(8, j) })),
    txPublicKeys: [b(32, 9)],
    rangeProof: b(100, 1),
    signatures: Array.from({ length: nIn }, () => b(mlsagSignatureLength(ring), 0)),
    powNonce: 0n,
  };
}
const codeOf = (tx: Tx): string => {
  try {
    checkTxStructure(tx, params);
    return "OK";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
};

describe("checkTxStructure", () => {
  it("accepts a well-formed tx", () => expect(codeOf(baseTx())).toBe("OK"));
  it("each rule has its code", () => {
    expect(codeOf({ ...baseTx(), version: 3 })).toBe("TX_UNSUPPORTED_VERSION");
    expect(codeOf({ ...baseTx(), version: 0 })).toBe("TX_UNSUPPORTED_VERSION");
    const stake = { validator: new Uint8Array(32).fill(1), amount: 5n, validatorSignature: new Uint8Array(64) };
    expect(codeOf({ ...baseTx(), version: 2, stake })).toBe("OK");
    expect(codeOf({ ...baseTx(), version: 2 })).toBe("TX_BAD_STAKE");
    expect(codeOf({ ...baseTx(), version: 1, stake })).toBe("TX_BAD_STAKE");
    expect(codeOf({ ...baseTx(), version: 2, stake: { ...stake, amount: 0n } })).toBe("TX_BAD_STAKE");
    expect(codeOf({ ...baseTx(), version: 2, fee: 1n << 63n, stake: { ...stake, amount: 1n << 63n } })).toBe("TX_BAD_STAKE");
    expect(codeOf({ ...baseTx(), chainId: 8 })).toBe("TX_WRONG_CHAIN");
    expect(codeOf({ ...baseTx(), inputs: [], signatures: [] })).toBe("TX_INPUT_COUNT");
    expect(codeOf(baseTx(17))).toBe("TX_INPUT_COUNT");
    expect(codeOf({ ...baseTx(), outputs: [] })).toBe("TX_OUTPUT_COUNT");
    expect(codeOf(baseTx(1, 17))).toBe("TX_OUTPUT_COUNT");
    expect(codeOf({ ...baseTx(1, 3), txPublicKeys: [b(32, 1), b(32, 2)] })).toBe("TX_PUBLIC_KEY_COUNT");
    expect(codeOf({ ...baseTx(1, 3), txPublicKeys: [b(32, 1), b(32, 2), b(32, 3)] })).toBe("OK");
    expect(codeOf({ ...baseTx(), fee: 99_999n })).toBe("TX_FEE_TOO_LOW");
    expect(codeOf(baseTx(1, 1, 10))).toBe("TX_RING_TOO_SMALL");
    expect(codeOf(baseTx(1, 1, 17))).toBe("TX_RING_TOO_LARGE");
    const dup = baseTx();
    dup.inputs[0]!.ring[5] = dup.inputs[0]!.ring[4]!;
    expect(codeOf(dup)).toBe("TX_RING_DUPLICATE_MEMBER");
    const unsorted = baseTx();
    unsorted.inputs[0]!.ring.reverse();
    expect(codeOf(unsorted)).toBe("TX_RING_NOT_SORTED");
    const ki = baseTx();
    ki.inputs[1]!.keyImage = ki.inputs[0]!.keyImage;
    expect(codeOf(ki)).toBe("TX_KEY_IMAGE_DUPLICATE");
    const ok = baseTx();
    ok.outputs[1]!.oneTimeKey = ok.outputs[0]!.oneTimeKey;
    expect(codeOf(ok)).toBe("TX_DUPLICATE_OUTPUT_KEY");
    expect(codeOf({ ...baseTx(), rangeProof: new Uint8Array(0) })).toBe("TX_RANGE_PROOF_MISSING");
    expect(codeOf({ ...baseTx(), signatures: [b(mlsagSignatureLength(11), 0)] })).toBe("TX_SIGNATURE_COUNT");
    expect(codeOf({ ...baseTx(), signatures: [b(mlsagSignatureLength(11), 0), b(mlsagSignatureLength(11) - 1, 0)] })).toBe("TX_SIGNATURE_LENGTH");
  });
  it("rejects any non-canonical scalar in any signature position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 22 }), fc.bigInt({ min: GROUP_ORDER, max: (1n << 256n) - 1n }), (slot, v) => {
        const tx = baseTx(1, 1);
        const sig = tx.signatures[0]!;
        for (let i = 0; i < 32; i++) sig[slot * 32 + i] = Number((v >> BigInt(8 * i)) & 0xffn);
        expect(codeOf(tx)).toBe("TX_NON_CANONICAL_SCALAR");
      }),
      { numRuns: 100 },
    );
  });
  it("decodeAndCheckTx checks size before decoding", () => {
    const bytes = encodeTx(baseTx());
    expect(decodeAndCheckTx(bytes, params).fee).toBe(100_000n);
    expect(() => decodeAndCheckTx(bytes, { ...params, maxTxBytes: bytes.length - 1 })).toThrow(/TX_OVERSIZED/);
  });
});

describe("ConsensusError", () => {
  it("round-trips through JSON and structuredClone of toJSON", () => {
    for (const code of CONSENSUS_ERROR_CODES) {
      const e = new ConsensusError(code, "why", { index: 3 });
      expect(e.action).toBe(CONSENSUS_ERRORS[code][0]);
      const back = ConsensusError.fromJSON(structuredClone(e.toJSON()));
      expect(back).toBeInstanceOf(ConsensusError);
      expect(back.toJSON()).toEqual(e.toJSON());
    }
    expect(() => ConsensusError.fromJSON({ name: "ConsensusError", code: "NOPE", reason: "" })).toThrow(TypeError);
  });
  it("withContext keeps the code and sets the action", () => {
    const e = new ConsensusError("TX_RING_MEMBER_UNKNOWN", "x").withContext("txs[2]", { action: "REJECT", index: 2 });
    expect(e.code).toBe("TX_RING_MEMBER_UNKNOWN");
    expect(e.action).toBe("REJECT");
    expect(e.reason).toBe("txs[2]: x");
  });
});
