/**
 * The JSON-RPC methods (docs/node.md §RPC reference). Parameters are by name (a JSON object).
 * @module
 */
import { encodeKisetProof, headerLeafHash, leafIndexToPos0, proveKeyImage, verifyKeyImageProof } from "@baios/consensus";
import { ConsensusError, blockHash, decodeStakingState, decodeUnbond, equalBytes, type Unbond, sortValidators, validatorsHash, decodeBlock, encodeInclusionProof, encodeTx, mmrLeafHash, type Block, type ChainParams, type Validator } from "@baios/consensus";
import { consistencyRoots, encodeConsistencyProof } from "@baios/consensus";
import type { MmrConsistencyProofResult } from "@baios/api";
import type { Chain } from "../chain.ts";
import { AlreadyInPoolError, MempoolFullError, type Mempool } from "../mempool.ts";
import { NodeBusyError } from "../workers/busy.ts";
import type { RpcMethod } from "./server.ts";
import { hex, num, paramsObject, parseHex, parseUint } from "./convert.ts";
import { invalidParams, rpcError } from "./errors.ts";
import { stakingResult, type StakingSource } from "./staking.ts";
import { getLightUpdate, type LightUpdateResult } from "./light.ts";
import { certificateJson, coinbaseJson, headerJson, scanTxJson, txJson } from "./json.ts";
import type {
  BlockResult,
  BlocksRangeResult,
  CascadeResult,
  CoinbaseJson,
  DistributionResult,
  HeaderProofResult,
  HeaderJson,
  KeyImageProofResult,
  KeyImagesResult,
  KeyImageStatus,
  MempoolResult,
  MmrProofResult,
  NetworkStatusJson,
  OutputJson,
  OutputsResult,
  ParamsResult,
  ScanBlockJson,
  StakingResult,
  StatusResult,
  SubmitTxResult,
  SubmitUnbondResult,
  TxResult,
  ValidatorsResult,
} from "@baios/api";

export type {
  BlockResult,
  BlocksRangeResult,
  CascadeResult,
  DistributionResult,
  HeaderProofResult,
  KeyImageProofResult,
  KeyImagesResult,
  KeyImageStatus,
  MempoolResult,
  MmrProofResult,
  NetworkStatusJson,
  OutputJson,
  OutputsResult,
  ParamsResult,
  ScanBlockJson,
  StatusResult,
  SubmitTxResult,
  SubmitUnbondResult,
  TxResult,
  ValidatorsResult,
} from "@baios/api";

/** Limits on one request. */
export const RPC_LIMITS = { blocksRange: 1000, outputs: 5000, distribution: 100_000, keyImages: 5000 } as const;

/** What the methods need from the node. */
export interface RpcContext {
  chain: Chain;
  mempool: Mempool;
  params: ChainParams;
  /** Validates and pools a transaction. @throws ConsensusError, MempoolFullError, AlreadyInPoolError */
  submitTx(bytes: Uint8Array): Promise<Uint8Array>;
  /** The validator's Ed25519 public key when this node produces blocks. */
  validatorKey: Uint8Array | undefined;
  /** The genesis validator set (served by `get_validators`, so a wallet can verify finality certificates); absent: `get_validators` answers NOT_FOUND. */
  validators?: readonly Validator[];
  version: string;
  /**
   * Admits a signed unbond request to this node's unbond pool and gossips it on the `unbond` topic (`submit_unbond`; consensus/unbond-pool.ts, consensus/unbond-gossip.ts).
   * @returns false when already pooled
   * @throws ConsensusError `BLOCK_UNBOND_INVALID`, `STAKE_*`
   */
  submitUnbond?: (u: Unbond) => boolean;
  /** The staking state after the tip (`get_staking`, docs/consensus.md §5); absent: `get_staking` answers NOT_FOUND. */
  staking?: (() => StakingSource) | undefined;
  /** The network part of `status` (net/p2pnode.ts), absent without p2p. */
  network?: (() => NetworkStatusJson) | undefined;
  /** `--mode` (shown by `status`; default `archive`). */
  mode?: "archive" | "pruned";
}

/** The warning of a node that is not a validator and has no peer: it cannot learn new blocks (status `network.warning`, and a log line). */
export const ISOLATED_WARNING = "not a validator and no peers: this node cannot learn new blocks; check --bootstrap <multiaddr>/p2p/<peerId> and the network";

// ---------------------------------------------------------------- helpers

async function resolveHeight(ctx: RpcContext, p: Record<string, unknown>): Promise<number> {
  if (p["hash"] !== undefined) {
    const h = await ctx.chain.heightOf(parseHex(p["hash"], "hash", 32));
    if (h === undefined) throw rpcError("NOT_FOUND", "no block with this hash");
    return h;
  }
  if (p["height"] === undefined) throw invalidParams("expected height or hash");
  const h = parseUint(p["height"], "height");
  if (h > ctx.chain.tip.height) throw rpcError("NOT_FOUND", `no block at height ${h} (tip ${ctx.chain.tip.height})`);
  return h;
}

/**
 * The PRUNED error for a body below the store's tail (`data: { code: "PRUNED", tail }`), or
 * undefined when `height` is at or above the tail.
 */
export function prunedError(ctx: Pick<RpcContext, "chain">, height: number): ReturnType<typeof rpcError> | undefined {
  const tail = ctx.chain.store.tail;
  if (height >= tail) return undefined;
  return rpcError("PRUNED", `block ${height} is pruned below height ${tail} on this node: ask an archive node for bodies below ${tail}`, { code: "PRUNED", tail });
}

/**
 * The answer for a header this node no longer stores (docs/pruning.md §Headers and the cascade):
 * `PRUNED` (`data: { code: "PRUNED", tail }`, tail = lowest height whose header is kept) for a
 * height at or below the tip, else `NOT_FOUND`.
 */
export function headerPrunedError(ctx: Pick<RpcContext, "chain">, height: number, more = ""): ReturnType<typeof rpcError> {
  if (height > ctx.chain.tip.height) return rpcError("NOT_FOUND", `no header at height ${height}`);
  const tail = ctx.chain.store.heads.stateTail;
  return rpcError("PRUNED", `header ${height} is pruned on this node (headers are kept from height ${tail}; older ones only in the cascade, get_cascade)${more}`, { code: "PRUNED", tail });
}

async function loadBlock(ctx: RpcContext, height: number): Promise<{ block: Block; bytes: Uint8Array }> {
  const pruned = prunedError(ctx, height);
  if (pruned !== undefined) throw pruned;
  const bytes = await ctx.chain.store.getBlock(height);
  if (bytes === undefined) throw prunedError(ctx, height) ?? rpcError("NOT_FOUND", `no block at height ${height}`);
  return { block: decodeBlock(bytes, Number.MAX_SAFE_INTEGER), bytes };
}

/** Global index of the first output created by block `height`. */
async function firstOutputIndex(ctx: RpcContext, height: number): Promise<number> {
  if (height === 0) return 0;
  const c = await ctx.chain.store.getCumulativeOutputs(height - 1);
  if (c === undefined) throw rpcError("NOT_FOUND", `no block at height ${height - 1}`);
  return c;
}

/** The `payouts` field of a scan block (absent when the block pays none). */
async function payoutsJson(ctx: RpcContext, h: number, firstIndex: number): Promise<{ payouts?: CoinbaseJson[] }> {
  const list = await ctx.chain.store.getPayouts(h);
  if (list.length === 0) return {};
  const commitments = await coinbaseCommitments(ctx, firstIndex, list.length);
  const unlock = BigInt(h) + ctx.params.coinbaseMaturity;
  return {
    payouts: list.map((p, i) =>
      coinbaseJson({ height: BigInt(h), txPublicKey: p.txPublicKey, outputs: [{ oneTimeKey: p.oneTimeKey, viewTag: p.viewTag, amount: p.amount, unlockHeight: unlock }] }, firstIndex + i, [commitments[i] as Uint8Array]),
    ),
  };
}

/** The set that finalizes block `h + 1`, from the staking record stored with block `h` (`u64le setStart ‖ state`). */
async function nextValidatorsJson(ctx: RpcContext, h: number): Promise<{ publicKey: string; stake: string }[]> {
  const rec = await ctx.chain.store.getStaking(h);
  if (rec === undefined) throw rpcError("NOT_FOUND", `no staking record at height ${h}`);
  return decodeStakingState(rec.subarray(8)).nextValidatorSet.validators.map((v) => ({ publicKey: hex(v.publicKey), stake: v.stake.toString() }));
}

/**
 * Global index of a block's first tx output: after its coinbase outputs and the unbond payouts
 * paid in it (docs/protocol.md §5.3). Payouts are not in the block body; their number is what the
 * header's outputCount leaves after the coinbase and tx outputs.
 */
function firstTxOutputIndex(block: Block, first: number): number {
  const txOutputs = block.txs.reduce((n, tx) => n + tx.outputs.length, 0);
  const payouts = Number(block.header.outputCount) - first - block.coinbase.outputs.length - txOutputs;
  return first + block.coinbase.outputs.length + Math.max(0, payouts);
}

async function coinbaseCommitments(ctx: RpcContext, first: number, n: number): Promise<Uint8Array[]> {
  const recs = await ctx.chain.store.getOutputs(Array.from({ length: n }, (_, i) => first + i));
  return recs.map((r) => r?.commitment ?? new Uint8Array(32));
}

async function blockTxids(ctx: RpcContext, height: number, block: Block): Promise<Uint8Array[]> {
  const ids = await ctx.chain.store.getBlockTxids(height);
  if (ids === undefined) {
    const pruned = prunedError(ctx, height);
    if (pruned !== undefined) throw pruned;
  }
  if (ids === undefined || ids.length !== block.txs.length) throw rpcError("INTERNAL_ERROR", `txids of block ${height} missing`);
  return ids;
}

function statusOfError(e: unknown): never {
  if (e instanceof ConsensusError) throw rpcError("TX_REJECTED", `transaction rejected: ${e.code}`, e.toJSON());
  if (e instanceof MempoolFullError) throw rpcError("MEMPOOL_FULL", e.message);
  if (e instanceof AlreadyInPoolError) throw rpcError("TX_ALREADY_KNOWN", e.message);
  if (e instanceof NodeBusyError) throw rpcError("NODE_BUSY", "busy, retry later", e.toJSON());
  throw e;
}

// ---------------------------------------------------------------- the methods

/** Builds the method table over a node context. */
export function createMethods(ctx: RpcContext): Record<string, RpcMethod> {
  return {
    status: async (): Promise<StatusResult> => {
      const tip = ctx.chain.tip;
      const header = ctx.chain.tipHeader;
      const genesis = await ctx.chain.store.genesisHash();
      return {
        version: ctx.version,
        chainId: ctx.params.chainId,
        genesisHash: genesis === undefined ? "" : hex(genesis),
        height: tip.height,
        tipHash: hex(tip.hash),
        tipTimeMs: num(header.timeMs),
        outputCount: tip.outputs,
        keyImageCount: tip.keyImages,
        outputRoot: hex(header.outputRoot),
        mempool: { txs: ctx.mempool.size, bytes: ctx.mempool.bytes },
        validator: ctx.validatorKey === undefined ? null : hex(ctx.validatorKey),
        mode: ctx.mode ?? "archive",
        tail: ctx.chain.store.tail,
        ...(ctx.network === undefined ? {} : { network: ctx.network() }),
      };
    },

    get_params: (): ParamsResult => {
      const p = ctx.params;
      const entries = ctx.mempool.entries();
      let fee = p.minFee;
      const full = ctx.mempool.bytes > ctx.mempool.limits.maxBytes * 0.9 || ctx.mempool.size >= ctx.mempool.limits.maxTxs;
      const lowest = entries[entries.length - 1];
      if (full && lowest !== undefined) {
        // fee per byte just above the lowest pooled tx, for a typical 1-in/2-out tx (~3 KiB)
        const perByte = lowest.fee / BigInt(Math.max(1, lowest.bytes.length)) + 1n;
        const est = perByte * 3072n;
        if (est > fee) fee = est;
      }
      return {
        chainId: p.chainId,
        minRingSize: p.minRingSize,
        maxRingSize: p.maxRingSize,
        minFee: p.minFee.toString(),
        fee: fee.toString(),
        txPowTarget: hex(p.txPowTarget),
        maxTxBytes: p.maxTxBytes,
        maxInputs: p.maxInputs,
        maxOutputs: p.maxOutputs,
        maxBlockBytes: p.maxBlockBytes,
        maxBlockTxs: p.maxBlockTxs,
        coinbaseMaturity: num(p.coinbaseMaturity),
        blockTimeMs: p.blockTimeMs,
      };
    },

    get_validators: (): ValidatorsResult => {
      if (ctx.validators === undefined) throw rpcError("NOT_FOUND", "this node does not serve its validator set");
      const sorted = sortValidators(ctx.validators);
      return { validators: sorted.map((v) => ({ publicKey: hex(v.publicKey), stake: v.stake.toString() })), hash: hex(validatorsHash(sorted)) };
    },

    get_staking: (params): StakingResult => {
      if (ctx.staking === undefined) throw rpcError("NOT_FOUND", "this node does not serve its staking state");
      return stakingResult(ctx.staking(), params);
    },

    get_header: async (params): Promise<HeaderJson> => {
      const height = await resolveHeight(ctx, paramsObject(params));
      const h = await ctx.chain.header(height);
      if (h === undefined) throw headerPrunedError(ctx, height);
      return headerJson(h, blockHash(h));
    },

    get_block: async (params): Promise<BlockResult> => {
      const p = paramsObject(params);
      const height = await resolveHeight(ctx, p);
      const format = p["format"] ?? "json";
      if (format !== "json" && format !== "hex") throw invalidParams('format: expected "json" or "hex"');
      const { block, bytes } = await loadBlock(ctx, height);
      const cert = await ctx.chain.certificate(height);
      if (cert === undefined) throw rpcError("NOT_FOUND", `no certificate at height ${height}`);
      const first = await firstOutputIndex(ctx, height);
      const ids = await blockTxids(ctx, height, block);
      let idx = firstTxOutputIndex(block, first);
      const txs = block.txs.map((tx, i) => {
        const j = txJson(tx, ids[i] as Uint8Array, idx);
        idx += tx.outputs.length;
        return j;
      });
      const res: BlockResult = {
        header: headerJson(block.header, blockHash(block.header)),
        coinbase: coinbaseJson(block.coinbase, first, await coinbaseCommitments(ctx, first, block.coinbase.outputs.length)),
        txs,
        certificate: certificateJson(cert),
      };
      if (format === "hex") res.hex = hex(bytes);
      return res;
    },

    get_blocks_range: async (params): Promise<BlocksRangeResult> => {
      const p = paramsObject(params);
      const tip = ctx.chain.tip.height;
      const from = parseUint(p["from"], "from");
      const to = Math.min(p["to"] === undefined ? tip : parseUint(p["to"], "to"), tip);
      if (to >= from && to - from + 1 > RPC_LIMITS.blocksRange) throw invalidParams(`at most ${RPC_LIMITS.blocksRange} blocks per call`);
      const blocks: ScanBlockJson[] = [];
      for (let h = from; h <= to; h++) {
        const { block } = await loadBlock(ctx, h);
        const first = await firstOutputIndex(ctx, h);
        const ids = await blockTxids(ctx, h, block);
        let idx = firstTxOutputIndex(block, first);
        const txs = block.txs.map((tx, i) => {
          const j = scanTxJson(tx, ids[i] as Uint8Array, idx);
          idx += tx.outputs.length;
          return j;
        });
        const cert = await ctx.chain.certificate(h);
        if (cert === undefined) throw rpcError("NOT_FOUND", `no certificate at height ${h}`);
        const bh = blockHash(block.header);
        blocks.push({
          height: h,
          hash: hex(bh),
          timeMs: num(block.header.timeMs),
          coinbase: coinbaseJson(block.coinbase, first, await coinbaseCommitments(ctx, first, block.coinbase.outputs.length)),
          txs,
          header: headerJson(block.header, bh),
          certificate: certificateJson(cert),
          ...(equalBytes(block.header.nextValidatorsHash, block.header.validatorsHash) ? {} : { nextValidators: await nextValidatorsJson(ctx, h) }),
          ...(await payoutsJson(ctx, h, first + block.coinbase.outputs.length)),
        });
      }
      return { tip, blocks };
    },

    get_outputs: async (params): Promise<OutputsResult> => {
      const p = paramsObject(params);
      const raw = p["indices"];
      if (!Array.isArray(raw)) throw invalidParams("indices: expected an array of global indices");
      if (raw.length > RPC_LIMITS.outputs) throw invalidParams(`at most ${RPC_LIMITS.outputs} indices per call`);
      const indices = raw.map((v, i) => parseUint(v, `indices[${i}]`));
      const recs = await ctx.chain.store.getOutputs(indices);
      return {
        outputs: recs.map((r, i) =>
          r === undefined
            ? null
            : { globalIndex: indices[i] as number, oneTimeKey: hex(r.oneTimeKey), commitment: hex(r.commitment), height: r.height, unlockHeight: num(r.unlockHeight) },
        ),
      };
    },

    get_output_distribution: async (params): Promise<DistributionResult> => {
      const p = paramsObject(params);
      const tip = ctx.chain.tip.height;
      const from = p["from"] === undefined ? 0 : parseUint(p["from"], "from");
      const to = Math.min(p["to"] === undefined ? tip : parseUint(p["to"], "to"), tip);
      if (to >= from && to - from + 1 > RPC_LIMITS.distribution) throw invalidParams(`at most ${RPC_LIMITS.distribution} heights per call`);
      const cumulative = to >= from ? await ctx.chain.store.getCumulativeOutputsRange(from, to) : [];
      return { from, to, cumulative };
    },

    submit_tx: async (params): Promise<SubmitTxResult> => {
      const p = paramsObject(params);
      const bytes = parseHex(p["tx"], "tx");
      if (bytes.length === 0) throw invalidParams("tx: empty");
      try {
        return { txid: hex(await ctx.submitTx(bytes)) };
      } catch (e) {
        return statusOfError(e);
      }
    },

    submit_unbond: (params): SubmitUnbondResult => {
      const p = paramsObject(params);
      const bytes = parseHex(p["unbond"], "unbond");
      if (ctx.submitUnbond === undefined) throw rpcError("NOT_FOUND", "this node does not take unbond requests");
      let u: Unbond;
      try {
        u = decodeUnbond(bytes);
      } catch (e) {
        if (e instanceof ConsensusError) throw invalidParams(`unbond: ${e.code}: ${e.reason}`);
        throw e;
      }
      try {
        return { accepted: ctx.submitUnbond(u) };
      } catch (e) {
        if (e instanceof ConsensusError) throw rpcError("TX_REJECTED", `unbond rejected: ${e.code}`, e.toJSON());
        throw e;
      }
    },

    get_tx: async (params): Promise<TxResult> => {
      const p = paramsObject(params);
      const txid = parseHex(p["txid"], "txid", 32);
      const pooled = ctx.mempool.get(txid);
      if (pooled !== undefined) {
        return { txid: hex(txid), status: "mempool", height: null, position: null, tx: txJson(pooled.tx, txid), hex: hex(pooled.bytes) };
      }
      const loc = await ctx.chain.store.getTxLocation(txid);
      if (loc === undefined) throw rpcError("NOT_FOUND", "unknown transaction");
      const { block } = await loadBlock(ctx, loc.height);
      const tx = block.txs[loc.position];
      if (tx === undefined) throw rpcError("INTERNAL_ERROR", "tx index points outside its block");
      let idx = (await firstOutputIndex(ctx, loc.height)) + block.coinbase.outputs.length;
      for (let i = 0; i < loc.position; i++) idx += block.txs[i]?.outputs.length ?? 0;
      return { txid: hex(txid), status: "confirmed", height: loc.height, position: loc.position, tx: txJson(tx, txid, idx), hex: hex(encodeTx(tx)) };
    },

    get_mempool: (): MempoolResult => ({
      count: ctx.mempool.size,
      bytes: ctx.mempool.bytes,
      txs: ctx.mempool.entries().map((e) => ({ txid: e.txidHex, fee: e.fee.toString(), size: e.bytes.length, receivedMs: e.receivedMs })),
    }),

    is_key_image_spent: async (params): Promise<KeyImagesResult> => {
      const p = paramsObject(params);
      const raw = p["keyImages"];
      if (!Array.isArray(raw)) throw invalidParams("keyImages: expected an array of hex key images");
      if (raw.length > RPC_LIMITS.keyImages) throw invalidParams(`at most ${RPC_LIMITS.keyImages} key images per call`);
      const kis = raw.map((v, i) => parseHex(v, `keyImages[${i}]`, 32));
      const statuses: KeyImageStatus[] = [];
      const heights: (number | null)[] = [];
      for (const ki of kis) {
        const h = await ctx.chain.store.getKeyImageHeight(ki);
        if (h !== undefined) {
          statuses.push("spent");
          heights.push(h);
        } else {
          statuses.push(ctx.mempool.spenderOf(ki) !== undefined ? "mempool" : "unspent");
          heights.push(null);
        }
      }
      return { statuses, heights };
    },

    get_mmr_proof: async (params): Promise<MmrProofResult> => {
      const p = paramsObject(params);
      const globalIndex = parseUint(p["globalIndex"], "globalIndex");
      const height = p["height"] === undefined ? ctx.chain.tip.height : parseUint(p["height"], "height");
      if (height > ctx.chain.tip.height) throw rpcError("NOT_FOUND", `no block at height ${height}`);
      const header = await ctx.chain.header(height);
      if (header === undefined) throw headerPrunedError(ctx, height);
      if (BigInt(globalIndex) >= header.outputCount) throw rpcError("NOT_FOUND", `output ${globalIndex} is not in the MMR at height ${height}`);
      const out = await ctx.chain.store.getOutput(globalIndex);
      if (out === undefined) throw rpcError("NOT_FOUND", `no output ${globalIndex}`);
      const proof = await ctx.chain.mmr.proof(BigInt(globalIndex), header.outputCount);
      return {
        globalIndex,
        height,
        leafCount: num(header.outputCount),
        root: hex(header.outputRoot),
        leafHash: hex(mmrLeafHash(BigInt(globalIndex), out.oneTimeKey, out.commitment)),
        siblings: proof.siblings.map(hex),
        otherPeaks: proof.otherPeaks.map(hex),
        proof: hex(encodeInclusionProof(proof)),
      };
    },

    get_key_image_proof: async (params): Promise<KeyImageProofResult> => {
      const p = paramsObject(params);
      const keyImage = parseHex(p["keyImage"], "keyImage", 32);
      // a commit may land while the tree is read: the proof must verify against the header it names
      for (let attempt = 0; attempt < 3; attempt++) {
        const header = ctx.chain.tipHeader;
        const proof = await proveKeyImage(ctx.chain.kiset, keyImage);
        let spent: boolean;
        try {
          spent = verifyKeyImageProof(header.keyImageRoot, keyImage, proof).spent;
        } catch {
          continue;
        }
        return { keyImage: hex(keyImage), height: num(header.height), hash: hex(blockHash(header)), keyImageRoot: hex(header.keyImageRoot), spent, proof: hex(encodeKisetProof(proof)) };
      }
      throw rpcError("INTERNAL_ERROR", "the tip moved while the proof was built; retry");
    },

    get_cascade: (): CascadeResult => {
      const nc = ctx.chain.cascade;
      if (nc === undefined) throw rpcError("NOT_FOUND", "this node keeps no cascade");
      const c = nc.cascade;
      const bytes = nc.bytes();
      return { height: nc.tipHeight, depth: Number(nc.params.depth), levels: nc.params.levels, perLevel: nc.params.perLevel, size: c.size, levelSizes: c.levelSizes(), work: c.work().toString(), bytes: bytes.length, cascade: hex(bytes) };
    },

    get_mmr_consistency_proof: async (params): Promise<MmrConsistencyProofResult> => {
      const p = paramsObject(params);
      const mmr = p["mmr"] ?? "output";
      if (mmr !== "output" && mmr !== "header") throw invalidParams('mmr: "output" (outputRoot/outputCount) or "header" (headerRoot; count = height)');
      // every count up to the tip header's is committed: output counts by some header's outputCount, header-MMR count c by header c's headerRoot
      const tipCount = mmr === "output" ? ctx.chain.tipHeader.outputCount : BigInt(ctx.chain.tip.height);
      const oldCount = BigInt(parseUint(p["oldCount"], "oldCount"));
      const newCount = p["newCount"] === undefined ? tipCount : BigInt(parseUint(p["newCount"], "newCount"));
      if (oldCount > newCount) throw invalidParams(`oldCount ${oldCount} must not exceed newCount ${newCount}`);
      if (newCount > tipCount) throw rpcError("NOT_FOUND", `newCount ${newCount} is above the tip's ${mmr} MMR size ${tipCount}`);
      let proof;
      try {
        proof = await (mmr === "output" ? ctx.chain.mmr : ctx.chain.headerMmr).consistencyProof(oldCount, newCount);
      } catch (e) {
        throw rpcError("NOT_FOUND", `${mmr} MMR nodes for ${oldCount} → ${newCount} are not on this node (${(e as Error).message}); a fast-synced node keeps only the header-MMR peaks below its snapshot`);
      }
      const r = consistencyRoots(proof); // O(log n) hashes: the roots the proof implies (= the stored MMR's roots)
      return {
        mmr,
        oldCount: num(oldCount),
        newCount: num(newCount),
        oldRoot: hex(r.oldRoot),
        newRoot: hex(r.newRoot),
        oldPeaks: proof.oldPeaks.map(hex),
        path: proof.path.map(hex),
        proof: hex(encodeConsistencyProof(proof)),
      };
    },

    /** `get_light_update { from, to? }`: certified set-change headers and the head for a light client (./light.ts, docs/light-client.md §3). */
    get_light_update: (params): Promise<LightUpdateResult> => getLightUpdate(ctx.chain, params),

    get_header_proof: async (params): Promise<HeaderProofResult> => {
      const p = paramsObject(params);
      const height = parseUint(p["height"], "height");
      const at = p["at"] === undefined ? ctx.chain.tip.height : parseUint(p["at"], "at");
      if (at > ctx.chain.tip.height) throw rpcError("NOT_FOUND", `no block at height ${at}`);
      if (height >= at) throw invalidParams(`height ${height} must be below at ${at}: header at commits to blocks 0 … at − 1`);
      const [header, atHeader] = [await ctx.chain.header(height), await ctx.chain.header(at)];
      if (atHeader === undefined) throw headerPrunedError(ctx, at);
      // a pruned header: the caller names its hash (e.g. from the cascade), checked against the stored MMR leaf (`m` stays)
      let hash: Uint8Array;
      if (header !== undefined) hash = blockHash(header);
      else if (p["hash"] !== undefined) {
        hash = parseHex(p["hash"], "hash", 32);
        const leaf = await ctx.chain.headerMmr.backend.get(leafIndexToPos0(BigInt(height)));
        if (leaf === undefined) throw headerPrunedError(ctx, height);
        if (!equalBytes(leaf, headerLeafHash(BigInt(height), hash))) throw rpcError("NOT_FOUND", `block ${height} does not have hash ${hex(hash)}`);
      } else throw headerPrunedError(ctx, height, " (pass its hash to prove it)");
      let proof;
      try {
        proof = await ctx.chain.headerMmr.proof(BigInt(height), BigInt(at));
      } catch {
        throw headerPrunedError(ctx, height, " (this node has only the header-MMR peaks below its fast-sync height)");
      }
      return {
        height,
        blockHash: hex(hash),
        at,
        atHash: hex(blockHash(atHeader)),
        leafCount: at,
        root: hex(atHeader.headerRoot),
        leafHash: hex(headerLeafHash(BigInt(height), hash)),
        siblings: proof.siblings.map(hex),
        otherPeaks: proof.otherPeaks.map(hex),
        proof: hex(encodeInclusionProof(proof)),
      };
    },
  };
}

/** The method names (for docs and tests). */
export const RPC_METHODS = [
  "status",
  "get_params",
  "get_validators",
  "get_staking",
  "get_header",
  "get_block",
  "get_blocks_range",
  "get_outputs",
  "get_output_distribution",
  "submit_tx",
  "submit_unbond",
  "get_tx",
  "get_mempool",
  "is_key_image_spent",
  "get_mmr_proof",
  "get_key_image_proof",
  "get_header_proof",
  "get_mmr_consistency_proof",
  "get_cascade",
  "get_light_update",
] as const;
/** A node JSON-RPC method name: one of {@link RPC_METHODS}. */
export type RpcMethodName = (typeof RPC_METHODS)[number];
