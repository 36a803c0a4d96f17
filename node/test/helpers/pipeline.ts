/**
 * The block pipeline without a network or timers, for tests that drive a Chain directly:
 * the candidate miner builds and mines a candidate on the tip (`CandidateMiner.mineOnce`), the
 * executor validates it, and the single test validator's round-0 precommit is its finality
 * certificate (what the BFT driver's `commit` effect carries when one validator holds all the
 * stake, docs/consensus.md §2), committed through the executor (`ChainExecutor.commitBlock`).
 */
import { blockHash, certificateFromVotes, localVerifier, signVote, type Block, type FinalityCertificate, type Verifier } from "@baios/consensus";
import type { Chain, CommittedBlock } from "../../src/chain.ts";
import { ChainExecutor } from "../../src/consensus/executor.ts";
import { CandidateMiner } from "../../src/consensus/miner.ts";
import type { NodeGenesis } from "../../src/genesis.ts";
import { Mempool } from "../../src/mempool.ts";
import { PAYOUT, VALIDATOR_SEED } from "./fixture.ts";

/** The round-`round` finality certificate of `block` signed by one validator (`seed`, 32 bytes; default the test validator). */
export function certify(block: Block, chainId: number, seed: Uint8Array = VALIDATOR_SEED, round = 0): FinalityCertificate {
  const hash = blockHash(block.header);
  const h = block.header.height;
  return certificateFromVotes(h, round, hash, [signVote(seed, "precommit", chainId, h, round, hash)]);
}

/** Executor + manual miner on `chain` (payout: the test PAYOUT wallet). */
export interface Pipeline {
  executor: ChainExecutor;
  miner: CandidateMiner;
  mempool: Mempool;
  /** Mines a candidate on the tip (not committed). */
  mine(): Promise<Block>;
  /** Mines, validates, certifies and commits one block through the executor. */
  produce(): Promise<CommittedBlock>;
}

/** Opens the executor (staking state from the store, or replayed from genesis) and a miner that is never started. */
export async function openPipeline(chain: Chain, genesis: NodeGenesis, mempool = new Mempool({ maxBytes: 1e7, maxTxs: 1000 }), verifier: Verifier = localVerifier): Promise<Pipeline> {
  const params = genesis.params;
  const executor = await ChainExecutor.open({ params, chain, mempool, genesisValidators: genesis.validators, verifier });
  const miner = new CandidateMiner({ params, chain, mempool, executor, payout: { viewPublic: PAYOUT.viewPublic, spendPublic: PAYOUT.spendPublic }, onCandidate: () => undefined });
  const mine = async (): Promise<Block> => (await miner.mineOnce()).block;
  return {
    executor,
    miner,
    mempool,
    mine,
    async produce() {
      const block = await mine();
      await executor.validateBlock(block);
      return executor.commitBlock(block, certify(block, params.chainId));
    },
  };
}
