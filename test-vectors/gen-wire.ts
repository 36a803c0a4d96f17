/**
 * Generator of `test-vectors/wire.json`: golden wire bytes (docs/protocol.md §10) of a devnet
 * genesis, a transaction, a bond transaction, a block header (v2) and its PoW, a block (with the
 * parent's certificate, an unbond and evidence), a finality certificate, two vote messages, an
 * unbond request and two evidence items, each with its hashes, retarget cases, plus invalid
 * encodings with the expected error codes.
 *
 * Everything is deterministic: keys, tx secrets and the signing and proving randomness come from
 * `SHA-512("BAIOS/v1/test-vectors/wire.json/" ‖ label)[0..32]`; the Tx-PoW nonce is the first
 * that meets the target counting from 0, and so is the block's PoW nonce; Ed25519 is
 * deterministic (RFC 8032). The data is real: the txs spend genesis outputs with rings of 11 and
 * valid MLSAGs, range proofs and Tx-PoW (the bond with its validator's consent); block 1 passes
 * `validateBlock` against the genesis; the certificate, unbond and evidence signatures verify.
 *
 * Run `node test-vectors/gen-wire.ts` to rewrite the file; `test-vectors/test/wire.test.ts`
 * regenerates it in memory and fails if it differs from the committed file (drift check).
 * @module
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarAdd, scalarMultBase,
  scalarSub, txPowHash, txPowMine, walletKeysFromSeed, type WalletKeys,
} from "@baios/crypto";
import {
  assembleBlock, bigIntToTarget, blockHash, bondConsentMessage, buildGenesisBlock, certificateFromVotes, certificateHash, coinbaseHash,
  devnetGenesis, encodeBlock, encodeCertificate, encodeEvidence, encodeHeader, encodeTx, encodeUnbond, encodeVoteMessage,
  evidenceLeafHash, evidenceRoot, genesisCertificate, genesisToFile, meetsTarget, MemoryMmrBackend, mineBlock, Mmr, nextBlockTarget,
  outputLeaves, powLevel, precommitMessage, SCALAR_ONE, signVote, stakingRoot, targetToBigInt, toHex, txId, txRoot, txSigningHash,
  unbondLeafHash, unbondMessage, validateBlock, validateTx, voteMessage, type ChainView, type Evidence, type OutputRecord, type Tx,
  type Unbond, type VoteMessage, headerLeafHash, MemoryKisetBackend, emptySuperParents, nextSuperParents, HEADER_BYTES,
  applyStakingBlock, genesisStakingState, stakingStateHash, type StakingParams,
} from "@baios/consensus";

/** File name of the vectors. */
export const WIRE_VECTOR_FILE = "wire.json";

const ATOMIC = 100_000_000n;

/** The deterministic 32-byte seed of `label`. */
export function wireSeed(label: string): Uint8Array {
  return new Uint8Array(createHash("sha512").update(`BAIOS/v1/test-vectors/wire.json/${label}`).digest().subarray(0, 32));
}

/** Devnet Tx-PoW target of the vectors: `00ff…ff` (one hash in 256 meets it). */
const TARGET = new Uint8Array(32).fill(0xff);
TARGET[0] = 0;

type Case = Record<string, unknown>;
interface Group {
  type: string;
  tests: Case[];
}

/** Copy of `b` with `u32le(v)` written at `at`. */
function setU32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, v, true);
  return c;
}
const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
};

/**
 * Builds the whole vector file (a JSON-ready object, keys in output order).
 * @throws Error when the generated data does not validate (a bug in the generator or consensus)
 */
export async function generateWireVectors(): Promise<Record<string, unknown>> {
  // ---- genesis: 12 outputs to alice (ring of 11 + change room), one validator
  const a = walletKeysFromSeed(wireSeed("alice"));
  const b = walletKeysFromSeed(wireSeed("bob"));
  const validatorSeed = wireSeed("validator");
  const validatorKey = ed25519PublicKey(validatorSeed);
  const genesis = devnetGenesis({
    wallets: Array.from({ length: 12 }, (_, i) => ({ label: `alice ${i}`, address: { viewPublic: a.viewPublic, spendPublic: a.spendPublic }, amount: (1000n + BigInt(i)) * ATOMIC })),
    validators: [{ publicKey: validatorKey, stake: 10_000n * ATOMIC }],
    params: { txPowTarget: TARGET },
    chainName: "baios-wire-vectors",
  });
  const params = genesis.params;
  const g = await buildGenesisBlock(genesis);
  const outputs: OutputRecord[] = g.newOutputs;
  const mmr = new Mmr(new MemoryMmrBackend());
  await mmr.append(outputLeaves(outputs));
  // what block 1 commits to: the header MMR of genesis's hash, the pointers after genesis, the empty key-image set
  const headerRoot = (await new Mmr(new MemoryMmrBackend()).append([headerLeafHash(0n, g.hash)])).root;
  const superParents = nextSuperParents(emptySuperParents(), g.block.header, g.hash);
  const kiset = new MemoryKisetBackend();
  const view: ChainView & { areOneTimeKeysUsed(keys: readonly Uint8Array[]): boolean[] } = {
    height: 0n,
    getOutputs: (idx) => idx.map((i) => outputs[Number(i)]),
    isKeyImageSpent: () => false,
    areOneTimeKeysUsed: (keys) => keys.map((k) => outputs.some((o) => toHex(o.oneTimeKey) === toHex(k))),
  };

  let tc = 0;
  const valid = (comment: string, fields: Case): Case => ({ tcId: ++tc, comment, flags: [], result: "valid", ...fields });
  const invalid = (comment: string, flags: string[], error: string, fields: Case): Case => ({ tcId: ++tc, comment, flags, result: "invalid", error, ...fields });

  // ---- 1-in/2-out txs, ring of 11 (genesis outputs 0..10): a transfer spending output 7, a bond spending output 3
  const ring = Array.from({ length: 11 }, (_, i) => BigInt(i));
  const members = ring.map((i) => outputs[Number(i)] as OutputRecord);
  const fee = params.minFee;
  const toBob = 250n * ATOMIC;
  const bonded = 100n * ATOMIC;
  /** A signed and mined tx spending genesis output `spend`; with `stake`, a version-2 bond the validator consents to. */
  const spendTx = (spend: number, label: string, stake?: bigint): Tx => {
    const spent = outputs[spend] as OutputRecord;
    const amountIn = (1000n + BigInt(spend)) * ATOMIC;
    const change = amountIn - toBob - fee - (stake ?? 0n);
    const r = randomScalar(wireSeed(`${label} secret`));
    const made = [makeOutput(r, b.viewPublic, b.spendPublic, 0, toBob), makeOutput(r, a.viewPublic, a.spendPublic, 1, change)];
    const pseudoMask = scalarAdd(made[0]!.mask, made[1]!.mask);
    const pseudoOut = commit(amountIn, pseudoMask);
    const x = oneTimeSecret(a.viewSecret, a.spendSecret, g.block.coinbase.txPublicKey, spend);
    const unsigned: Tx = {
      version: stake === undefined ? 1 : 2,
      chainId: params.chainId,
      fee,
      inputs: [{ ring, keyImage: keyImage(x, spent.oneTimeKey), pseudoOut }],
      outputs: made.map((m) => ({ oneTimeKey: m.oneTimeKey, commitment: m.commitment, viewTag: m.viewTag, encryptedAmount: m.encryptedAmount })),
      txPublicKeys: [scalarMultBase(r)],
      rangeProof: rangeProve([toBob, change], made.map((m) => m.mask), wireSeed(label === "tx" ? "range proof" : `${label} range proof`)),
      signatures: [],
      powNonce: 0n,
    };
    if (stake !== undefined) {
      unsigned.stake = { validator: validatorKey, amount: stake, validatorSignature: new Uint8Array(64) };
      unsigned.stake.validatorSignature = ed25519Sign(validatorSeed, bondConsentMessage(unsigned));
    }
    const signature = mlsagSign(
      { message: txSigningHash(unsigned), ringKeys: members.map((m) => m.oneTimeKey), ringCommitments: members.map((m) => m.commitment), pseudoOut },
      spend,
      x,
      scalarSub(SCALAR_ONE, pseudoMask),
      wireSeed(label === "tx" ? "mlsag" : `${label} mlsag`),
    );
    const signed: Tx = { ...unsigned, signatures: [signature] };
    const nonce = txPowMine(txId(signed), TARGET, 0n, 1_000_000);
    if (nonce === undefined) throw new Error("no Tx-PoW nonce found");
    return { ...signed, powNonce: nonce };
  };
  const tx = spendTx(7, "tx");
  await validateTx(tx, view, params);
  const txBytes = encodeTx(tx);
  const txid = txId(tx);
  const bond = spendTx(3, "bond", bonded);
  await validateTx(bond, view, params);
  const bondBytes = encodeTx(bond);

  // ---- an unbond (payout to bob) and duplicate-vote evidence, both by the validator
  const unbondOf = (k: WalletKeys, amount: bigint, label: string): Unbond => {
    const ur = randomScalar(wireSeed(label));
    const m = makeOutput(ur, k.viewPublic, k.spendPublic, 0, amount);
    const u = { validator: validatorKey, amount, oneTimeKey: m.oneTimeKey, viewTag: m.viewTag, txPublicKey: scalarMultBase(ur) };
    return { ...u, signature: ed25519Sign(validatorSeed, unbondMessage(params.chainId, u)) };
  };
  const unbond = unbondOf(b, 40n * ATOMIC, "unbond secret");
  const vmOf = (v: ReturnType<typeof signVote>): VoteMessage => ({ ...v, chainId: params.chainId });
  const dup: Evidence = {
    kind: "duplicate-vote",
    voteA: vmOf(signVote(validatorSeed, "prevote", params.chainId, 1n, 0, new Uint8Array(32).fill(0x11))),
    voteB: vmOf(signVote(validatorSeed, "prevote", params.chainId, 1n, 0, new Uint8Array(32).fill(0x22))),
  };

  // ---- the staking state after block 1 (bond, unbond, slash of the duplicate-vote offender): its hash goes in the header
  const stakingParams: StakingParams = {
    epochLength: params.epochLength, unbondingDelay: params.unbondingDelay, minStake: params.minStake, maxValidators: params.maxValidators,
    downtimeThresholdPermille: params.downtimeThresholdPermille, equivocationBurnPermille: 1000, invalidAttestationBurnPermille: 100,
  };
  const staking1 = applyStakingBlock(genesisStakingState(genesis.validators, stakingParams), {
    height: 1n,
    bonds: [{ validator: validatorKey, amount: bonded }],
    unbonds: [{ validator: unbond.validator, amount: unbond.amount, oneTimeKey: unbond.oneTimeKey, viewTag: unbond.viewTag, txPublicKey: unbond.txPublicKey }],
    slashes: [{ offender: validatorKey, kind: "duplicate-vote" }],
    lastCertificateSigners: [],
  }, stakingParams).state;
  const staking1Hash = stakingStateHash(staking1);
  // ---- block 1 with those txs, the genesis certificate, the unbond and the evidence; mined from nonce 0
  const asm = await assembleBlock({
    params, parent: g.block.header, mmr, headerRoot, superParents, kiset, txs: [tx, bond], timeMs: genesis.timeMs + BigInt(params.blockTimeMs),
    blockTarget: nextBlockTarget(g.block.header, undefined, params), nextValidatorsHash: g.block.header.nextValidatorsHash,
    stakingStateHash: staking1Hash, lastCertificate: genesisCertificate(g.hash), unbonds: [unbond], evidence: [dup],
    rewardTo: { viewPublic: b.viewPublic, spendPublic: b.spendPublic }, coinbaseSecret: randomScalar(wireSeed("coinbase secret")),
  });
  const mined = mineBlock(asm.block.header, { maxTries: 1 << 24, startNonce: 0n });
  if (mined === undefined) throw new Error("no block PoW nonce found");
  asm.block.header = mined;
  await validateBlock(asm.block, {
    params, parent: g.block.header, grandparentTimeMs: undefined, view, mmr, expectedNextValidatorsHash: g.block.header.nextValidatorsHash,
    expectedStakingStateHash: staking1Hash, expectedHeaderRoot: headerRoot, superParents, kiset,
    verifyLastCertificate: () => {
      throw new Error("not called for a genesis parent");
    },
  });
  const block = asm.block;
  const hash = blockHash(block.header);
  const blockBytes = encodeBlock(block);
  const headerBytes = encodeHeader(block.header);
  let failing = mined.powNonce + 1n;
  while (meetsTarget(blockHash({ ...mined, powNonce: failing }), mined.blockTarget)) failing++;
  const unminedHeaderBytes = encodeHeader({ ...mined, powNonce: failing });
  const precommit = signVote(validatorSeed, "precommit", params.chainId, 1n, 0, hash);
  const prevote = signVote(validatorSeed, "prevote", params.chainId, 1n, 0, hash);
  const cert = certificateFromVotes(1n, 0, hash, [precommit]);
  const certBytes = encodeCertificate(cert);
  const vm = (v: typeof prevote): VoteMessage => ({ ...v, chainId: params.chainId });
  const prevoteBytes = encodeVoteMessage(vm(prevote));
  const precommitBytes = encodeVoteMessage(vm(precommit));
  const unbondBytes = encodeUnbond(unbond);
  const dupBytes = encodeEvidence(dup);
  const attest: Evidence = { kind: "invalid-attestation", vote: vm(precommit), block: blockBytes };
  const attestBytes = encodeEvidence(attest);

  // ---- retarget cases (docs/protocol.md §5.2) from block 1's target
  const T = BigInt(params.blockTimeMs);
  const retargetCase = (comment: string, parentTarget: bigint, dtMs: bigint, max: bigint) => {
    const p = { ...params, blockTargetMax: bigIntToTarget(max) };
    const parent = { ...block.header, height: 5n, blockTarget: bigIntToTarget(parentTarget), timeMs: 1_000_000n };
    return valid(comment, {
      parentTarget: toHex(parent.blockTarget), parentTimeMs: "1000000", grandparentTimeMs: (1_000_000n - dtMs).toString(), blockTimeMs: params.blockTimeMs,
      blockTargetMax: toHex(p.blockTargetMax), nextTarget: toHex(nextBlockTarget(parent, 1_000_000n - dtMs, p)),
    });
  };
  const genesisBytes = encodeBlock(g.block);
  const MAX_TX = params.maxTxBytes;
  const MAX_BLOCK = params.maxBlockBytes;

  // byte offsets used by the invalid cases (docs/protocol.md §10.1, §10.3, §10.4)
  const ringCountAt = 20; // version 4 ‖ chainId 4 ‖ fee 8 ‖ nIn 4
  const rangeProofLenAt = 20 + 4 + 8 * 11 + 64 + 4 + 2 * 73 + 4 + 32;
  const nTxAt = HEADER_BYTES + 44 + 49 * block.coinbase.outputs.length;
  const certAt = nTxAt + 4 + 4 + txBytes.length + 4 + bondBytes.length;
  const nUnbondAt = certAt + 48 + 96 * block.lastCertificate.votes.length;
  const nEvidenceAt = nUnbondAt + 4 + 169;

  const groups: Group[] = [
    {
      type: "GenesisWire",
      tests: [
        valid("devnet genesis: the file and the wire bytes of its genesis block (12 premine outputs to one address, one validator)", {
          genesisFile: genesisToFile(genesis),
          block: toHex(genesisBytes),
          blockHash: toHex(g.hash),
          coinbaseHash: toHex(coinbaseHash(g.block.coinbase)),
          txRoot: toHex(g.block.header.txRoot),
          outputRoot: toHex(g.block.header.outputRoot),
          validatorsHash: toHex(g.block.header.validatorsHash),
        }),
      ],
    },
    {
      type: "TxWire",
      tests: [
        valid("1 input (ring of 11 genesis outputs), 2 outputs, one tx public key; MLSAG, Bulletproofs+ and Tx-PoW valid", {
          tx: toHex(txBytes),
          maxBytes: MAX_TX,
          txid: toHex(txid),
          signingHash: toHex(txSigningHash(tx)),
          txPowTarget: toHex(TARGET),
          powHash: toHex(txPowHash(txid, tx.powNonce)),
          rings: [members.map((m) => ({ globalIndex: m.globalIndex.toString(), key: toHex(m.oneTimeKey), commitment: toHex(m.commitment) }))],
        }),
        valid("bond (version 2): 100 BAI staked to the validator, its Ed25519 consent over the bond message; balance Σ pseudoOut = Σ out + (fee + stake)·H", {
          tx: toHex(bondBytes),
          maxBytes: MAX_TX,
          txid: toHex(txId(bond)),
          signingHash: toHex(txSigningHash(bond)),
          consentMessage: toHex(bondConsentMessage(bond)),
          txPowTarget: toHex(TARGET),
          powHash: toHex(txPowHash(txId(bond), bond.powNonce)),
          rings: [members.map((m) => ({ globalIndex: m.globalIndex.toString(), key: toHex(m.oneTimeKey), commitment: toHex(m.commitment) }))],
        }),
        invalid("bond truncated inside its stake field", ["Truncated"], "TX_MALFORMED", { tx: toHex(bondBytes.subarray(0, 60)), maxBytes: MAX_TX }),
        invalid("truncated: last byte of the PoW nonce missing", ["Truncated"], "TX_MALFORMED", { tx: toHex(txBytes.subarray(0, txBytes.length - 1)), maxBytes: MAX_TX }),
        invalid("one trailing byte", ["TrailingBytes"], "TX_MALFORMED", { tx: toHex(cat(txBytes, Uint8Array.of(0))), maxBytes: MAX_TX }),
        invalid("a transparent amount (u64) appended: no field can carry it", ["TrailingBytes"], "TX_MALFORMED", { tx: toHex(cat(txBytes, new Uint8Array(8).fill(1))), maxBytes: MAX_TX }),
        invalid("inputs[0].ring count 70000 exceeds the remaining bytes", ["CountOverflow"], "TX_MALFORMED", { tx: toHex(setU32(txBytes, ringCountAt, 70_000)), maxBytes: MAX_TX }),
        invalid("input count 2^32-1", ["CountOverflow"], "TX_MALFORMED", { tx: toHex(setU32(txBytes, 16, 0xffff_ffff)), maxBytes: MAX_TX }),
        invalid("range proof length 2^32-1 exceeds the remaining bytes", ["LengthOverflow"], "TX_MALFORMED", { tx: toHex(setU32(txBytes, rangeProofLenAt, 0xffff_ffff)), maxBytes: MAX_TX }),
        invalid("range proof length one byte short: the rest misparses and ends in a truncation or trailing bytes", ["LengthMismatch"], "TX_MALFORMED", { tx: toHex(setU32(txBytes, rangeProofLenAt, tx.rangeProof.length - 1)), maxBytes: MAX_TX }),
        invalid("valid bytes over a size limit one byte smaller (checked before decoding)", ["Oversized"], "TX_OVERSIZED", { tx: toHex(txBytes), maxBytes: txBytes.length - 1 }),
        invalid("empty input", ["Truncated"], "TX_MALFORMED", { tx: "", maxBytes: MAX_TX }),
      ],
    },
    {
      type: "HeaderWire",
      tests: [
        valid("header of block 1 (version 2, 456 bytes)", { header: toHex(headerBytes), blockHash: toHex(hash) }),
        invalid("359 bytes", ["Truncated"], "BLOCK_MALFORMED", { header: toHex(headerBytes.subarray(0, 359)) }),
        invalid("361 bytes", ["TrailingBytes"], "BLOCK_MALFORMED", { header: toHex(cat(headerBytes, Uint8Array.of(0))) }),
      ],
    },
    {
      type: "BlockPow",
      tests: [
        valid("block 1's header: its hash (the PoW hash) is ≤ its blockTarget; the first such nonce from 0", {
          header: toHex(headerBytes), blockHash: toHex(hash), blockTarget: toHex(mined.blockTarget), powLevel: powLevel(hash, mined.blockTarget),
        }),
        invalid("the same header with the first later nonce whose hash is above the target", ["PowAboveTarget"], "BLOCK_BAD_POW", {
          header: toHex(unminedHeaderBytes), blockHash: toHex(blockHash({ ...mined, powNonce: failing })), blockTarget: toHex(mined.blockTarget),
        }),
      ],
    },
    {
      type: "Retarget",
      tests: [
        retargetCase("Δ = blockTimeMs: the target stays", targetToBigInt(mined.blockTarget), T, targetToBigInt(params.blockTargetMax)),
        retargetCase("Δ = 0 (clamped from 1 ms): 7/8 of the target, rounded down", targetToBigInt(mined.blockTarget), 1n, targetToBigInt(params.blockTargetMax)),
        retargetCase("Δ = -5 s (clamped to 0)", targetToBigInt(mined.blockTarget), -5_000n, targetToBigInt(params.blockTargetMax)),
        retargetCase("Δ = 10·T (clamped to 4T): 11/8 of the target", targetToBigInt(mined.blockTarget) / 4n + 12_345n, 10n * T, targetToBigInt(params.blockTargetMax)),
        retargetCase("Δ = 1.5·T: 17/16 of the target", 1n << 200n, (3n * T) / 2n, targetToBigInt(params.blockTargetMax)),
        retargetCase("capped at blockTargetMax", targetToBigInt(params.blockTargetMax) - 5n, 2n * T, targetToBigInt(params.blockTargetMax)),
        retargetCase("never below 1", 1n, 1n, targetToBigInt(params.blockTargetMax)),
      ],
    },
    {
      type: "BlockWire",
      tests: [
        valid("block 1: coinbase (reward + fees to one address), the tx and the bond above, genesis's empty-vote certificate, one unbond, one duplicate-vote evidence", {
          block: toHex(blockBytes),
          maxBytes: MAX_BLOCK,
          chainId: params.chainId,
          blockHash: toHex(hash),
          coinbaseHash: toHex(coinbaseHash(block.coinbase)),
          txRoot: toHex(txRoot(block.coinbase, block.txs)),
          txids: [toHex(txid), toHex(txId(bond))],
          lastCertificateHash: toHex(certificateHash(block.lastCertificate)),
          stakingRoot: toHex(stakingRoot(block.unbonds)),
          evidenceRoot: toHex(evidenceRoot(block.evidence)),
          parentHeader: toHex(encodeHeader(g.block.header)),
        }),
        invalid("truncated inside the header", ["Truncated"], "BLOCK_MALFORMED", { block: toHex(blockBytes.subarray(0, 100)), maxBytes: MAX_BLOCK }),
        invalid("truncated: last byte missing", ["Truncated"], "BLOCK_MALFORMED", { block: toHex(blockBytes.subarray(0, blockBytes.length - 1)), maxBytes: MAX_BLOCK }),
        invalid("one trailing byte", ["TrailingBytes"], "BLOCK_MALFORMED", { block: toHex(cat(blockBytes, Uint8Array.of(0))), maxBytes: MAX_BLOCK }),
        invalid("tx count 2^32-1", ["CountOverflow"], "BLOCK_MALFORMED", { block: toHex(setU32(blockBytes, nTxAt, 0xffff_ffff)), maxBytes: MAX_BLOCK }),
        invalid("txs[0] length one more than its bytes, one byte appended (the tx must fill its length exactly)", ["LengthMismatch"], "BLOCK_MALFORMED", {
          block: toHex(cat(setU32(blockBytes, nTxAt + 4, txBytes.length + 1), Uint8Array.of(0))), maxBytes: MAX_BLOCK,
        }),
        invalid("valid bytes over a size limit one byte smaller", ["Oversized"], "BLOCK_OVERSIZED", { block: toHex(blockBytes), maxBytes: blockBytes.length - 1 }),
        invalid("last certificate vote count 2^32-1", ["CountOverflow"], "BLOCK_MALFORMED", { block: toHex(setU32(blockBytes, certAt + 44, 0xffff_ffff)), maxBytes: MAX_BLOCK }),
        invalid("unbond count 2", ["CountOverflow"], "BLOCK_MALFORMED", { block: toHex(setU32(blockBytes, nUnbondAt, 2)), maxBytes: MAX_BLOCK }),
        invalid("evidence[0] of kind 3", ["UnknownKind"], "BLOCK_MALFORMED", { block: toHex(Uint8Array.from(blockBytes, (x, i) => (i === nEvidenceAt + 4 ? 3 : x))), maxBytes: MAX_BLOCK }),
      ],
    },
    {
      type: "UnbondWire",
      tests: [
        valid("unbond of 40 BAI by the validator, paid to bob (one-time key of output 0 of a fresh tx key)", {
          unbond: toHex(unbondBytes), chainId: params.chainId, signedMessage: toHex(unbondMessage(params.chainId, unbond)), leafHash: toHex(unbondLeafHash(unbond)),
        }),
        invalid("168 bytes", ["Truncated"], "BLOCK_MALFORMED", { unbond: toHex(unbondBytes.subarray(0, 168)), chainId: params.chainId }),
        invalid("170 bytes", ["TrailingBytes"], "BLOCK_MALFORMED", { unbond: toHex(cat(unbondBytes, Uint8Array.of(0))), chainId: params.chainId }),
      ],
    },
    {
      type: "EvidenceWire",
      tests: [
        valid("duplicate vote: two prevotes of the validator at height 1, round 0, block hashes 11…11 < 22…22", { evidence: toHex(dupBytes), chainId: params.chainId, leafHash: toHex(evidenceLeafHash(dup)) }),
        valid("invalid attestation: the validator's precommit for block 1 and block 1's bytes", { evidence: toHex(attestBytes), chainId: params.chainId, leafHash: toHex(evidenceLeafHash(attest)) }),
        invalid("kind 3", ["UnknownKind"], "EVIDENCE_MALFORMED", { evidence: toHex(Uint8Array.of(3, ...dupBytes.subarray(1))), chainId: params.chainId }),
        invalid("voteA of kind 0", ["UnknownKind"], "EVIDENCE_MALFORMED", { evidence: toHex(Uint8Array.of(1, 0, ...dupBytes.subarray(2))), chainId: params.chainId }),
        invalid("truncated: last byte missing", ["Truncated"], "EVIDENCE_MALFORMED", { evidence: toHex(dupBytes.subarray(0, dupBytes.length - 1)), chainId: params.chainId }),
        invalid("attested block length one more than its bytes", ["LengthOverflow"], "EVIDENCE_MALFORMED", { evidence: toHex(setU32(attestBytes, 146, blockBytes.length + 1)), chainId: params.chainId }),
        invalid("one trailing byte", ["TrailingBytes"], "EVIDENCE_MALFORMED", { evidence: toHex(cat(dupBytes, Uint8Array.of(0))), chainId: params.chainId }),
      ],
    },
    {
      type: "CertificateWire",
      tests: [
        valid("finality certificate of block 1: one precommit", { certificate: toHex(certBytes), chainId: params.chainId, signedMessage: toHex(precommitMessage(params.chainId, 1n, 0, hash)) }),
        invalid("vote count 2^32-1", ["CountOverflow"], "CERT_MALFORMED", { certificate: toHex(setU32(certBytes, 44, 0xffff_ffff)), chainId: params.chainId }),
        invalid("truncated signature", ["Truncated"], "CERT_MALFORMED", { certificate: toHex(certBytes.subarray(0, certBytes.length - 1)), chainId: params.chainId }),
        invalid("one trailing byte", ["TrailingBytes"], "CERT_MALFORMED", { certificate: toHex(cat(certBytes, Uint8Array.of(0))), chainId: params.chainId }),
      ],
    },
    {
      type: "VoteWire",
      tests: [
        valid("prevote for block 1, round 0", { vote: toHex(prevoteBytes), signedMessage: toHex(voteMessage("prevote", params.chainId, 1n, 0, hash)) }),
        valid("precommit for block 1, round 0", { vote: toHex(precommitBytes), signedMessage: toHex(voteMessage("precommit", params.chainId, 1n, 0, hash)) }),
        invalid("kind 0", ["UnknownKind"], "CERT_MALFORMED", { vote: toHex(Uint8Array.of(0, ...prevoteBytes.subarray(1))) }),
        invalid("kind 3", ["UnknownKind"], "CERT_MALFORMED", { vote: toHex(Uint8Array.of(3, ...prevoteBytes.subarray(1))) }),
        invalid("144 bytes", ["Truncated"], "CERT_MALFORMED", { vote: toHex(prevoteBytes.subarray(0, 144)) }),
        invalid("146 bytes", ["TrailingBytes"], "CERT_MALFORMED", { vote: toHex(cat(prevoteBytes, Uint8Array.of(0))) }),
      ],
    },
  ];
  return {
    algorithm: "BAIOS-wire",
    generatorVersion: "2",
    numberOfTests: tc,
    header: [
      "Wire bytes of consensus objects (docs/protocol.md §10) with their hashes (§1, §3-§9).",
      "Generated by `node test-vectors/gen-wire.ts` (deterministic: seeds SHA-512(\"BAIOS/v1/test-vectors/wire.json/\" || label)[0..32]).",
      "Valid cases are real chain data: block 1 (header v2, mined) validates against the genesis; every signature and proof verifies.",
      "Retarget cases give nextBlockTarget(parent, grandparent time) of docs/protocol.md §5.2 for a parent at time 1 000 000 ms.",
      "Invalid cases carry the expected ConsensusError code (docs/protocol.md §11) and, for txs and blocks, the size limit `maxBytes`.",
    ],
    notes: {
      Truncated: "the encoding ends before its last field",
      TrailingBytes: "bytes after the last field",
      CountOverflow: "an item count larger than the remaining bytes can hold (rejected before allocating)",
      LengthOverflow: "a byte-string length larger than the remaining bytes",
      LengthMismatch: "a length prefix that does not match its item",
      Oversized: "larger than the size limit (checked before decoding)",
      UnknownKind: "a vote kind byte other than 1 (prevote) or 2 (precommit), or an evidence kind byte other than 1 (duplicate vote) or 2 (invalid attestation)",
      PowAboveTarget: "a header whose block hash, read big-endian, is above its blockTarget",
    },
    testGroups: groups,
  };
}

/** The file's text: 2-space JSON and a final newline. */
export async function wireVectorText(): Promise<string> {
  return `${JSON.stringify(await generateWireVectors(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), WIRE_VECTOR_FILE);
  writeFileSync(out, await wireVectorText());
  console.log(`wrote ${out}`);
}
