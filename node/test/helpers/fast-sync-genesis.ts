/**
 * Fixtures of the fast-sync tests: the genesis (node test premine, one validator, 8-block epochs),
 * a bond tx that raises the validator's own stake (a validator-set change at the next epoch
 * boundary), and a source chain with spends and that bond.
 */
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { bondTx } from "./bond.ts";
import { fromGenesis, type NodeGenesis } from "../../src/genesis.ts";
import { startNode } from "../../src/node.ts";
import type { NodeConfig } from "../../src/config-options.ts";
import { FastSyncError } from "../../src/sync/snapshot.ts";
import { EASY_TARGET, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET, buildTx, testConfig } from "./fixture.ts";

/** Epoch length of {@link fastSyncGenesis} (blocks). */
export const FAST_SYNC_EPOCH = 8n;

export async function fastSyncGenesis(): Promise<NodeGenesis> {
  return fromGenesis(
    devnetGenesis({
      wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
      validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
      params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 1000, epochLength: FAST_SYNC_EPOCH, unbondingDelay: 3n },
    }),
  );
}



/**
 * Produces `blocks` blocks on a validator node in `dir` (no p2p: submitted txs go straight to the
 * mempool): a bond in block 3, one premine spend every second block while outputs last (0..11).
 * `cascadePerLevel`: K of the node's cascade (the nodes that later open `dir` must use the same);
 * `config`: overrides of the test config (e.g. `mode: "archive"`).
 */
export async function produceChain(dir: string, genesis: NodeGenesis, blocks: number, opts: { cascadePerLevel?: number; config?: Partial<NodeConfig> } = {}): Promise<void> {
  const a = await startNode(testConfig(dir, opts.config), { genesis, manualBlocks: true, ...(opts.cascadePerLevel === undefined ? {} : { cascadePerLevel: opts.cascadePerLevel }) });
  try {
    let spend = 0;
    for (let i = a.chain.tip.height + 1; i <= blocks; i++) {
      if (i === 3) await a.submitTx(bondTx(genesis, 20, 5n, VALIDATOR_SEED));
      else if (i % 2 === 0 && spend < 12) await a.submitTx(buildTx(genesis, spend++).bytes);
      await a.produceBlock();
    }
  } finally {
    await a.stop();
  }
}

/** `"OK"` when `p` resolves, the FastSyncError code when it rejects with one, else the error as a string. */
export const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof FastSyncError ? e.code : String(e);
  }
};
