/**
 * The wallet tests' node: a real devnet validator in-process (real LevelDB in `dataDir`, real
 * HTTP JSON-RPC with its cookie token), whose premine pays `premineOutputs` outputs of
 * `premineAmount` atomic units to devnet wallet 0, and whose coinbase pays devnet wallet 9.
 * Tx-PoW target all-ones (no mining) and coinbase maturity 2, so tests run fast.
 */
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, defaultConfig, fromGenesis, startNode, type NodeHandle, type StartNodeOptions } from "@baios/node";
import { devnetMnemonic } from "../../src/keys.ts";
import { Wallet } from "../../src/wallet.ts";
import { bytesToHex } from "../../src/hex.ts";

/** 1 BAI in atomic units. */
export const BAI = 100_000_000n;

/** What {@link startWalletTestNode} builds. */
export interface WalletTestNodeOptions {
  /** The node's data directory (created by the caller, removed by the caller). */
  dataDir: string;
  /** Premine outputs to devnet wallet 0. */
  premineOutputs: number;
  /** Atomic units per premine output. */
  premineAmount: bigint;
  /** The validator's stake, atomic units (default 1). */
  stake?: bigint;
  /** Blocks only when the test calls `produceBlock()` (default true). */
  manualBlocks?: boolean;
  /** RPC listener limit overrides (docs/node.md §Limits). */
  rpcLimits?: StartNodeOptions["rpcLimits"];
}

/** Starts the node (see the module doc). */
export async function startWalletTestNode(o: WalletTestNodeOptions): Promise<NodeHandle> {
  const a = Wallet.restore(devnetMnemonic(0), "devnet").state;
  const payout = Wallet.restore(devnetMnemonic(9), "devnet").state;
  const genesis = devnetGenesis({
    wallets: Array.from({ length: o.premineOutputs }, () => ({ address: { viewPublic: a.viewPublic, spendPublic: a.spendPublic }, amount: o.premineAmount })),
    validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: o.stake ?? 1n }],
    params: { txPowTarget: new Uint8Array(32).fill(0xff), coinbaseMaturity: 2n },
  });
  return startNode(
    {
      ...defaultConfig(),
      dataDir: o.dataDir,
      rpcPort: 0,
      logLevel: "silent",
      workers: 0,
      syncWrites: false,
      validator: true,
      validatorKey: bytesToHex(DEVNET_VALIDATOR_SEED),
      payout: { viewPublic: bytesToHex(payout.viewPublic), spendPublic: bytesToHex(payout.spendPublic) },
    },
    { genesis: await fromGenesis(genesis), manualBlocks: o.manualBlocks ?? true, ...(o.rpcLimits === undefined ? {} : { rpcLimits: o.rpcLimits }) },
  );
}
