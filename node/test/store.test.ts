import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEvidence, decodeOutputRecord, decodeTip, encodeEvidence, encodeOutputRecord, encodeTip, outputKey, u64be, readU64be } from "../src/store/keys.ts";
import { Store, StoreError } from "../src/store/store.ts";

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const fakeHash = (b: Uint8Array): Uint8Array => new Uint8Array(32).fill(b[0] ?? 0);

describe("store keys", () => {
  it("u64be sorts numerically (property)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (a, b) => {
        const ka = Buffer.from(outputKey(a));
        const kb = Buffer.from(outputKey(b));
        expect(Math.sign(Buffer.compare(ka, kb))).toBe(Math.sign(a - b));
        expect(readU64be(u64be(a))).toBe(a);
      }),
    );
  });
  it("output and tip records round-trip (property)", () => {
    fc.assert(
      fc.property(bytes32, bytes32, fc.nat(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (oneTimeKey, commitment, height, unlockHeight) => {
        const r = { oneTimeKey, commitment, height, unlockHeight };
        expect(decodeOutputRecord(encodeOutputRecord(r))).toEqual(r);
      }),
    );
    fc.assert(
      fc.property(fc.nat(), bytes32, fc.nat(), fc.nat(), fc.nat(), (height, hash, outputs, keyImages, mmrNodes) => {
        const t = { height, hash, outputs, keyImages, mmrNodes };
        expect(decodeTip(encodeTip(t))).toEqual(t);
      }),
    );
  });
});

describe("evidence records (safety failures)", () => {
  const bytes = fc.uint8Array({ maxLength: 300 });
  it("round-trip, and truncated or padded records are refused (property)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), bytes, bytes, bytes, bytes, fc.nat({ max: 1000 }), (height, detectedAtMs, finalizedHeader, finalizedCertificate, conflictingHeader, conflictingCertificate, cut) => {
        const e = { height, detectedAtMs, finalizedHeader, finalizedCertificate, conflictingHeader, conflictingCertificate };
        const b = encodeEvidence(e);
        expect(decodeEvidence(b)).toEqual(e);
        const k = cut % b.length;
        expect(() => decodeEvidence(b.subarray(0, k))).toThrow(RangeError);
        expect(() => decodeEvidence(Uint8Array.from([...b, 0]))).toThrow(RangeError);
      }),
      { numRuns: 200 },
    );
  });
});

describe("store", () => {
  it("commits a block batch atomically and verifies the tip", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-store-"));
    const s = await Store.open(dir, { sync: false });
    expect(s.tip).toBeUndefined();
    await s.verifyTip(fakeHash);
    const b = s.batch();
    const hash = new Uint8Array(32).fill(7);
    b.putGenesisMeta(hash);
    b.putHeader(0, hash, Uint8Array.of(7, 1, 2));
    b.putBlock(0, Uint8Array.of(1));
    b.putCertificate(0, Uint8Array.of(2));
    b.putOutput(0, { oneTimeKey: new Uint8Array(32).fill(1), commitment: new Uint8Array(32).fill(2), height: 0, unlockHeight: 60n });
    b.putCumulativeOutputs(0, 1);
    b.putMmrNode(0, new Uint8Array(32).fill(3));
    b.putKeyImage(new Uint8Array(32).fill(9), 0);
    expect(() => b.putKeyImage(new Uint8Array(32).fill(9), 0)).toThrow(StoreError);
    b.putTx(new Uint8Array(32).fill(5), 0, 0);
    await b.write({ height: 0, hash, outputs: 1, keyImages: 1, mmrNodes: 1 });
    await expect(b.write({ height: 0, hash, outputs: 1, keyImages: 1, mmrNodes: 1 })).rejects.toThrow(StoreError);
    await s.verifyTip(fakeHash);
    expect(await s.getKeyImageHeight(new Uint8Array(32).fill(9))).toBe(0);
    expect(await s.areKeyImagesSpent([new Uint8Array(32).fill(9), new Uint8Array(32)])).toEqual([true, false]);
    expect(s.isKeyImageSpentSync(new Uint8Array(32).fill(9))).toBe(true);
    expect((await s.getOutput(0))?.unlockHeight).toBe(60n);
    expect(s.getOutputSync(1)).toBeUndefined();
    expect(await s.getTxLocation(new Uint8Array(32).fill(5))).toEqual({ height: 0, position: 0 });
    expect(await s.getHeightByHash(hash)).toBe(0);
    expect(await s.getCumulativeOutputsRange(0, 10)).toEqual([1]);
    await s.close();
    const s2 = await Store.open(dir, { sync: false });
    expect(s2.tip?.height).toBe(0);
    await s2.verifyTip(fakeHash);
    // a tip pointing at a wrong hash is detected
    await expect(s2.verifyTip(() => new Uint8Array(32))).rejects.toThrow(/header hash/);
    await s2.close();
  });
});
