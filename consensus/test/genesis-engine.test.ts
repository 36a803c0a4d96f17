import { describe, expect, it } from "vitest";
import { ed25519PublicKey, oneTimeSecret, scalarMultBase, walletKeysFromSeed } from "@baios/crypto";
import {
  buildGenesisBlock,
  devnetGenesis,
  FOUNDERS_VESTING_STEP,
  genesisToFile,
  parseGenesis,
  standardPremine,
  type Genesis,
} from "../src/genesis.ts";
import { FOUNDERS_PREMINE, PREMINE_TOTAL, TREASURY_PREMINE } from "../src/emission.ts";
import { defaultParams } from "../src/params.ts";
import { coinbaseCommitment } from "../src/coinbase.ts";
import { ConsensusError } from "../src/errors.ts";
import { hasQuorum, makeValidatorSet, signVote, verifyVote, certificateFromVotes, verifyFinalityCertificate } from "../src/engine.ts";
import { seed } from "./helpers/chain.ts";
import { encodeCertificate, decodeCertificate } from "../src/encoding/wire.ts";

const alice = walletKeysFromSeed(seed(1));
const bob = walletKeysFromSeed(seed(2));
const a = { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic };
const b = { viewPublic: bob.viewPublic, spendPublic: bob.spendPublic };
const vkey = (n: number) => ed25519PublicKey(seed(100 + n));

describe("genesis", () => {
  const mainnet: Genesis = { chainName: "baios-mainnet", timeMs: 1_767_225_600_000n, params: defaultParams(), validators: [{ publicKey: vkey(0), stake: 10_000n * 100_000_000n }], premine: standardPremine(a, b) }; // the 10 000 BAI floor

  it("standard premine: 5 % treasury, 2 % founders in 60 monthly tranches over 5 years", () => {
    const p = mainnet.premine;
    expect(p.length).toBe(61);
    expect(p[0]!.amount).toBe(TREASURY_PREMINE);
    expect(p.slice(1).reduce((s, e) => s + e.amount, 0n)).toBe(FOUNDERS_PREMINE);
    expect(p.reduce((s, e) => s + e.amount, 0n)).toBe(PREMINE_TOTAL);
    expect(p[1]!.unlockHeight).toBe(FOUNDERS_VESTING_STEP);
    expect(p[60]!.unlockHeight).toBe(5n * 3_153_600n);
  });

  it("JSON round trip and strict parsing", () => {
    const file = genesisToFile(mainnet);
    const text = JSON.stringify(file);
    expect(genesisToFile(parseGenesis(text))).toEqual(file);
    const bad = (mut: (f: Record<string, unknown>) => void) => {
      const f = JSON.parse(text) as Record<string, unknown>;
      mut(f);
      try {
        parseGenesis(f);
        return "OK";
      } catch (e) {
        return (e as ConsensusError).code;
      }
    };
    expect(bad((f) => (f.extra = 1))).toBe("GENESIS_INVALID");
    expect(bad((f) => delete f.params)).toBe("GENESIS_INVALID");
    expect(bad((f) => (f.timeMs = 5))).toBe("GENESIS_INVALID");
    expect(bad((f) => (f.timeMs = "01"))).toBe("GENESIS_INVALID");
    expect(bad((f) => ((f.premine as { amount: string }[])[0]!.amount = (PREMINE_TOTAL + 1n).toString()))).toBe("GENESIS_INVALID");
    expect(bad((f) => (f.validators = []))).toBe("GENESIS_INVALID");
    expect(bad((f) => ((f.params as { txPowTarget: string }).txPowTarget = "zz"))).toBe("GENESIS_INVALID");
    expect(() => parseGenesis("{")).toThrow(ConsensusError);
  });

  it("genesis block: deterministic, premine outputs owned by their recipients with public amounts", async () => {
    const g1 = await buildGenesisBlock(mainnet);
    const g2 = await buildGenesisBlock(parseGenesis(JSON.stringify(genesisToFile(mainnet))));
    expect(g1.hash).toEqual(g2.hash);
    expect(g1.block.header.height).toBe(0n);
    expect(g1.block.header.outputCount).toBe(61n);
    const R = g1.block.coinbase.txPublicKey;
    // treasury output 0 belongs to alice, founders' outputs to bob
    expect(scalarMultBase(oneTimeSecret(alice.viewSecret, alice.spendSecret, R, 0))).toEqual(g1.block.coinbase.outputs[0]!.oneTimeKey);
    expect(scalarMultBase(oneTimeSecret(bob.viewSecret, bob.spendSecret, R, 7))).toEqual(g1.block.coinbase.outputs[7]!.oneTimeKey);
    expect(g1.newOutputs[3]!.commitment).toEqual(coinbaseCommitment(g1.block.coinbase.outputs[3]!.amount));
    expect(g1.newOutputs[3]!.unlockHeight).toBe(3n * FOUNDERS_VESTING_STEP);
  });

  it("devnet genesis funds test wallets", async () => {
    const g = devnetGenesis({ wallets: [{ address: a, amount: 1000n * 100_000_000n }, { address: b, amount: 5n }], validators: [{ publicKey: vkey(1), stake: 1n }] });
    expect(g.params.chainId).toBe(0x0bad0001);
    const gb = await buildGenesisBlock(g);
    expect(gb.block.coinbase.outputs.map((o) => o.amount)).toEqual([1000n * 100_000_000n, 5n]);
    expect(() => devnetGenesis({ wallets: [{ address: a, amount: PREMINE_TOTAL + 1n }], validators: [{ publicKey: vkey(1), stake: 1n }] })).toThrow(/GENESIS_INVALID/);
  });
});

describe("engine and certificates", () => {
  it("quorum is strictly more than 2/3 of the stake", () => {
    expect(hasQuorum(2n, 3n)).toBe(false);
    expect(hasQuorum(3n, 4n)).toBe(true);
    expect(hasQuorum(67n, 100n)).toBe(true);
    expect(hasQuorum(66n, 100n)).toBe(false);
  });

  it("multi-validator certificates need > 2/3 of the stake (BFT-ready format)", () => {
    const seeds = [0, 1, 2, 3].map((i) => seed(100 + i));
    const set = makeValidatorSet(seeds.map((s, i) => ({ publicKey: ed25519PublicKey(s), stake: BigInt(10 + i) })));
    const hash = new Uint8Array(32).fill(9);
    const votes = seeds.map((s) => signVote(s, "precommit", 5, 10n, 1, hash));
    votes.forEach((v) => verifyVote(5, v));
    const exp = { chainId: 5, height: 10n, blockHash: hash, validatorSet: set };
    verifyFinalityCertificate(certificateFromVotes(10n, 1, hash, votes), exp);
    // stakes 10,11,12,13 (total 46): 3 smallest = 33 > 30.67 ok; 2 largest = 25 not
    verifyFinalityCertificate(certificateFromVotes(10n, 1, hash, votes.slice(0, 3)), exp);
    expect(() => verifyFinalityCertificate(certificateFromVotes(10n, 1, hash, votes.slice(2)), exp)).toThrow(/CERT_INSUFFICIENT_STAKE/);
    const cert = certificateFromVotes(10n, 1, hash, votes);
    expect(decodeCertificate(encodeCertificate(cert))).toEqual(cert);
    const dup = { ...cert, votes: [cert.votes[0]!, cert.votes[0]!, cert.votes[1]!] };
    expect(() => verifyFinalityCertificate(dup, exp)).toThrow(/CERT_DUPLICATE_VOTE/);
    // a prevote signature is not a precommit
    const prevotes = seeds.map((s) => signVote(s, "prevote", 5, 10n, 1, hash));
    expect(() => verifyFinalityCertificate({ ...cert, votes: prevotes.map((v) => ({ validator: v.validator, signature: v.signature })).sort((x, y) => (Buffer.compare(x.validator, y.validator))) }, exp)).toThrow(/CERT_INVALID_SIGNATURE/);
  });

  it("one validator's precommit alone is a certificate only when it holds > 2/3 of the stake", () => {
    const hash = new Uint8Array(32).fill(4);
    const cert = certificateFromVotes(3n, 0, hash, [signVote(seed(100), "precommit", 5, 3n, 0, hash)]);
    const half = makeValidatorSet([{ publicKey: vkey(0), stake: 1n }, { publicKey: vkey(1), stake: 1n }]);
    expect(() => verifyFinalityCertificate(cert, { chainId: 5, height: 3n, blockHash: hash, validatorSet: half })).toThrow(/CERT_INSUFFICIENT_STAKE/);
    const most = makeValidatorSet([{ publicKey: vkey(0), stake: 3n }, { publicKey: vkey(1), stake: 1n }]);
    verifyFinalityCertificate(cert, { chainId: 5, height: 3n, blockHash: hash, validatorSet: most });
    // bound to its block: another hash or height fails
    expect(() => verifyFinalityCertificate(cert, { chainId: 5, height: 4n, blockHash: hash, validatorSet: most })).toThrow(/CERT_WRONG_BLOCK/);
    expect(() => verifyFinalityCertificate(cert, { chainId: 6, height: 3n, blockHash: hash, validatorSet: most })).toThrow(/CERT_INVALID_SIGNATURE/);
  });
});
