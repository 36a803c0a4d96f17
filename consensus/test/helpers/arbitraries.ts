/** fast-check arbitraries for consensus data (structurally valid, not cryptographically valid). */
import fc from "fast-check";
import type { Block, BlockHeader, Coinbase, FinalityCertificate, Tx } from "../../src/types.ts";

export const bytesN = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

export const txArb: fc.Arbitrary<Tx> = fc.record({
  version: u32,
  chainId: u32,
  fee: u64,
  inputs: fc.array(fc.record({ ring: fc.array(u64, { maxLength: 12 }), keyImage: bytesN(32), pseudoOut: bytesN(32) }), { maxLength: 3 }),
  outputs: fc.array(fc.record({ oneTimeKey: bytesN(32), commitment: bytesN(32), viewTag: fc.integer({ min: 0, max: 255 }), encryptedAmount: bytesN(8) }), { maxLength: 3 }),
  txPublicKeys: fc.array(bytesN(32), { maxLength: 3 }),
  rangeProof: fc.uint8Array({ maxLength: 300 }),
  signatures: fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 3 }),
  powNonce: u64,
});

export const headerArb: fc.Arbitrary<BlockHeader> = fc.record({
  version: u32,
  chainId: u32,
  height: u64,
  parentHash: bytesN(32),
  timeMs: u64,
  txRoot: bytesN(32),
  outputRoot: bytesN(32),
  outputCount: u64,
  txPowTarget: bytesN(32),
  validatorsHash: bytesN(32),
  proposer: bytesN(32),
});

export const coinbaseArb: fc.Arbitrary<Coinbase> = fc.record({
  height: u64,
  txPublicKey: bytesN(32),
  outputs: fc.array(fc.record({ oneTimeKey: bytesN(32), viewTag: fc.integer({ min: 0, max: 255 }), amount: u64, unlockHeight: u64 }), { maxLength: 4 }),
});

export const blockArb: fc.Arbitrary<Block> = fc.record({ header: headerArb, coinbase: coinbaseArb, txs: fc.array(txArb, { maxLength: 3 }) });

export const certArb: fc.Arbitrary<FinalityCertificate> = fc.record({
  height: u64,
  round: u32,
  blockHash: bytesN(32),
  votes: fc.array(fc.record({ validator: bytesN(32), signature: bytesN(64) }), { maxLength: 4 }),
});
