/**
 * Genesis (docs/protocol.md §13): the genesis file format, its strict parser, the premine
 * allocation (5 % treasury, 2 % founders vesting linearly over 5 years in 60 monthly
 * tranches), the genesis block, and a devnet genesis builder that funds test wallets.
 *
 * Premine outputs are coinbase-style outputs (public amount, commitment `G + v·H`) to one-time
 * keys derived with the deterministic, public tx secret
 * `r = Hs("BAIOS/v1/genesis-tx-key", u32le(chainId))`; output `i` is `makeOutput(r, A, B, i, v)`.
 * Anyone can recompute and audit the premine; only the owners (spend keys) can spend it.
 * @module
 */
import { hashToScalar } from "@baios/crypto";
import { BLOCK_VERSION, BLOCKS_PER_YEAR, TAGS, U32_MAX, U64_MAX } from "./constants.ts";
import { ConsensusError } from "./errors.ts";
import { DEVNET_CHAIN_ID, GENESIS_FLOORS, devnetParams, type ChainParams } from "./params.ts";
import type { Block, FinalityCertificate, OutputRecord, Validator } from "./types.ts";
import { compareBytes, fromHex, toHex, u32le, ZERO_HASH } from "./encoding/bytes.ts";
import { blockHash, certificateHash, evidenceRoot, stakingRoot, txRoot } from "./hashes.ts";
import { makeCoinbase, type Address } from "./coinbase.ts";
import { FOUNDERS_PREMINE, PREMINE_TOTAL, TREASURY_PREMINE } from "./emission.ts";
import { makeValidatorSet } from "./engine.ts";
import { MemoryMmrBackend, Mmr, type MmrAppendResult } from "./mmr/mmr.ts";
import { blockOutputs, outputLeaves } from "./validation/block.ts";
import { emptyMmrRoot } from "./mmr/header.ts";
import { emptySuperParents, superParentsRoot } from "./cascade/super-parents.ts";
import { KISET_EMPTY } from "./kiset/hash.ts";
import { genesisStakingState } from "./staking/genesis.ts";
import { MAX_VALIDATORS_LIMIT } from "./staking/params.ts";
import { stakingStateHash } from "./staking/codec.ts";

/** Genesis file format tag (2: header v2 parameters — block target, epochs, staking). */
export const GENESIS_FORMAT = "baios-genesis/2";
/** Founders' vesting: 60 monthly tranches over 5 years. */
export const FOUNDERS_VESTING_TRANCHES = 60n;
/** Blocks between two founders' tranches: 5 · 3 153 600 / 60 = 262 800 (≈ 30.4 days). */
export const FOUNDERS_VESTING_STEP = (5n * BLOCKS_PER_YEAR) / FOUNDERS_VESTING_TRANCHES;

/** One premine output. */
export interface PremineEntry {
  /** Free text, e.g. "treasury", "founders 12/60", "devnet alice". */
  label: string;
  /** Recipient address. */
  to: Address;
  /** Amount in atomic units (u64, > 0). */
  amount: bigint;
  /** First height at which it may be spent (u64; 0 = at once). */
  unlockHeight: bigint;
}

/** A parsed genesis file. */
export interface Genesis {
  chainName: string;
  /** Genesis block time, ms since epoch (u64). */
  timeMs: bigint;
  /** The chain's parameters (chainId included). */
  params: ChainParams;
  /** The initial validator set (canonical order). */
  validators: Validator[];
  /** The premine outputs in output order. */
  premine: PremineEntry[];
  /**
   * A development chain (file field `"devnet": true`); chain id {@link DEVNET_CHAIN_ID} is one
   * too. A devnet may relax the floors `GENESIS_FLOORS.devnet` names (docs/protocol.md §13.1).
   */
  devnet?: boolean;
}

/** The JSON form of a genesis file (u64 as decimal strings, bytes as lower-case hex). */
export interface GenesisFile {
  format: typeof GENESIS_FORMAT;
  chainName: string;
  chainId: number;
  timeMs: string;
  params: {
    minRingSize: number;
    maxRingSize: number;
    minFee: string;
    maxTxBytes: number;
    maxInputs: number;
    maxOutputs: number;
    maxBlockBytes: number;
    maxBlockTxs: number;
    coinbaseMaturity: string;
    blockTimeMs: number;
    maxFutureBlockTimeMs: number;
    txPowTarget: string;
    blockTarget: string;
    blockTargetMax: string;
    epochLength: string;
    unbondingDelay: string;
    minStake: string;
    maxValidators: number;
    downtimeThresholdPermille: number;
  };
  validators: { publicKey: string; stake: string }[];
  premine: { label: string; viewPublic: string; spendPublic: string; amount: string; unlockHeight: string }[];
  /** Optional; only `true` is written (a devnet with another chain id). */
  devnet?: true;
}

// ---------------------------------------------------------------- strict JSON readers

const bad = (msg: string): never => {
  throw new ConsensusError("GENESIS_INVALID", msg);
};
function obj(v: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) bad(`${path}: expected an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(`${path}: unknown field "${k}"`);
  for (const k of keys) if (!Object.hasOwn(o, k)) bad(`${path}: missing field "${k}"`);
  return o;
}
function u32(v: unknown, path: string, min = 0): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > U32_MAX) bad(`${path}: expected an integer in ${min}..=${U32_MAX}`);
  return v as number;
}
function u64s(v: unknown, path: string): bigint {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(v)) bad(`${path}: expected a u64 as a canonical decimal string`);
  const x = BigInt(v as string);
  if (x > U64_MAX) bad(`${path}: out of u64 range`);
  return x;
}
function hex(v: unknown, path: string, len: number): Uint8Array {
  if (typeof v !== "string" || v.length !== 2 * len || !/^[0-9a-f]*$/.test(v)) bad(`${path}: expected ${len} bytes as lower-case hex`);
  return fromHex(v as string);
}
function str(v: unknown, path: string): string {
  if (typeof v !== "string" || v.length === 0 || v.length > 100) bad(`${path}: expected a non-empty string (≤ 100 chars)`);
  return v as string;
}

/**
 * Parses and checks a genesis file (JSON text or an already parsed object): exact fields and
 * types, a valid validator set, premine amounts > 0 summing to at most {@link PREMINE_TOTAL}.
 * @throws ConsensusError `GENESIS_INVALID`
 */
export function parseGenesis(input: string | unknown): Genesis {
  let raw: unknown = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      bad(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const keys = ["format", "chainName", "chainId", "timeMs", "params", "validators", "premine"];
  if (typeof raw === "object" && raw !== null && Object.hasOwn(raw, "devnet")) keys.push("devnet");
  const o = obj(raw, "genesis", keys);
  if (o.devnet !== undefined && o.devnet !== true) bad("devnet: expected true or absent");
  if (o.format !== GENESIS_FORMAT) bad(`format must be "${GENESIS_FORMAT}"`);
  const chainId = u32(o.chainId, "chainId");
  const p = obj(o.params, "params", [
    "minRingSize", "maxRingSize", "minFee", "maxTxBytes", "maxInputs", "maxOutputs", "maxBlockBytes", "maxBlockTxs", "coinbaseMaturity", "blockTimeMs", "maxFutureBlockTimeMs", "txPowTarget",
    "blockTarget", "blockTargetMax", "epochLength", "unbondingDelay", "minStake", "maxValidators", "downtimeThresholdPermille",
  ]);
  const params: ChainParams = {
    chainId,
    minRingSize: u32(p.minRingSize, "params.minRingSize", 1),
    maxRingSize: u32(p.maxRingSize, "params.maxRingSize", 1),
    minFee: u64s(p.minFee, "params.minFee"),
    maxTxBytes: u32(p.maxTxBytes, "params.maxTxBytes", 1),
    maxInputs: u32(p.maxInputs, "params.maxInputs", 1),
    maxOutputs: u32(p.maxOutputs, "params.maxOutputs", 1),
    maxBlockBytes: u32(p.maxBlockBytes, "params.maxBlockBytes", 1),
    maxBlockTxs: u32(p.maxBlockTxs, "params.maxBlockTxs"),
    coinbaseMaturity: u64s(p.coinbaseMaturity, "params.coinbaseMaturity"),
    blockTimeMs: u32(p.blockTimeMs, "params.blockTimeMs", 1),
    maxFutureBlockTimeMs: u32(p.maxFutureBlockTimeMs, "params.maxFutureBlockTimeMs"),
    txPowTarget: hex(p.txPowTarget, "params.txPowTarget", 32),
    blockTarget: hex(p.blockTarget, "params.blockTarget", 32),
    blockTargetMax: hex(p.blockTargetMax, "params.blockTargetMax", 32),
    epochLength: u64s(p.epochLength, "params.epochLength"),
    unbondingDelay: u64s(p.unbondingDelay, "params.unbondingDelay"),
    minStake: u64s(p.minStake, "params.minStake"),
    maxValidators: u32(p.maxValidators, "params.maxValidators"),
    downtimeThresholdPermille: u32(p.downtimeThresholdPermille, "params.downtimeThresholdPermille"),
  };
  if (params.maxRingSize < params.minRingSize || params.maxRingSize > 256) bad("params.maxRingSize must be in minRingSize..=256");
  if (params.maxOutputs > 16) bad("params.maxOutputs must be ≤ 16 (Bulletproofs+ aggregation limit)");
  if (!Array.isArray(o.validators)) bad("validators: expected an array");
  const validators = (o.validators as unknown[]).map((v, i) => {
    const x = obj(v, `validators[${i}]`, ["publicKey", "stake"]);
    return { publicKey: hex(x.publicKey, `validators[${i}].publicKey`, 32), stake: u64s(x.stake, `validators[${i}].stake`) };
  });
  const set = makeValidatorSet(validators);
  if (!Array.isArray(o.premine)) bad("premine: expected an array");
  let total = 0n;
  const premine = (o.premine as unknown[]).map((v, i): PremineEntry => {
    const x = obj(v, `premine[${i}]`, ["label", "viewPublic", "spendPublic", "amount", "unlockHeight"]);
    const amount = u64s(x.amount, `premine[${i}].amount`);
    if (amount === 0n) bad(`premine[${i}].amount must be > 0`);
    total += amount;
    return {
      label: str(x.label, `premine[${i}].label`),
      to: { viewPublic: hex(x.viewPublic, `premine[${i}].viewPublic`, 32), spendPublic: hex(x.spendPublic, `premine[${i}].spendPublic`, 32) },
      amount,
      unlockHeight: u64s(x.unlockHeight, `premine[${i}].unlockHeight`),
    };
  });
  if (total > PREMINE_TOTAL) bad(`premine total ${total} exceeds ${PREMINE_TOTAL} (7 % of the cap)`);
  const devnet = o.devnet === true || chainId === DEVNET_CHAIN_ID;
  checkGenesisFloors(params, set.validators, devnet);
  const g: Genesis = { chainName: str(o.chainName, "chainName"), timeMs: u64s(o.timeMs, "timeMs"), params, validators: [...set.validators], premine };
  if (o.devnet === true) g.devnet = true;
  return g;
}

const cmpBytes = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
};

/**
 * The whitepaper's floors (docs/protocol.md §13.1, `GENESIS_FLOORS`). Every chain:
 * `minRingSize ≥ 11`, `minFee ≥ 100 000`, `maxBlockTxs ≤ 1 024`. Every chain but a devnet:
 * `coinbaseMaturity ≥ 60`, each validator's stake ≥ 10 000 BAI, `blockTimeMs = 10 000`,
 * `txPowTarget ≤ DEFAULT_TXPOW_TARGET`, `blockTargetMax ≤ DEFAULT_BLOCK_TARGET_MAX`,
 * `minStake ≥ 10 000 BAI`, `unbondingDelay ≥ 8 640`. A devnet: maturity ≥ 1, stake ≥ 1,
 * `blockTimeMs ≥ 10`, any Tx-PoW and block target, `minStake ≥ 1`, `unbondingDelay ≥ 1`.
 * Every chain: `1 ≤ blockTarget ≤ blockTargetMax`, `epochLength ≥ 1`, `1 ≤ maxValidators ≤ 682`,
 * `downtimeThresholdPermille ≤ 1000`.
 * @throws ConsensusError `GENESIS_INVALID` naming the parameter and the floor
 */
export function checkGenesisFloors(params: ChainParams, validators: readonly Validator[], devnet: boolean): void {
  const F = GENESIS_FLOORS;
  const kind = devnet ? "devnet" : "non-devnet chain";
  if (params.minRingSize < F.minRingSize) bad(`params.minRingSize ${params.minRingSize} is below the floor ${F.minRingSize} (every chain)`);
  if (params.minFee < F.minFee) bad(`params.minFee ${params.minFee} is below the floor ${F.minFee} atomic units (every chain)`);
  if (params.maxBlockTxs > F.maxBlockTxs) bad(`params.maxBlockTxs ${params.maxBlockTxs} is above the ceiling ${F.maxBlockTxs} (every chain)`);
  const maturity = devnet ? F.devnet.coinbaseMaturity : F.coinbaseMaturity;
  if (params.coinbaseMaturity < maturity) bad(`params.coinbaseMaturity ${params.coinbaseMaturity} is below the floor ${maturity} blocks (${kind})`);
  const stake = devnet ? F.devnet.validatorStake : F.validatorStake;
  validators.forEach((v, i) => {
    if (v.stake < stake) bad(`validators[${i}].stake ${v.stake} is below the minimum ${stake} atomic units (${kind})`);
  });
  if (devnet) {
    if (params.blockTimeMs < F.devnet.blockTimeMs) bad(`params.blockTimeMs ${params.blockTimeMs} is below the floor ${F.devnet.blockTimeMs} ms (devnet)`);
  } else {
    if (params.blockTimeMs !== F.blockTimeMs) bad(`params.blockTimeMs ${params.blockTimeMs} must be ${F.blockTimeMs} ms (non-devnet chain: the emission schedule counts 8 640 blocks a day)`);
    if (cmpBytes(params.txPowTarget, F.txPowTarget) > 0) bad("params.txPowTarget is easier than the default target (non-devnet chain)");
    if (cmpBytes(params.blockTargetMax, F.blockTargetMax) > 0) bad(`params.blockTargetMax is easier than the ceiling ${toHex(F.blockTargetMax)} (non-devnet chain)`);
  }
  if (compareBytes(params.blockTarget, ZERO_HASH) === 0) bad("params.blockTarget must be ≥ 1 (every chain)");
  if (cmpBytes(params.blockTarget, params.blockTargetMax) > 0) bad("params.blockTarget is easier than params.blockTargetMax (every chain)");
  const minStake = devnet ? F.devnet.minStake : F.minStake;
  if (params.minStake < minStake) bad(`params.minStake ${params.minStake} is below the floor ${minStake} atomic units (${kind})`);
  const delay = devnet ? F.devnet.unbondingDelay : F.unbondingDelay;
  if (params.unbondingDelay < delay) bad(`params.unbondingDelay ${params.unbondingDelay} is below the floor ${delay} blocks (${kind})`);
  if (params.epochLength < 1n) bad("params.epochLength must be ≥ 1 block (every chain)");
  if (params.maxValidators < 1 || params.maxValidators > F.maxValidators) bad(`params.maxValidators ${params.maxValidators} must be in 1..=${F.maxValidators} (every chain: a certificate's decode limit)`);
  if (params.downtimeThresholdPermille > 1000) bad(`params.downtimeThresholdPermille ${params.downtimeThresholdPermille} must be ≤ 1000 (every chain)`);

}

/** The JSON form of a genesis (inverse of {@link parseGenesis}). */
export function genesisToFile(g: Genesis): GenesisFile {
  const p = g.params;
  return {
    format: GENESIS_FORMAT,
    chainName: g.chainName,
    chainId: p.chainId,
    timeMs: g.timeMs.toString(),
    params: {
      minRingSize: p.minRingSize,
      maxRingSize: p.maxRingSize,
      minFee: p.minFee.toString(),
      maxTxBytes: p.maxTxBytes,
      maxInputs: p.maxInputs,
      maxOutputs: p.maxOutputs,
      maxBlockBytes: p.maxBlockBytes,
      maxBlockTxs: p.maxBlockTxs,
      coinbaseMaturity: p.coinbaseMaturity.toString(),
      blockTimeMs: p.blockTimeMs,
      maxFutureBlockTimeMs: p.maxFutureBlockTimeMs,
      txPowTarget: toHex(p.txPowTarget),
      blockTarget: toHex(p.blockTarget),
      blockTargetMax: toHex(p.blockTargetMax),
      epochLength: p.epochLength.toString(),
      unbondingDelay: p.unbondingDelay.toString(),
      minStake: p.minStake.toString(),
      maxValidators: p.maxValidators,
      downtimeThresholdPermille: p.downtimeThresholdPermille,
    },
    validators: g.validators.map((v) => ({ publicKey: toHex(v.publicKey), stake: v.stake.toString() })),
    premine: g.premine.map((e) => ({ label: e.label, viewPublic: toHex(e.to.viewPublic), spendPublic: toHex(e.to.spendPublic), amount: e.amount.toString(), unlockHeight: e.unlockHeight.toString() })),
    ...(g.devnet === true ? { devnet: true as const } : {}),
  };
}

/** The genesis tx secret `Hs("BAIOS/v1/genesis-tx-key", u32le(chainId))` (32 bytes, public). */
export function genesisTxSecret(chainId: number): Uint8Array {
  return hashToScalar(TAGS.genesisTxKey, u32le(chainId));
}

/**
 * The mainnet premine: treasury 1 050 000 000 BAI unlocked at once, founders 420 000 000 BAI in
 * 60 tranches of 7 000 000 BAI, tranche `m` (1..=60) unlocking at height `m · 262 800`.
 */
export function standardPremine(treasury: Address, founders: Address): PremineEntry[] {
  const out: PremineEntry[] = [{ label: "treasury", to: treasury, amount: TREASURY_PREMINE, unlockHeight: 0n }];
  const tranche = FOUNDERS_PREMINE / FOUNDERS_VESTING_TRANCHES;
  for (let m = 1n; m <= FOUNDERS_VESTING_TRANCHES; m++) out.push({ label: `founders ${m}/${FOUNDERS_VESTING_TRANCHES}`, to: founders, amount: tranche, unlockHeight: m * FOUNDERS_VESTING_STEP });
  return out;
}

/** The genesis block and what the node stores for it. */
export interface GenesisBlock {
  block: Block;
  hash: Uint8Array;
  newOutputs: OutputRecord[];
  mmr: MmrAppendResult;
}

/**
 * The `lastCertificate` carried by the genesis body: `{height 0, round 0, blockHash: 32 zero
 * bytes, votes: []}` (genesis has no parent).
 */
export function genesisBodyCertificate(): FinalityCertificate {
  return { height: 0n, round: 0, blockHash: ZERO_HASH.slice(), votes: [] };
}

/**
 * The certificate of the genesis block itself, carried as `lastCertificate` by block 1 (and
 * stored by nodes): `{height 0, round 0, blockHash: genesis hash, votes: []}` — genesis is
 * trusted by its hash, nobody signs it.
 */
export function genesisCertificate(genesisHash: Uint8Array): FinalityCertificate {
  return { height: 0n, round: 0, blockHash: genesisHash.slice(), votes: [] };
}

/**
 * Builds the genesis block: height 0, zero parent hash, coinbase = the premine outputs (output
 * `i` derived with {@link genesisTxSecret}), no txs, `blockTarget` = the initial target
 * `params.blockTarget`, `validatorsHash` = `nextValidatorsHash` = the genesis set's hash, body
 * certificate {@link genesisBodyCertificate}, no unbonds or evidence, `headerRoot` the empty
 * MMR's root, `superParentsRoot` over `emptySuperParents()` (32 none entries), `keyImageRoot`
 * 32 zero bytes (the empty set), `stakingStateHash` of {@link genesisStakingStateHash}, `powNonce` 0 (genesis is
 * trusted by its hash and need not meet its target).
 * @throws CryptoError when a premine address is not a valid point
 */
/**
 * `stakingStateHash(genesisStakingState(g.validators, …))` (32 bytes, docs/consensus.md §5.4–§5.5):
 * the genesis header's `stakingStateHash`. No parameter enters the state's bytes, so this hash
 * checks only what the bytes need (a non-empty set of distinct 32-byte keys with stakes ≥ 1); the
 * genesis's stake rules (`minStake`, `maxValidators`) are the node's `genesisStakingState` checks.
 * @throws ConsensusError `GENESIS_INVALID`
 */
export function genesisStakingStateHash(g: Pick<Genesis, "validators" | "params">): Uint8Array {
  const p = g.params;
  // only the validators enter the bytes; the bounds here just satisfy checkStakingParams
  const state = genesisStakingState(g.validators, {
    epochLength: p.epochLength >= 1n ? p.epochLength : 1n,
    unbondingDelay: p.unbondingDelay >= 1n ? p.unbondingDelay : 1n,
    minStake: 1n,
    maxValidators: Math.max(1, Math.min(g.validators.length, MAX_VALIDATORS_LIMIT)),
    downtimeThresholdPermille: 0,
    equivocationBurnPermille: 1000,
    invalidAttestationBurnPermille: 100,
  });
  return stakingStateHash(state);
}

export async function buildGenesisBlock(g: Genesis): Promise<GenesisBlock> {
  const coinbase = makeCoinbase(
    0n,
    genesisTxSecret(g.params.chainId),
    g.premine.map((e) => ({ to: e.to, amount: e.amount, unlockHeight: e.unlockHeight })),
  );
  const setHash = makeValidatorSet(g.validators).hash;
  const lastCertificate = genesisBodyCertificate();
  const block: Block = {
    header: {
      version: BLOCK_VERSION,
      chainId: g.params.chainId,
      height: 0n,
      parentHash: ZERO_HASH.slice(),
      timeMs: g.timeMs,
      txRoot: txRoot(coinbase, []),
      outputRoot: new Uint8Array(32),
      outputCount: 0n,
      txPowTarget: g.params.txPowTarget.slice(),
      blockTarget: g.params.blockTarget.slice(),
      validatorsHash: setHash,
      nextValidatorsHash: setHash.slice(),
      lastCertificateHash: certificateHash(lastCertificate),
      evidenceRoot: evidenceRoot([]),
      stakingRoot: stakingRoot([]),
      headerRoot: emptyMmrRoot(),
      superParentsRoot: superParentsRoot(emptySuperParents()),
      keyImageRoot: KISET_EMPTY.slice(),
      stakingStateHash: genesisStakingStateHash(g),
      powNonce: 0n,
    },
    coinbase,
    txs: [],
    lastCertificate,
    unbonds: [],
    evidence: [],
  };
  const newOutputs = blockOutputs(block, 0n);
  const mmr = await new Mmr(new MemoryMmrBackend()).preview(outputLeaves(newOutputs));
  block.header.outputRoot = mmr.root;
  block.header.outputCount = mmr.leafCount;
  return { block, hash: blockHash(block.header), newOutputs, mmr };
}

/** Options of {@link devnetGenesis}. */
export interface DevnetGenesisOptions {
  /** Test wallets and their amounts (atomic units), unlocked at once. */
  wallets: readonly { label?: string; address: Address; amount: bigint }[];
  /** Validators (Ed25519 keys and stakes). */
  validators: readonly Validator[];
  /** Genesis time, ms since epoch (default: 2026-01-01T00:00:00Z). */
  timeMs?: bigint;
  /** Parameter overrides over {@link devnetParams} (chain id DEVNET_CHAIN_ID, easy block target, minStake 1; an easier txPowTarget is typical). */
  params?: Partial<ChainParams>;
  /** Chain name (default "baios-devnet"). */
  chainName?: string;
}

/**
 * A devnet genesis funding test wallets (premine entries with unlock height 0).
 * @throws ConsensusError `GENESIS_INVALID` (e.g. the amounts exceed the premine allowance)
 */
export function devnetGenesis(opts: DevnetGenesisOptions): Genesis {
  const params = devnetParams(opts.params);
  const g: Genesis = {
    chainName: opts.chainName ?? "baios-devnet",
    timeMs: opts.timeMs ?? 1_767_225_600_000n,
    params,
    validators: [...opts.validators],
    premine: opts.wallets.map((w, i) => ({ label: w.label ?? `devnet wallet ${i}`, to: w.address, amount: w.amount, unlockHeight: 0n })),
  };
  if (params.chainId !== DEVNET_CHAIN_ID) g.devnet = true;
  return parseGenesis(genesisToFile(g)); // one code path for every check
}
