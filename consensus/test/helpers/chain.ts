/**
 * Test fixture: an in-memory chain (ChainView + output MMR + tip) built from a devnet genesis,
 * with owned outputs the test tx builder can spend. Not production code.
 */
import { oneTimeSecret, walletKeysFromSeed, type WalletKeys } from "@baios/crypto";
import { defaultParams, type ChainParams } from "../../src/params.ts";
import type { BlockHeader, ChainView, OutputRecord } from "../../src/types.ts";
import { buildGenesisBlock, genesisToFile, parseGenesis, type Genesis, type PremineEntry } from "../../src/genesis.ts";
import { MemoryMmrBackend, Mmr } from "../../src/mmr/mmr.ts";
import { SCALAR_ONE, toHex } from "../../src/encoding/bytes.ts";
import type { ValidatedBlock } from "../../src/validation/block.ts";
import { ed25519PublicKey } from "@baios/crypto";

/** Tx-PoW target for tests: 0x3fff…ff, ~4 hashes expected. */
export const EASY_TARGET: Uint8Array = (() => {
  const t = new Uint8Array(32).fill(0xff);
  t[0] = 0x3f;
  return t;
})();

export const seed = (n: number): Uint8Array => {
  const s = new Uint8Array(32);
  s[0] = n;
  s[31] = 0x5a;
  return s;
};

/** An output the test wallet can spend. */
export interface Owned {
  globalIndex: bigint;
  amount: bigint;
  /** One-time secret x (32 bytes). */
  x: Uint8Array;
  /** Commitment mask (32 bytes). */
  mask: Uint8Array;
}

export const BAI = 100_000_000n;

export class TestChain implements ChainView {
  height = 0n;
  readonly outputs: OutputRecord[] = [];
  readonly spent = new Set<string>();
  readonly mmr = new Mmr(new MemoryMmrBackend());
  tip!: BlockHeader;
  genesis!: Genesis;
  readonly params: ChainParams;
  readonly alice: WalletKeys = walletKeysFromSeed(seed(1));
  readonly bob: WalletKeys = walletKeysFromSeed(seed(2));
  readonly validatorSeed = seed(99);
  /** Alice's spendable genesis outputs. */
  readonly owned: Owned[] = [];
  /** A premine output locked until height 1000 (for the immature-member scenario). */
  lockedIndex = 0n;

  constructor(params?: Partial<ChainParams>) {
    this.params = defaultParams({ chainId: 0x7e57, txPowTarget: EASY_TARGET, ...params });
  }

  getOutputs(idx: readonly bigint[]): (OutputRecord | undefined)[] {
    return idx.map((i) => (i >= 0n && i < BigInt(this.outputs.length) ? this.outputs[Number(i)] : undefined));
  }
  isKeyImageSpent(ki: Uint8Array): boolean {
    return this.spent.has(toHex(ki));
  }
  areOneTimeKeysUsed(keys: readonly Uint8Array[]): boolean[] {
    const have = new Set(this.outputs.map((o) => toHex(o.oneTimeKey)));
    return keys.map((k) => have.has(toHex(k)));
  }

  /** Genesis: 8 outputs of 10 BAI to alice, 40 decoys of 1 BAI to bob, one locked output to bob. */
  async init(): Promise<this> {
    const premine: PremineEntry[] = [];
    for (let i = 0; i < 8; i++) premine.push({ label: `alice ${i}`, to: { viewPublic: this.alice.viewPublic, spendPublic: this.alice.spendPublic }, amount: 10n * BAI, unlockHeight: 0n });
    for (let i = 0; i < 40; i++) premine.push({ label: `decoy ${i}`, to: { viewPublic: this.bob.viewPublic, spendPublic: this.bob.spendPublic }, amount: BAI + BigInt(i), unlockHeight: 0n });
    premine.push({ label: "locked", to: { viewPublic: this.bob.viewPublic, spendPublic: this.bob.spendPublic }, amount: BAI, unlockHeight: 1000n });
    const g: Genesis = {
      chainName: "baios-test",
      timeMs: 1_767_225_600_000n,
      params: this.params,
      validators: [{ publicKey: ed25519PublicKey(this.validatorSeed), stake: 1000n }],
      premine,
      devnet: true, // the easy Tx-PoW target is a devnet relaxation (docs/protocol.md §13.1)
    };
    this.genesis = parseGenesis(JSON.stringify(genesisToFile(g)));
    const gb = await buildGenesisBlock(this.genesis);
    await this.mmr.backend.put(gb.mmr.nodes);
    this.mmr.setLeafCount(gb.mmr.leafCount);
    this.outputs.push(...gb.newOutputs);
    this.tip = gb.block.header;
    this.lockedIndex = BigInt(premine.length - 1);
    const R = gb.block.coinbase.txPublicKey;
    for (let i = 0; i < 8; i++) {
      this.owned.push({ globalIndex: BigInt(i), amount: 10n * BAI, x: oneTimeSecret(this.alice.viewSecret, this.alice.spendSecret, R, i), mask: SCALAR_ONE });
    }
    return this;
  }

  /** Applies a validated block (what the node does in its atomic batch). */
  async apply(v: ValidatedBlock): Promise<void> {
    await this.mmr.backend.put(v.mmr.nodes);
    this.mmr.setLeafCount(v.mmr.leafCount);
    this.outputs.push(...v.newOutputs);
    for (const ki of v.keyImages) this.spent.add(toHex(ki));
    this.height = v.block.header.height;
    this.tip = v.block.header;
  }
}
