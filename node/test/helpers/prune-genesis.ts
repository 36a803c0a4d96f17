/**
 * A test genesis with short staking windows, so that pruning starts after a few blocks:
 * unbondingDelay 3, epochLength 2 → cascade depth D = 5 and state window W = 3·4 + 2 = 14
 * (node/src/prune.ts). Otherwise the fixture's genesis (premine to WALLET, one validator).
 */
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "../../src/genesis.ts";
import { EASY_TARGET, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET } from "./fixture.ts";

/** D of {@link pruneTestGenesis}. */
export const TEST_BODY_DEPTH = 5;
/** W of {@link pruneTestGenesis}. */
export const TEST_STATE_DEPTH = 14;

/** `blockTimeMs` (default 1000): the devnet block time (the crash child uses 15). */
export async function pruneTestGenesis(opts: { blockTimeMs?: number } = {}): Promise<NodeGenesis> {
  return fromGenesis(
    devnetGenesis({
      wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
      validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
      params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: opts.blockTimeMs ?? 1000, unbondingDelay: 3n, epochLength: 2n },
    }),
  );
}
