/** fast-check arbitraries for consensus data (structurally valid, not cryptographically valid). */
import fc from "fast-check";
import type { Block, BlockHeader, Coinbase, Evidence, FinalityCertificate, Tx, TxStake, Unbond, VoteMessage } from "../../src/types.ts";

export const bytesN = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

export const stakeArb: fc.Arbitrary<TxStake> = fc.record({ validator: bytesN(32), amount: u64, validatorSignature: bytesN(64) });

const txFields = {
  chainId: u32,
  fee: u64,
  inputs: fc.array(fc.record({ ring: fc.array(u64, { maxLength: 12 }), keyImage: bytesN(32), pseudoOut: bytesN(32) }), { maxLength: 3 }),
  outputs: fc.array(fc.record({ oneTimeKey: bytesN(32), commitment: bytesN(32), viewTag: fc.integer({ min: 0, max: 255 }), encryptedAmount: bytesN(8) }), { maxLength: 3 }),
  txPublicKeys: fc.array(bytesN(32), { maxLength: 3 }),
  rangeProof: fc.uint8Array({ maxLength: 300 }),
  signatures: fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 3 }),
  powNonce: u64,
};

/** Any version but 2 without a stake field, or version 2 (bond) with one. */
export const txArb: fc.Arbitrary<Tx> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ version: u32.filter((v) => v !== 2), ...txFields }) },
  { weight: 1, arbitrary: fc.record({ version: fc.constant(2), stake: stakeArb, ...txFields }) },
);

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
  blockTarget: bytesN(32),
  validatorsHash: bytesN(32),
  nextValidatorsHash: bytesN(32),
  lastCertificateHash: bytesN(32),
  evidenceRoot: bytesN(32),
  stakingRoot: bytesN(32),
  headerRoot: bytesN(32),
  superParentsRoot: bytesN(32),
  keyImageRoot: bytesN(32),
  stakingStateHash: bytesN(32),
  powNonce: u64,
});

export const coinbaseArb: fc.Arbitrary<Coinbase> = fc.record({
  height: u64,
  txPublicKey: bytesN(32),
  outputs: fc.array(fc.record({ oneTimeKey: bytesN(32), viewTag: fc.integer({ min: 0, max: 255 }), amount: u64, unlockHeight: u64 }), { maxLength: 4 }),
});

export const certArb: fc.Arbitrary<FinalityCertificate> = fc.record({
  height: u64,
  round: u32,
  blockHash: bytesN(32),
  votes: fc.array(fc.record({ validator: bytesN(32), signature: bytesN(64) }), { maxLength: 4 }),
});

export const voteArb: fc.Arbitrary<VoteMessage> = fc.record({
  kind: fc.constantFrom("prevote" as const, "precommit" as const),
  chainId: u32,
  height: u64,
  round: u32,
  blockHash: bytesN(32),
  validator: bytesN(32),
  signature: bytesN(64),
});

export const unbondArb: fc.Arbitrary<Unbond> = fc.record({
  validator: bytesN(32),
  amount: u64,
  oneTimeKey: bytesN(32),
  viewTag: fc.integer({ min: 0, max: 255 }),
  txPublicKey: bytesN(32),
  signature: bytesN(64),
});

export const evidenceArb: fc.Arbitrary<Evidence> = fc.oneof(
  fc.record({ kind: fc.constant("duplicate-vote" as const), voteA: voteArb, voteB: voteArb }),
  fc.record({ kind: fc.constant("invalid-attestation" as const), vote: voteArb, block: fc.uint8Array({ maxLength: 300 }) }),
);

export const blockArb: fc.Arbitrary<Block> = fc.record({
  header: headerArb,
  coinbase: coinbaseArb,
  txs: fc.array(txArb, { maxLength: 3 }),
  lastCertificate: certArb,
  unbonds: fc.array(unbondArb, { maxLength: 2 }),
  evidence: fc.array(evidenceArb, { maxLength: 2 }),
});
