/**
 * Scanning: finds the wallet's outputs in block ranges served by the node (`get_blocks_range`),
 * with view tags, and detects spends by the key images the blocks carry (docs/wallet.md §4).
 *
 * Only public chain data comes from the node; the view secret never leaves the process. The node
 * is not trusted (./trust.ts, docs/wallet.md §4.1): {@link scanChain} pins the genesis, checks the
 * validator set, re-hashes and links every header, verifies every finality certificate, rebuilds
 * every `txRoot`, and checks the full bytes of every transaction that pays or spends the wallet
 * before anything is credited; a failed check throws NodeTrustError and leaves the state as it was
 * after the last good batch. Final blocks (BFT, no reorgs) never roll back.
 *
 * The burning bug (CryptoNote, 2018): two outputs with the same one-time key share one key image,
 * so only one can ever be spent. {@link scanBlock} never credits an output whose one-time key the
 * wallet already holds, whatever the node sends.
 * A full wallet computes each owned output's key image (`x·Hp(P)`) and recognises it when a
 * block's input carries it; a view-only wallet (a, B) sees incoming outputs but not spends.
 * @module
 */
import { keyImage } from "@baios/crypto";
import { decodeTx, txId } from "@baios/consensus";
import { RPC_ERRORS, RpcError, type NodeRpcClient, type ScanBlockJson, type ScanTxJson } from "@baios/api";
import type { Network } from "./address.ts";
import { NodeTrustError, validatorSetFromJson, validatorSetToJson, verifyAnchor, verifyScanBlock, type ChainAnchor, type ScanCursor } from "./trust.ts";
import { matchBlock, matchCoinbase, type BlockMatches } from "./scan-match.ts";
import type { ScanWorkers } from "./scan-workers.ts";
import { bytesToHex, hexToBytes } from "./hex.ts";
import type { OwnedOutput, SentTx, WalletState } from "./state.ts";
import { scanIndex } from "./scan-index.ts";
import { outputSecret, remember } from "./subaddress.ts";

/** Secrets used while scanning; `spendSecret` is absent for a view-only wallet. */
export interface ScanKeys {
  viewSecret: Uint8Array;
  spendPublic: Uint8Array;
  spendSecret?: Uint8Array;
  /** Subaddress table (hex `D` → `[account, index]`, docs/crypto.md §11); absent: main address only. */
  subaddresses?: ReadonlyMap<string, readonly [number, number]>;
}

/** Counters of a scan ({@link scanBlock}, {@link scanChain}). */
export interface ScanStats {
  /** Blocks scanned. */
  blocks: number;
  /** Non-coinbase transactions scanned. */
  txs: number;
  /** Outputs examined (coinbase and transaction outputs). */
  outputs: number;
  /** Outputs newly found to belong to the wallet. */
  found: number;
  /** Owned outputs seen spent by their key image (full wallets only). */
  spent: number;
  /** Outputs to the wallet NOT credited because the wallet already holds their one-time key (burning bug). */
  duplicateKeys: number;
}

const newStats = (): ScanStats => ({ blocks: 0, txs: 0, outputs: 0, found: 0, spent: 0, duplicateKeys: 0 });

/** The part of a `get_blocks_range` block that {@link scanBlock} reads (no header or certificate: those are checked by {@link scanChain}). */
export type ScanView = Pick<ScanBlockJson, "height" | "timeMs" | "coinbase" | "payouts"> & { txs: Omit<ScanTxJson, "powNonce">[] };

function withKeyImage(o: OwnedOutput, keys: ScanKeys, derivationScalar: Uint8Array): OwnedOutput {
  if (keys.spendSecret !== undefined) {
    const x = outputSecret(keys, keys.spendSecret, o, derivationScalar);
    o.keyImage = keyImage(x, o.oneTimeKey);
  }
  return o;
}

/**
 * Scans one block into `state` (outputs found, spends detected). Idempotent per height. Does not
 * verify the block (see {@link scanChain}). An output whose one-time key the wallet already holds is
 * not credited (counted in `duplicateKeys`). `touched` collects the txids that paid or spent the wallet.
 * `matches`: the block's per-output results computed beforehand (e.g. on worker threads by
 * {@link ScanWorkers}); computed here on the calling thread when absent. Same result either way.
 */
export function scanBlock(state: WalletState, keys: ScanKeys, block: ScanView, stats: ScanStats = newStats(), touched?: Set<string>, matches?: BlockMatches): ScanStats {
  const m = matches ?? matchBlock(keys, block);
  const { globalIndexes: have, oneTimeKeys: ownedKeys, byKeyImage } = scanIndex(state);
  let fee = 0n;
  const noteTx = (txid: string, f: bigint): void => {
    state.txMeta[txid] ??= { height: block.height, timeMs: block.timeMs, fee: f };
  };
  const add = (o: OwnedOutput, derivationScalar: Uint8Array): void => {
    if (have.has(o.globalIndex)) return;
    const key = bytesToHex(o.oneTimeKey);
    if (ownedKeys.has(key)) {
      stats.duplicateKeys++;
      return;
    }
    have.add(o.globalIndex);
    ownedKeys.add(key);
    if (!o.coinbase) touched?.add(o.txid);
    state.outputs.push(withKeyImage(o, keys, derivationScalar));
    noteTx(o.txid, o.coinbase ? 0n : fee);
    stats.found++;
  };
  stats.blocks++;

  // Coinbase / premine: public amounts, mask 1, one tx public key.
  const cb = block.coinbase;
  stats.outputs += cb.outputs.length;
  for (const f of m.coinbase) {
    const o = cb.outputs[f.index]!;
    add({ globalIndex: o.globalIndex, height: block.height, txid: `coinbase:${block.height}`, index: f.index, txPublicKey: f.txPublicKey, amount: f.amount, mask: f.mask, oneTimeKey: f.oneTimeKey, commitment: f.commitment, unlockHeight: o.unlockHeight, coinbase: true }, f.derivationScalar);
  }

  // matured unbond payouts: one-output coinbase-style views, each with its own tx public key (rare: matched here)
  for (const pv of block.payouts ?? []) {
    stats.outputs += pv.outputs.length;
    for (const f of matchCoinbase(keys, pv)) {
      const o = pv.outputs[f.index]!;
      add({ globalIndex: o.globalIndex, height: block.height, txid: `payout:${block.height}:${o.globalIndex}`, index: f.index, txPublicKey: f.txPublicKey, amount: f.amount, mask: f.mask, oneTimeKey: f.oneTimeKey, commitment: f.commitment, unlockHeight: o.unlockHeight, coinbase: true }, f.derivationScalar);
    }
  }

  const sentByTxid = new Map<string, SentTx[]>();
  for (const s of state.sent) sentByTxid.set(s.txid, [...(sentByTxid.get(s.txid) ?? []), s]);

  block.txs.forEach((tx, ti) => {
    stats.txs++;
    fee = BigInt(tx.fee);
    // spends
    for (const ki of tx.keyImages) {
      const o = byKeyImage.get(ki);
      if (o !== undefined && o.spentHeight === undefined) {
        o.spentHeight = block.height;
        o.spentTxid = tx.txid;
        touched?.add(tx.txid);
        noteTx(tx.txid, BigInt(tx.fee));
        stats.spent++;
      }
    }
    for (const s of sentByTxid.get(tx.txid) ?? []) s.height = block.height;
    // receipts
    stats.outputs += tx.outputs.length;
    const unlockHeight = block.height + 1;
    for (const f of m.txs[ti] ?? []) {
      add({ globalIndex: tx.outputs[f.index]!.globalIndex, height: block.height, txid: tx.txid, index: f.index, txPublicKey: f.txPublicKey, amount: f.amount, mask: f.mask, oneTimeKey: f.oneTimeKey, commitment: f.commitment, unlockHeight, coinbase: false, ...(f.subaddress ? { subaddress: f.subaddress } : {}) }, f.derivationScalar);
      if (f.subaddress) remember(state, f.subaddress[0], f.subaddress[1]); // a look-ahead hit widens the table next time
    }
  });
  state.scannedHeight = Math.max(state.scannedHeight, block.height);
  return stats;
}

/** Progress of {@link scanChain}: reported before the first batch and after each batch. */
export interface ScanProgress {
  /** First height of this scan (`scannedHeight + 1` at its start). */
  from: number;
  /** Last height to scan: the node's tip when the scan started. */
  to: number;
  /** Last height scanned so far (−1 before the first block). */
  height: number;
}

/** Options of {@link scanChain}. */
export interface ScanOptions {
  /** Blocks per `get_blocks_range` call (default 200). */
  batch?: number;
  /** Called after each batch (the CLI drives a cli-progress bar with it). */
  onProgress?: (p: ScanProgress) => void;
  /** Called after each verified batch has been applied to the state (the wallet saves its file there). */
  onBatch?: () => void;
  /** Worker threads for the per-output work ({@link ScanWorkers}, made with the same keys); absent: the calling thread does it. Header and certificate checks stay on the calling thread. */
  workers?: ScanWorkers;
}

/**
 * Verifies the node's chain anchor ({@link verifyAnchor}): its genesis header against the pinned
 * genesis (`state.genesisHash`, stored on first use), its validator set against the genesis
 * header. Pins `state.genesisHash` and `state.validatorsHash`.
 * @throws NodeTrustError; RpcError
 */
export async function anchorChain(client: NodeRpcClient, state: WalletState): Promise<ChainAnchor> {
  const [genesis, validators] = await Promise.all([client.getHeader({ height: 0 }), client.getValidators()]);
  const anchor = verifyAnchor(state.network as Network, state.genesisHash, genesis, validators);
  const vh = bytesToHex(anchor.validatorSet.hash);
  if (state.validatorsHash !== undefined && state.validatorsHash !== vh) throw new NodeTrustError("VALIDATORS_MISMATCH", "the validator set differs from the one this wallet pinned");
  state.genesisHash = bytesToHex(anchor.genesisHash);
  state.validatorsHash = vh;
  return anchor;
}

/** Fetches `[from, to]` and checks the node served exactly those heights. */
async function fetchRange(client: NodeRpcClient, from: number, to: number): Promise<ScanBlockJson[]> {
  const res = await client.getBlocksRange(from, to);
  const blocks: unknown[] = Array.isArray(res?.blocks) ? res.blocks : [];
  if (blocks.length !== to - from + 1) throw new NodeTrustError("BAD_RANGE", `asked for blocks ${from}..${to}, got ${blocks.length}`);
  if (!blocks.every((b) => b !== null && typeof b === "object" && !Array.isArray(b))) throw new NodeTrustError("BAD_RANGE", "a block is not an object");
  return blocks as ScanBlockJson[];
}

/** The cursor at `state.scannedHeight`: from the state, or (older wallet files) from that block's verified header. */
async function startCursor(client: NodeRpcClient, state: WalletState, anchor: ChainAnchor): Promise<ScanCursor> {
  const h = state.scannedHeight;
  if (h < 0) return { height: -1, hash: new Uint8Array(32), outputs: 0 };
  if (state.scannedHash !== undefined && state.scannedOutputs !== undefined) {
    const set = state.scannedSet === undefined ? undefined : validatorSetFromJson(state.scannedSet);
    return { height: h, hash: hexToBytes(state.scannedHash), outputs: state.scannedOutputs, ...(set === undefined ? {} : { set }) };
  }
  // a state from before these checks: verify the block at scannedHeight on its own (certificate)
  const [b] = await fetchRange(client, h, h);
  const prev = h === 0 ? { height: -1, hash: new Uint8Array(32), outputs: 0 } : { height: h - 1, hash: hexToBytes(b!.header.parentHash), outputs: b!.header.outputCount - countOutputs(b!) };
  return verifyScanBlock(anchor, prev, b!);
}

const countOutputs = (b: ScanBlockJson): number => b.coinbase.outputs.length + (b.payouts?.length ?? 0) + b.txs.reduce((s, t) => s + t.outputs.length, 0);

/**
 * Checks the full bytes of each transaction that paid or spent the wallet: `get_tx` hex decodes,
 * hashes to the txid (already bound to the verified header's `txRoot`), has the nonce of the scan
 * view, and its outputs, tx public keys and key images are exactly the scan view's.
 * @throws NodeTrustError `BAD_TX`
 */
async function verifyTouchedTxs(client: NodeRpcClient, blocks: readonly ScanBlockJson[], touched: ReadonlySet<string>): Promise<void> {
  for (const b of blocks) {
    for (const view of b.txs) {
      if (!touched.has(view.txid)) continue;
      const bad = (m: string) => new NodeTrustError("BAD_TX", `tx ${view.txid.slice(0, 16)}… in block ${b.height}: ${m}`);
      const r = await client.getTx(view.txid);
      let tx;
      try {
        tx = decodeTx(hexToBytes(r.hex), Number.MAX_SAFE_INTEGER);
      } catch (e) {
        throw bad(`its bytes do not decode (${(e as Error).message})`);
      }
      if (bytesToHex(txId(tx)) !== view.txid) throw bad("its bytes do not hash to its txid");
      if (tx.powNonce.toString() !== view.powNonce) throw bad("its nonce differs from the scan view's");
      const same =
        tx.outputs.length === view.outputs.length &&
        tx.outputs.every((o, i) => {
          const w = view.outputs[i]!;
          return bytesToHex(o.oneTimeKey) === w.oneTimeKey && bytesToHex(o.commitment) === w.commitment && o.viewTag === w.viewTag && bytesToHex(o.encryptedAmount) === w.encryptedAmount;
        }) &&
        tx.txPublicKeys.length === view.txPublicKeys.length &&
        tx.txPublicKeys.every((k, i) => bytesToHex(k) === view.txPublicKeys[i]) &&
        tx.inputs.length === view.keyImages.length &&
        tx.inputs.every((inp, i) => bytesToHex(inp.keyImage) === view.keyImages[i]) &&
        tx.fee.toString() === view.fee;
      if (!same) throw bad("its scan view differs from its bytes");
    }
  }
}

/**
 * Scans from `state.scannedHeight + 1` to the node's tip in batches of `batch` blocks, verifying
 * every batch (genesis pin, validator set, header hashes and links, finality certificates, tx
 * roots, output indices, the full bytes of every tx that pays or spends the wallet) before it is
 * applied to `state`. Returns the counters and the verified anchor.
 * @throws NodeTrustError when the node's answers fail a check (the failing batch is not applied); RpcError
 */
export async function scanChain(client: NodeRpcClient, state: WalletState, keys: ScanKeys, opts: ScanOptions = {}): Promise<ScanStats & { anchor: ChainAnchor }> {
  const anchor = await anchorChain(client, state);
  const status = await client.status();
  const stats = newStats();
  let cursor = await startCursor(client, state, anchor);
  const from = state.scannedHeight + 1;
  const tip = status.height;
  let batch = opts.batch ?? 200;
  opts.onProgress?.({ from, to: tip, height: state.scannedHeight });
  for (let h = from; h <= tip; ) {
    let blocks: Awaited<ReturnType<typeof fetchRange>>;
    try {
      blocks = await fetchRange(client, h, Math.min(tip, h + batch - 1));
    } catch (e) {
      // full blocks can make a span's answer exceed the node's response budget
      // (docs/node.md §Limits): halve the span and ask again, down to one block
      if (e instanceof RpcError && e.code === RPC_ERRORS.LIMIT_EXCEEDED && batch > 1) {
        batch = Math.max(1, batch >> 1);
        continue;
      }
      // a pruned node (docs/pruning.md) serves bodies only from its tail: say where to scan instead
      if (e instanceof RpcError && e.code === RPC_ERRORS.PRUNED) {
        const tail = (e.data as { tail?: unknown } | undefined)?.tail;
        const t = typeof tail === "number" ? tail : "its tail";
        throw new RpcError(`this node has pruned blocks below ${t}; scan against an archive node (--mode archive) to scan from height ${h}`, e.code, e.data);
      }
      throw e;
    }
    h += blocks.length > 0 ? blocks.length : batch;
    let c = cursor;
    for (const b of blocks) c = verifyScanBlock(anchor, c, b);
    // scan into a copy; apply it only once the txs that touch the wallet are verified too
    const work = structuredClone(state);
    const s = newStats();
    const touched = new Set<string>();
    let matches: BlockMatches[] | undefined;
    try {
      matches = opts.workers === undefined ? undefined : await opts.workers.matchBlocks(blocks);
    } catch (e) {
      throw new NodeTrustError("BAD_TX", `blocks ${blocks[0]?.height}..: malformed scan view (${(e as Error).message})`);
    }
    for (const [bi, b] of blocks.entries()) {
      try {
        scanBlock(work, keys, b, s, touched, matches?.[bi]);
      } catch (e) {
        // only a malformed view of a tx that the tx root does not bind byte for byte gets here
        throw new NodeTrustError("BAD_TX", `block ${b.height}: malformed scan view (${(e as Error).message})`);
      }
    }
    await verifyTouchedTxs(client, blocks, touched);
    Object.assign(state, work);
    for (const k of Object.keys(stats) as (keyof ScanStats)[]) stats[k] += s[k];
    cursor = c;
    state.scannedHeight = c.height;
    state.scannedHash = bytesToHex(c.hash);
    state.scannedOutputs = c.outputs;
    if (c.set === undefined) delete state.scannedSet;
    else state.scannedSet = validatorSetToJson(c.set);
    opts.onBatch?.();
    opts.onProgress?.({ from, to: tip, height: state.scannedHeight });
  }
  return { ...stats, anchor };
}
