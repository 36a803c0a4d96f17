import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blockHash, encodeHeader, equalBytes, mmrLeafHash, verifyInclusionProof, SingleValidatorEngine } from "@baios/consensus";
import { Chain, ChainError } from "../src/chain.ts";
import { Mempool } from "../src/mempool.ts";
import { BlockProducer } from "../src/producer.ts";
import { Store, StoreError } from "../src/store/store.ts";
import { PAYOUT, PREMINE_OUTPUTS, VALIDATOR_SEED, testGenesis, tmpDir } from "./helpers/fixture.ts";
import { headerKey } from "../src/store/keys.ts";

async function setup(dir: string) {
  const genesis = await testGenesis();
  const store = await Store.open(join(dir, "chain"), { sync: false });
  const chain = await Chain.open(store, genesis.block, genesis.certificate);
  const mempool = new Mempool({ maxBytes: 1e7, maxTxs: 1000 });
  const payout = { viewPublic: PAYOUT.viewPublic, spendPublic: PAYOUT.spendPublic };
  const engine = new SingleValidatorEngine({ params: genesis.params, seed: VALIDATOR_SEED, validators: genesis.validators, rewardTo: payout });
  const producer = new BlockProducer({ chain, mempool, params: genesis.params, engine, validatorSeed: VALIDATOR_SEED, payout, emptyBlocks: true });
  return { genesis, store, chain, mempool, engine, producer };
}

describe("chain", () => {
  it("initialises from genesis, produces blocks, keeps MMR/header/certificate consistent, reopens", async () => {
    const dir = tmpDir();
    const { genesis, store, chain, engine, producer } = await setup(dir);
    expect(chain.tip.height).toBe(0);
    expect(chain.tip.outputs).toBe(PREMINE_OUTPUTS);
    expect(equalBytes(chain.tipHash, genesis.hash)).toBe(true);
    for (let i = 0; i < 5; i++) await producer.produceOne();
    expect(chain.tip.height).toBe(5);
    expect(chain.tip.outputs).toBe(PREMINE_OUTPUTS + 5);
    for (let h = 1; h <= 5; h++) {
      const header = await chain.header(h);
      const cert = await chain.certificate(h);
      expect(header).toBeDefined();
      engine.verifyCertificate(cert!, header!);
      expect(await store.getCumulativeOutputs(h)).toBe(PREMINE_OUTPUTS + h);
    }
    // the MMR root of the tip equals the header's, and proofs verify against old headers too
    expect(equalBytes(await chain.mmr.root(), chain.tipHeader.outputRoot)).toBe(true);
    for (const [gi, h] of [[0, 0], [3, 5], [PREMINE_OUTPUTS + 2, 3], [PREMINE_OUTPUTS + 4, 5]] as const) {
      const header = (await chain.header(h))!;
      const out = (await store.getOutput(gi))!;
      const proof = await chain.mmr.proof(BigInt(gi), header.outputCount);
      expect(verifyInclusionProof(header.outputRoot, header.outputCount, mmrLeafHash(BigInt(gi), out.oneTimeKey, out.commitment), proof)).toBe(true);
    }
    // coinbase outputs unlock after the maturity
    const cbOut = (await chain.getOutputs([BigInt(PREMINE_OUTPUTS)]))[0]!;
    expect(cbOut.unlockHeight).toBe(1n + genesis.params.coinbaseMaturity);
    const root = await chain.mmr.root();
    await store.close();
    const again = await setup(dir);
    expect(again.chain.tip.height).toBe(5);
    expect(equalBytes(await again.chain.mmr.root(), root)).toBe(true);
    await again.producer.produceOne();
    expect(again.chain.tip.height).toBe(6);
    await again.store.close();
  });

  it("refuses a block that does not extend the tip, and a foreign genesis", async () => {
    const dir = tmpDir();
    const { store, chain, producer, engine } = await setup(dir);
    const { block } = await producer.assemble();
    const cert = await engine.finalize(block, 0);
    await chain.commitBlock(block, cert);
    await expect(chain.commitBlock(block, cert)).rejects.toThrow(ChainError);
    const next = (await producer.assemble()).block;
    const bad = { ...next, header: { ...next.header, outputRoot: new Uint8Array(32) } };
    await expect(chain.commitBlock(bad, await engine.finalize(bad, 0))).rejects.toThrow(/outputRoot/);
    await expect(chain.commitBlock(next, cert)).rejects.toThrow(/certificate/);
    await store.close();
    const other = await testGenesis();
    other.block.header.timeMs += 1n;
    const s2 = await Store.open(join(dir, "chain"), { sync: false });
    await expect(Chain.open(s2, other.block, { ...other.certificate, blockHash: blockHash(other.block.header) })).rejects.toThrow(StoreError);
    await s2.close();
  });

  it("detects a tip that disagrees with the stored header on startup", async () => {
    const dir = tmpDir();
    const { store, producer } = await setup(dir);
    await producer.produceOne();
    const { block } = await producer.assemble();
    // corrupt: overwrite the tip header with another header
    await store.db.put(headerKey(1), encodeHeader({ ...block.header, height: 1n }));
    await store.close();
    await expect(setup(dir)).rejects.toThrow(StoreError);
  });
});
