/**
 * Genesis loading for the node: a genesis file (`baios-genesis/2` JSON, parsed strictly by
 * @baios/consensus) given by path, or the built-in devnet genesis.
 *
 * Built-in devnet genesis: chain "baios-devnet", no premine, one validator whose Ed25519 seed is
 * the public {@link DEVNET_VALIDATOR_SEED} (devnet only: anyone can run its validator). The
 * `baios devnet` command writes its own genesis file funding test wallets instead.
 * @module
 */
import { readFileSync } from "node:fs";
import { ed25519PublicKey, h32 } from "@baios/crypto";
import {
  buildGenesisBlock,
  devnetGenesis as consensusDevnetGenesis,
  parseGenesis,
  type Block,
  type ChainParams,
  type FinalityCertificate,
  type Genesis,
  type Validator,
} from "@baios/consensus";

/** What the node takes from a genesis. */
export interface NodeGenesis {
  genesis: Genesis;
  block: Block;
  hash: Uint8Array;
  /** Genesis is trusted by its hash, not signed: the node stores an empty certificate (no votes). */
  certificate: FinalityCertificate;
  params: ChainParams;
  validators: Validator[];
}

/** The public devnet validator seed `h32("BAIOS/v1/devnet-validator", "")`. Never use outside a devnet. */
export const DEVNET_VALIDATOR_SEED: Uint8Array = h32("BAIOS/v1/devnet-validator", new Uint8Array(0));

/** Builds the node's view of a parsed genesis. */
export async function fromGenesis(genesis: Genesis): Promise<NodeGenesis> {
  const g = await buildGenesisBlock(genesis);
  return {
    genesis,
    block: g.block,
    hash: g.hash,
    certificate: { height: 0n, round: 0, blockHash: g.hash, votes: [] },
    params: genesis.params,
    validators: genesis.validators,
  };
}

/** Block interval of the built-in devnet genesis, ms (the devnet relaxes the 10 s block time, docs/protocol.md §13.1). */
export const BUILTIN_DEVNET_BLOCK_TIME_MS = 1000;

/** The built-in devnet genesis (optionally with parameter overrides, e.g. an easier Tx-PoW target); 1 s blocks by default. */
export async function builtinDevnetGenesis(params: Partial<ChainParams> = {}): Promise<NodeGenesis> {
  return fromGenesis(consensusDevnetGenesis({ wallets: [], validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: 1n }], params: { blockTimeMs: BUILTIN_DEVNET_BLOCK_TIME_MS, ...params } }));
}

/**
 * Loads the genesis: the file at `path`, or the built-in devnet genesis.
 * @throws ConsensusError `GENESIS_INVALID`, or an Error when the file cannot be read
 */
export async function loadGenesis(path: string | undefined): Promise<NodeGenesis> {
  if (path === undefined) return builtinDevnetGenesis();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read genesis file ${path}: ${(e as Error).message}`);
  }
  return fromGenesis(parseGenesis(text));
}
