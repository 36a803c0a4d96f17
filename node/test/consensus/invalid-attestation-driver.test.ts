/**
 * Producing invalid-attestation evidence (docs/consensus.md §6.3): an observer node's BFT driver
 * validates a proposed double-spending candidate (REJECT-class), sees the validator's prevote for
 * it (before or after its verdict), and hands over evidence that the executor's full check
 * (historical re-validation) accepts. Real engine, executor, LevelDB store and candidate pool.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ed25519PublicKey, randomScalar } from "@baios/crypto";
import {
  TendermintEngine,
  assembleBlock,
  blockHash,
  devnetGenesis,
  encodeBlock,
  localVerifier,
  mineBlock,
  signProposal,
  signVote,
  toHex,
  type Block,
  type InvalidAttestationEvidence,
  stakingStateHash,
} from "@baios/consensus";
import { Chain } from "../../src/chain.ts";
import { Store } from "../../src/store/store.ts";
import { fromGenesis, type NodeGenesis } from "../../src/genesis.ts";
import { Mempool } from "../../src/mempool.ts";
import { CandidatePool } from "../../src/consensus/candidates.ts";
import { BftDriver } from "../../src/consensus/driver.ts";
import { ChainExecutor } from "../../src/consensus/executor.ts";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET, buildTx, tmpDir } from "../helpers/fixture.ts";
import { certify } from "../helpers/pipeline.ts";

const payout = { viewPublic: PAYOUT.viewPublic, spendPublic: PAYOUT.spendPublic };

async function setup(): Promise<{ genesis: NodeGenesis; store: Store; chain: Chain; executor: ChainExecutor; doubleSpend: Block }> {
  const genesis = await fromGenesis(
    devnetGenesis({
      wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
      validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1_000_000n }],
      params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 1000 },
    }),
  );
  const params = genesis.params;
  const store = await Store.open(join(tmpDir("baios-iad-"), "chain"), { sync: false });
  const chain = await Chain.open(store, genesis.block, genesis.certificate);
  const executor = await ChainExecutor.open({ params, chain, mempool: new Mempool({ maxBytes: 1e7, maxTxs: 100 }), genesisValidators: genesis.validators, verifier: localVerifier });
  const block = async (txs: Parameters<typeof assembleBlock>[0]["txs"]): Promise<Block> => {
    const parent = chain.tipHeader;
    const lastCertificate = (await chain.certificate(Number(parent.height)))!;
    const t = executor.transition({ header: { height: parent.height + 1n }, txs, lastCertificate, unbonds: [], evidence: [] });
    const a = await assembleBlock({ params, parent, mmr: chain.mmr, headerRoot: await chain.headerRoot(), superParents: chain.superParents, kiset: chain.kiset, txs, timeMs: parent.timeMs + 1000n, blockTarget: await executor.nextTarget(), nextValidatorsHash: t.nextSet.hash, stakingStateHash: stakingStateHash(t.state), lastCertificate, payouts: t.payouts, rewardTo: payout, coinbaseSecret: randomScalar() });
    const m = mineBlock(a.block.header, { maxTries: 1 << 26, startNonce: 0n })!;
    return { ...a.block, header: { ...a.block.header, powNonce: m.powNonce } };
  };
  const b1 = await block([buildTx(genesis, 0, { salt: 1 }).tx]);
  await executor.validateBlock(b1);
  await executor.commitBlock(b1, certify(b1, params.chainId));
  const doubleSpend = await block([buildTx(genesis, 0, { salt: 2 }).tx]);
  return { genesis, store, chain, executor, doubleSpend };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the driver produces invalid-attestation evidence", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  for (const order of ["vote first", "verdict first"] as const) {
    it(`from a proposed double spend and the validator's prevote (${order})`, async () => {
      const { genesis, store, executor, doubleSpend } = await setup();
      const chainId = genesis.params.chainId;
      const candidates = new CandidatePool();
      candidates.setTip(1n);
      const got: InvalidAttestationEvidence[] = [];
      const driver = new BftDriver({
        chainId,
        engine: new TendermintEngine({ chainId }),
        executor,
        candidates,
        publish: { proposal: async () => undefined, vote: async () => undefined, candidate: async () => undefined, evidence: async () => undefined },
        onInvalidAttestation: (e) => got.push(e),
        rebroadcastMs: 0,
      });
      cleanup.push(async () => {
        driver.stop();
        await store.close();
      });
      await driver.start();
      const hash = blockHash(doubleSpend.header);
      expect(candidates.add({ block: doubleSpend, bytes: encodeBlock(doubleSpend), hash })).toBe(true);
      const prevote = signVote(VALIDATOR_SEED, "prevote", chainId, 2n, 0, hash);
      const proposal = signProposal(VALIDATOR_SEED, chainId, { height: 2n, round: 0, polRound: -1, blockHash: hash });
      if (order === "vote first") {
        driver.onVote(prevote);
        driver.onProposal(proposal);
      } else {
        driver.onProposal(proposal);
        await until(() => candidates.get(hash)?.valid === false);
        expect(got).toHaveLength(0);
        driver.onVote(prevote);
      }
      await until(() => got.length > 0);
      await driver.idle();
      expect(got).toHaveLength(1);
      const ev = got[0]!;
      expect(candidates.get(hash)?.rejected).toEqual({ code: "TX_KEY_IMAGE_SPENT", action: "REJECT" });
      expect(toHex(ev.vote.validator)).toBe(toHex(ed25519PublicKey(VALIDATOR_SEED)));
      expect(ev.vote.chainId).toBe(chainId);
      expect(toHex(ev.block)).toBe(toHex(encodeBlock(doubleSpend)));
      // the evidence passes the full check a block (and the evidence topic) applies
      await executor.checkAttestation(ev);
      // a nil prevote is not evidence
      driver.onVote(signVote(VALIDATOR_SEED, "prevote", chainId, 2n, 1, new Uint8Array(32)));
      await driver.idle();
      expect(got).toHaveLength(1);
    }, 60_000);
  }
});
