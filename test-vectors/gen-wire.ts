/**
 * Generator of `test-vectors/wire.json`: golden wire bytes (docs/protocol.md §10) of a devnet
 * genesis, a transaction, a block header, a block, a finality certificate and two vote
 * messages, each with its hashes, plus invalid encodings with the expected error codes.
 *
 * Everything is deterministic: keys, tx secrets and the signing and proving randomness come from
 * `SHA-512("BAIOS/v1/test-vectors/wire.json/" ‖ label)[0..32]`; the Tx-PoW nonce is the first
 * that meets the target counting from 0; Ed25519 is deterministic (RFC 8032). The data is real:
 * the tx spends a genesis output with a ring of 11 and a valid MLSAG, range proof and Tx-PoW;
 * block 1 passes `validateBlock` against the genesis; the certificate verifies.
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
  commit, ed25519PublicKey, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarAdd, scalarMultBase,
  scalarSub, txPowHash, txPowMine, walletKeysFromSeed,
} from "@baios/crypto";
import {
  assembleBlock, blockHash, buildGenesisBlock, certificateFromVotes, coinbaseHash, devnetGenesis, encodeBlock, encodeCertificate,
  encodeHeader, encodeTx, encodeVoteMessage, genesisToFile, MemoryMmrBackend, Mmr, outputLeaves, precommitMessage, SCALAR_ONE,
  signVote, toHex, txId, txRoot, txSigningHash, validateBlock, validateTx, voteMessage, type ChainView, type OutputRecord, type Tx,
  type VoteMessage,
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
  const view: ChainView & { areOneTimeKeysUsed(keys: readonly Uint8Array[]): boolean[] } = {
    height: 0n,
    getOutputs: (idx) => idx.map((i) => outputs[Number(i)]),
    isKeyImageSpent: () => false,
    areOneTimeKeysUsed: (keys) => keys.map((k) => outputs.some((o) => toHex(o.oneTimeKey) === toHex(k))),
  };

  // ---- a 1-in/2-out tx, ring of 11 (genesis outputs 0..10), spending output 7
  const spend = 7;
  const ring = Array.from({ length: 11 }, (_, i) => BigInt(i));
  const spent = outputs[spend] as OutputRecord;
  const amountIn = (1000n + BigInt(spend)) * ATOMIC;
  const fee = params.minFee;
  const toBob = 250n * ATOMIC;
  const change = amountIn - toBob - fee;
  const r = randomScalar(wireSeed("tx secret"));
  const made = [makeOutput(r, b.viewPublic, b.spendPublic, 0, toBob), makeOutput(r, a.viewPublic, a.spendPublic, 1, change)];
  const pseudoMask = scalarAdd(made[0]!.mask, made[1]!.mask);
  const pseudoOut = commit(amountIn, pseudoMask);
  const x = oneTimeSecret(a.viewSecret, a.spendSecret, g.block.coinbase.txPublicKey, spend);
  const unsigned: Tx = {
    version: 1,
    chainId: params.chainId,
    fee,
    inputs: [{ ring, keyImage: keyImage(x, spent.oneTimeKey), pseudoOut }],
    outputs: made.map((m) => ({ oneTimeKey: m.oneTimeKey, commitment: m.commitment, viewTag: m.viewTag, encryptedAmount: m.encryptedAmount })),
    txPublicKeys: [scalarMultBase(r)],
    rangeProof: rangeProve([toBob, change], made.map((m) => m.mask), wireSeed("range proof")),
    signatures: [],
    powNonce: 0n,
  };
  const members = ring.map((i) => outputs[Number(i)] as OutputRecord);
  const signature = mlsagSign(
    { message: txSigningHash(unsigned), ringKeys: members.map((m) => m.oneTimeKey), ringCommitments: members.map((m) => m.commitment), pseudoOut },
    spend,
    x,
    scalarSub(SCALAR_ONE, pseudoMask),
    wireSeed("mlsag"),
  );
  const signed: Tx = { ...unsigned, signatures: [signature] };
  const nonce = txPowMine(txId(signed), TARGET, 0n, 1_000_000);
  if (nonce === undefined) throw new Error("no Tx-PoW nonce found");
  const tx: Tx = { ...signed, powNonce: nonce };
  await validateTx(tx, view, params);
  const txBytes = encodeTx(tx);
  const txid = txId(tx);

  // ---- block 1 with that tx, its certificate, a prevote and a precommit
  const asm = await assembleBlock({
    params, parent: g.block.header, mmr, txs: [tx], timeMs: genesis.timeMs + BigInt(params.blockTimeMs), proposer: validatorKey,
    validatorsHash: g.block.header.validatorsHash, rewardTo: { viewPublic: b.viewPublic, spendPublic: b.spendPublic }, coinbaseSecret: randomScalar(wireSeed("coinbase secret")),
  });
  await validateBlock(asm.block, { params, parent: g.block.header, view, mmr, validatorsHash: g.block.header.validatorsHash, expectedProposer: validatorKey });
  const block = asm.block;
  const hash = blockHash(block.header);
  const blockBytes = encodeBlock(block);
  const headerBytes = encodeHeader(block.header);
  const precommit = signVote(validatorSeed, "precommit", params.chainId, 1n, 0, hash);
  const prevote = signVote(validatorSeed, "prevote", params.chainId, 1n, 0, hash);
  const cert = certificateFromVotes(1n, 0, hash, [precommit]);
  const certBytes = encodeCertificate(cert);
  const vm = (v: typeof prevote): VoteMessage => ({ ...v, chainId: params.chainId });
  const prevoteBytes = encodeVoteMessage(vm(prevote));
  const precommitBytes = encodeVoteMessage(vm(precommit));

  const genesisBytes = encodeBlock(g.block);
  const MAX_TX = params.maxTxBytes;
  const MAX_BLOCK = params.maxBlockBytes;
  let tc = 0;
  const valid = (comment: string, fields: Case): Case => ({ tcId: ++tc, comment, flags: [], result: "valid", ...fields });
  const invalid = (comment: string, flags: string[], error: string, fields: Case): Case => ({ tcId: ++tc, comment, flags, result: "invalid", error, ...fields });
  // byte offsets used by the invalid cases (docs/protocol.md §10.1, §10.3, §10.4)
  const ringCountAt = 20; // version 4 ‖ chainId 4 ‖ fee 8 ‖ nIn 4
  const rangeProofLenAt = 20 + 4 + 8 * 11 + 64 + 4 + 2 * 73 + 4 + 32;
  const nTxAt = 224 + 44 + 49 * block.coinbase.outputs.length;

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
        valid("header of block 1", { header: toHex(headerBytes), blockHash: toHex(hash) }),
        invalid("223 bytes", ["Truncated"], "BLOCK_MALFORMED", { header: toHex(headerBytes.subarray(0, 223)) }),
        invalid("225 bytes", ["TrailingBytes"], "BLOCK_MALFORMED", { header: toHex(cat(headerBytes, Uint8Array.of(0))) }),
      ],
    },
    {
      type: "BlockWire",
      tests: [
        valid("block 1: coinbase (reward + fee to one address) and the tx above", {
          block: toHex(blockBytes),
          maxBytes: MAX_BLOCK,
          blockHash: toHex(hash),
          coinbaseHash: toHex(coinbaseHash(block.coinbase)),
          txRoot: toHex(txRoot(block.coinbase, block.txs)),
          txids: [toHex(txid)],
        }),
        invalid("truncated inside the header", ["Truncated"], "BLOCK_MALFORMED", { block: toHex(blockBytes.subarray(0, 100)), maxBytes: MAX_BLOCK }),
        invalid("truncated: last byte missing", ["Truncated"], "BLOCK_MALFORMED", { block: toHex(blockBytes.subarray(0, blockBytes.length - 1)), maxBytes: MAX_BLOCK }),
        invalid("one trailing byte", ["TrailingBytes"], "BLOCK_MALFORMED", { block: toHex(cat(blockBytes, Uint8Array.of(0))), maxBytes: MAX_BLOCK }),
        invalid("tx count 2^32-1", ["CountOverflow"], "BLOCK_MALFORMED", { block: toHex(setU32(blockBytes, nTxAt, 0xffff_ffff)), maxBytes: MAX_BLOCK }),
        invalid("txs[0] length one more than its bytes, one byte appended (the tx must fill its length exactly)", ["LengthMismatch"], "BLOCK_MALFORMED", {
          block: toHex(cat(setU32(blockBytes, nTxAt + 4, txBytes.length + 1), Uint8Array.of(0))), maxBytes: MAX_BLOCK,
        }),
        invalid("valid bytes over a size limit one byte smaller", ["Oversized"], "BLOCK_OVERSIZED", { block: toHex(blockBytes), maxBytes: blockBytes.length - 1 }),
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
    generatorVersion: "1",
    numberOfTests: tc,
    header: [
      "Wire bytes of consensus objects (docs/protocol.md §10) with their hashes (§1, §3-§9).",
      "Generated by `node test-vectors/gen-wire.ts` (deterministic: seeds SHA-512(\"BAIOS/v1/test-vectors/wire.json/\" || label)[0..32]).",
      "Valid cases are real chain data: block 1 validates against the genesis; every signature and proof verifies.",
      "Invalid cases carry the expected ConsensusError code (docs/protocol.md §11) and, for txs and blocks, the size limit `maxBytes`.",
    ],
    notes: {
      Truncated: "the encoding ends before its last field",
      TrailingBytes: "bytes after the last field",
      CountOverflow: "an item count larger than the remaining bytes can hold (rejected before allocating)",
      LengthOverflow: "a byte-string length larger than the remaining bytes",
      LengthMismatch: "a length prefix that does not match its item",
      Oversized: "larger than the size limit (checked before decoding)",
      UnknownKind: "a vote kind byte other than 1 (prevote) or 2 (precommit)",
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
