/**
 * Test fixture: an in-memory chain (ChainView + output MMR + tip) built from a devnet genesis,
 * with owned outputs the test tx builder can spend. Not production code.
 */
import { oneTimeSecret, randomScalar, walletKeysFromSeed, type WalletKeys } from "@baios/crypto";
import { DEVNET_BLOCK_TARGET, DEVNET_BLOCK_TARGET_MAX, defaultParams, type ChainParams } from "../../src/params.ts";
import type { Block, BlockHeader, ChainView, Evidence, FinalityCertificate, OutputRecord, Tx, Unbond, UnbondPayout } from "../../src/types.ts";
import { buildGenesisBlock, genesisCertificate, genesisToFile, parseGenesis, type Genesis, type PremineEntry } from "../../src/genesis.ts";
import { MemoryMmrBackend, Mmr } from "../../src/mmr/mmr.ts";
import { SCALAR_ONE, toHex } from "../../src/encoding/bytes.ts";
import type { BlockContext, ValidatedBlock } from "../../src/validation/block.ts";
import { ed25519PublicKey, h32 } from "@baios/crypto";
import { assembleBlock } from "../../src/builder.ts";
import { certificateFromVotes, makeValidatorSet, signVote, verifyFinalityCertificate } from "../../src/engine.ts";
import { blockHash } from "../../src/hashes.ts";
import { mineBlock, nextBlockTarget } from "../../src/pow.ts";
import type { Address } from "../../src/coinbase.ts";
import { headerLeafHash } from "../../src/mmr/header.ts";
import { MemoryKisetBackend } from "../../src/kiset/tree.ts";
import { emptySuperParents, nextSuperParents, type SuperParents } from "../../src/cascade/super-parents.ts";

/**
 * The fixture's stand-in for `stakingStateHash(state after block height)`: this fixture has no
 * staking state machine (the node's executor supplies the real hash), so each height gets a
 * distinct deterministic 32-byte value `h32("BAIOS/test/staking", u64le height)`.
 */
export function fixtureStakingHash(height: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, height, true);
  return h32("BAIOS/test/staking", b);
}

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

/** Options of {@link TestChain.nextBlock}. */
export interface NextBlockOptions {
  /** Block time (default parent time + blockTimeMs). */
  timeMs?: bigint;
  coinbaseSecret?: Uint8Array;
  rewardTo?: Address;
  unbonds?: Unbond[];
  evidence?: Evidence[];
  payouts?: UnbondPayout[];
  /** Runs on the assembled block before it is mined (so the PoW still holds). */
  mutate?: (b: Block) => void;
  /** Skip mining (the header keeps nonce 0). */
  unmined?: boolean;
}

/** Mines a header in place (devnet target: ~1 000 hashes). */
export function mineHeader(h: BlockHeader): void {
  const m = mineBlock(h, { maxTries: 1 << 24, startNonce: 0n });
  if (m === undefined) throw new Error("no nonce");
  h.powNonce = m.powNonce;
}

export class TestChain implements ChainView {
  height = 0n;
  readonly outputs: OutputRecord[] = [];
  readonly spent = new Set<string>();
  readonly mmr = new Mmr(new MemoryMmrBackend());
  /** Header MMR: leaf i = headerLeafHash(i, hash of block i), genesis … tip. */
  readonly headerMmr = new Mmr(new MemoryMmrBackend());
  /** Its root (what the next block's headerRoot must be). */
  headerRoot!: Uint8Array;
  /** Super-parent pointers after the tip. */
  superParents: SuperParents = emptySuperParents();
  /** The key-image set after the tip. */
  readonly kiset = new MemoryKisetBackend();
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
    this.params = defaultParams({ chainId: 0x7e57, txPowTarget: EASY_TARGET, blockTarget: DEVNET_BLOCK_TARGET, blockTargetMax: DEVNET_BLOCK_TARGET_MAX, ...params });
  }

  /** `timeMs` of the tip's parent (undefined while the tip is genesis). */
  grandparentTimeMs: bigint | undefined = undefined;
  /** The tip's finality certificate (genesis: the empty-vote certificate). */
  tipCertificate!: FinalityCertificate;

  /** The validator set (the genesis set; it never changes here). */
  get validatorSet() {
    return makeValidatorSet(this.genesis.validators);
  }

  /** The finality certificate of `block` in round 0: the single validator's precommit (it holds all the stake). */
  certify(block: Block): FinalityCertificate {
    const hash = blockHash(block.header);
    const h = block.header.height;
    return certificateFromVotes(h, 0, hash, [signVote(this.validatorSeed, "precommit", this.params.chainId, h, 0, hash)]);
  }

  /** The validation context of the next block: parent = tip, certificates checked against the genesis set. */
  blockContext(over: Partial<BlockContext> = {}): BlockContext {
    const set = this.validatorSet;
    return {
      params: this.params,
      parent: this.tip,
      grandparentTimeMs: this.grandparentTimeMs,
      view: this,
      mmr: this.mmr,
      expectedNextValidatorsHash: set.hash,
      expectedStakingStateHash: fixtureStakingHash(this.tip.height + 1n),
      expectedHeaderRoot: this.headerRoot,
      superParents: this.superParents,
      kiset: this.kiset,
      verifyLastCertificate: (cert, parent) => verifyFinalityCertificate(cert, { chainId: this.params.chainId, height: parent.height, blockHash: blockHash(parent), validatorSet: set }),
      ...over,
    };
  }

  /** Assembles (and mines, after `mutate`) the next block on the tip. */
  async nextBlock(txs: Tx[], o: NextBlockOptions = {}): Promise<Block> {
    const a = await assembleBlock({
      params: this.params,
      parent: this.tip,
      mmr: this.mmr,
      headerRoot: this.headerRoot,
      superParents: this.superParents,
      kiset: this.kiset,
      txs,
      timeMs: o.timeMs ?? this.tip.timeMs + BigInt(this.params.blockTimeMs),
      blockTarget: nextBlockTarget(this.tip, this.grandparentTimeMs, this.params),
      nextValidatorsHash: this.validatorSet.hash,
      stakingStateHash: fixtureStakingHash(this.tip.height + 1n),
      lastCertificate: this.tipCertificate,
      ...(o.unbonds === undefined ? {} : { unbonds: o.unbonds }),
      ...(o.evidence === undefined ? {} : { evidence: o.evidence }),
      ...(o.payouts === undefined ? {} : { payouts: o.payouts }),
      rewardTo: o.rewardTo ?? { viewPublic: this.alice.viewPublic, spendPublic: this.alice.spendPublic },
      coinbaseSecret: o.coinbaseSecret ?? randomScalar(),
    });
    o.mutate?.(a.block);
    if (o.unmined !== true) mineHeader(a.block.header);
    return a.block;
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
    this.headerRoot = (await this.headerMmr.append([headerLeafHash(0n, gb.hash)])).root;
    this.superParents = nextSuperParents(emptySuperParents(), gb.block.header, gb.hash);
    this.tipCertificate = genesisCertificate(gb.hash);
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
    this.headerRoot = (await this.headerMmr.append([headerLeafHash(v.block.header.height, v.hash)])).root;
    this.superParents = v.superParents;
    if (v.kiset !== undefined) this.kiset.put(v.kiset.writes);
    this.height = v.block.header.height;
    this.grandparentTimeMs = this.tip.timeMs;
    this.tip = v.block.header;
    this.tipCertificate = this.certify(v.block);
  }
}
