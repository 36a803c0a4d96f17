import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blockHash, encodeHeader, equalBytes, localVerifier, makeValidatorSet, mmrLeafHash, verifyFinalityCertificate, verifyInclusionProof, type Block, type BlockHeader, type FinalityCertificate, type Verifier } from "@baios/consensus";
import { Chain, ChainError } from "../src/chain.ts";
import { Store, StoreError } from "../src/store/store.ts";
import { PREMINE_OUTPUTS, buildTx, testGenesis, tmpDir } from "./helpers/fixture.ts";
import { certify, openPipeline } from "./helpers/pipeline.ts";
import { headerKey } from "../src/store/keys.ts";

async function setup(dir: string) {
  const genesis = await testGenesis();
  const store = await Store.open(join(dir, "chain"), { sync: false });
  const chain = await Chain.open(store, genesis.block, genesis.certificate);
  const pipeline = await openPipeline(chain, genesis);
  const set = makeValidatorSet(genesis.validators);
  const verifyCertificate = (cert: FinalityCertificate, header: BlockHeader): void => verifyFinalityCertificate(cert, { chainId: genesis.params.chainId, height: header.height, blockHash: blockHash(header), validatorSet: set });
  return { genesis, store, chain, ...pipeline, verifyCertificate };
}

describe("chain", () => {
  it("initialises from genesis, produces blocks, keeps MMR/header/certificate consistent, reopens", async () => {
    const dir = tmpDir();
    const { genesis, store, chain, produce, verifyCertificate } = await setup(dir);
    expect(chain.tip.height).toBe(0);
    expect(chain.tip.outputs).toBe(PREMINE_OUTPUTS);
    expect(equalBytes(chain.tipHash, genesis.hash)).toBe(true);
    for (let i = 0; i < 5; i++) await produce();
    expect(chain.tip.height).toBe(5);
    expect(chain.tip.outputs).toBe(PREMINE_OUTPUTS + 5);
    for (let h = 1; h <= 5; h++) {
      const header = await chain.header(h);
      const cert = await chain.certificate(h);
      expect(header).toBeDefined();
      verifyCertificate(cert!, header!);
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
    expect(again.executor.stakingState.height).toBe(5n); // the staking state of the tip, from the block batch
    await again.produce();
    expect(again.chain.tip.height).toBe(6);
    await again.store.close();
  });

  it("refuses a block that does not extend the tip, and a foreign genesis", async () => {
    const dir = tmpDir();
    const { genesis, store, chain, executor, mine } = await setup(dir);
    const block = await mine();
    const cert = certify(block, genesis.params.chainId);
    await executor.commitBlock(block, cert);
    await expect(chain.commitBlock(block, cert)).rejects.toThrow(ChainError);
    await expect(executor.commitBlock(block, cert)).rejects.toThrow(ChainError); // does not extend the tip (not a staking error blaming the sender)
    expect(chain.tip.height).toBe(1);
    const next = await mine();
    const bad = { ...next, header: { ...next.header, outputRoot: new Uint8Array(32) } };
    await expect(chain.commitBlock(bad, certify(bad, genesis.params.chainId))).rejects.toThrow(/outputRoot/);
    await expect(chain.commitBlock(next, cert)).rejects.toThrow(/certificate/);
    await store.close();
    const other = await testGenesis();
    other.block.header.timeMs += 1n;
    const s2 = await Store.open(join(dir, "chain"), { sync: false });
    await expect(Chain.open(s2, other.block, { ...other.certificate, blockHash: blockHash(other.block.header) })).rejects.toThrow(StoreError);
    await s2.close();
  });

  it("executor commits are serialised: a block racing its parent's commit waits for it; a racing duplicate gets ChainError", async () => {
    const src = await setup(tmpDir());
    const blocks = [];
    for (let i = 0; i < 2; i++) blocks.push((await src.produce()).block);
    const [b1, b2] = blocks as [Block, Block];
    const dst = await setup(tmpDir());
    const certs = [b1, b2].map((b) => certify(b, dst.genesis.params.chainId));
    // the driver and the importer commit at once: b1 twice, and b2 before b1's batch is written
    const results = await Promise.allSettled([dst.executor.commitBlock(b1, certs[0]!), dst.executor.commitBlock(b1, certs[0]!), dst.executor.commitBlock(b2, certs[1]!)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ChainError);
    expect(dst.chain.tip.height).toBe(2);
    expect(dst.executor.stakingState.height).toBe(2n);
    expect(equalBytes(dst.chain.tipHash, src.chain.tipHash)).toBe(true);
    await src.store.close();
    await dst.store.close();
  });

  it("a validation overtaken by a commit of the tip gives ChainError (no verdict on the block), not a check against the moved state", async () => {
    const genesis = await testGenesis();
    const src = await setup(tmpDir());
    const { tx, txid, bytes } = buildTx(genesis, 0);
    src.mempool.add(tx, txid, bytes);
    const b1 = (await src.produce()).block;
    expect(b1.txs.length).toBe(1);
    // the importer's validation waits in the worker pool while the BFT driver commits the same block
    let entered!: () => void;
    const inVerifier = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gated: Verifier = {
      async verifyMlsag(jobs) {
        entered();
        await gate;
        return localVerifier.verifyMlsag(jobs);
      },
      verifyRangeProofs: (jobs) => localVerifier.verifyRangeProofs(jobs),
    };
    const store = await Store.open(join(tmpDir(), "chain"), { sync: false });
    const chain = await Chain.open(store, genesis.block, genesis.certificate);
    const dst = await openPipeline(chain, genesis, undefined, gated);
    const validating = dst.executor.validateBlock(b1).then(
      () => "valid",
      (e: unknown) => e,
    );
    await inVerifier;
    await dst.executor.commitBlock(b1, certify(b1, genesis.params.chainId)); // the commit does not validate again
    release();
    expect(await validating).toBeInstanceOf(ChainError);
    // and a fresh validation on the new tip is a plain verdict: the block no longer fits (staking height)
    await expect(dst.executor.validateBlock(b1)).rejects.toThrow(/STAKE_WRONG_HEIGHT/);
    await src.store.close();
    await store.close();
  });

  it("detects a tip that disagrees with the stored header on startup", async () => {
    const dir = tmpDir();
    const { store, produce, mine } = await setup(dir);
    await produce();
    const block = await mine();
    // corrupt: overwrite the tip header with another header
    await store.db.put(headerKey(1), encodeHeader({ ...block.header, height: 1n }));
    await store.close();
    await expect(setup(dir)).rejects.toThrow(StoreError);
  });
});
