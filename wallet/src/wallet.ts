/**
 * The Wallet: keys, state, scanning, balance, history, transfers, payment proofs. It talks to
 * a node only through the public JSON-RPC client; no secret is ever sent (docs/wallet.md §2).
 * @module
 */
import { keyImage as computeKeyImage, oneTimeSecret, scalarMultBase, type WalletKeys } from "@baios/crypto";
import type { NodeRpcClient, TxJson } from "@baios/api";
import { decodeViewKey, encodeViewKey, type Network } from "./address.ts";
import { outputSecret, subaddressTable } from "./subaddress.ts";
import { addressOf, keysFromSeed, mnemonicToSeed, newMnemonic, parseAnyAddress, seedToMnemonic } from "./keys.ts";
import { deserializeState, emptyState, resetScan, serializeState, type OwnedOutput, type SentTx, type WalletState } from "./state.ts";
import { scanChain, type ScanKeys, type ScanProgress, type ScanStats } from "./scanner.ts";
import { ScanWorkers } from "./scan-workers.ts";
import { DEFAULT_SCRYPT, encryptWithKey, newFileKey, openWalletText, WalletFileError, writeWalletText, type FileKey, type ScryptParams } from "./walletfile.ts";
import { lockWalletFile, type WalletLock } from "./lock.ts";
import { blockHash } from "@baios/consensus";
import { checkPowTarget, headerFromJson, verifyRingMember, DEFAULT_FEE_CAP, MAX_RING_SIZE, MIN_FEE, MIN_RING_SIZE, NodeTrustError, type ChainAnchor } from "./trust.ts";
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { decoyParams, GammaPicker, secureRng, selectRing, type Rng } from "./decoys.ts";
import { buildTx, estimateTxSize, type BuiltTx, type PowProgress } from "./builder.ts";
import { bytesToHex, hexToBytes } from "./hex.ts";
import { matchOutput, openAmount, sharedPoint } from "./derive.ts";
import { formatTxKeys } from "./txkey.ts";

/** A wallet balance (docs/wallet.md §4), amounts in atomic units (1 BAI = 10^8). Outputs reserved by a pending transfer count in no field. */
export interface Balance {
  /** Unspent, unlocked, not reserved by a pending transfer: usable now. */
  spendable: bigint;
  /** Not usable yet: locked coinbase outputs, incoming transfers in the mempool, change of pending transfers. */
  pending: bigint;
  /** Count of unspent outputs. */
  outputs: number;
}

/** One history line, derived from the chain: received outputs and spent key images grouped by transaction (docs/wallet.md §4). Amounts in atomic units. */
export interface HistoryEntry {
  /** Transaction id (lowercase hex), or `coinbase:<height>` for coinbase/premine outputs. */
  txid: string;
  /** Block height (−1 if unknown). */
  height: number;
  /** Block time, ms since the Unix epoch (0 if unknown). */
  timeMs: number;
  /** `out` when the transaction spent an output of this wallet, else `in`. */
  direction: "in" | "out";
  /** in: amount received; out: amount sent to others (excluding change and fee). */
  amount: bigint;
  /** Fee paid (`out` only; 0 for `in`). */
  fee: bigint;
  /** For transfers sent by this wallet (known locally): destinations. */
  destinations?: { address: string; amount: bigint }[];
  /** True for coinbase and premine outputs. */
  coinbase: boolean;
}

/** A transfer for {@link Wallet.transfer}. The fee paid is the largest of `fee`, the consensus floor {@link MIN_FEE} and the node's `get_params.fee`/`minFee`; a node asking for more than `maxFee` stops the transfer. */
export interface TransferRequest {
  /** Payments: address on the wallet's network and amount in atomic units (> 0); at most `maxOutputs − 1` of them. */
  destinations: { address: string; amount: bigint }[];
  /** Fee override (atomic units); default: the node's `get_params.fee`, at least the consensus floor {@link MIN_FEE}. */
  fee?: bigint;
  /** Largest fee (atomic units) the wallet pays when the node asks for more than `fee` (default {@link DEFAULT_FEE_CAP}, 10 × the consensus minimum). Raising it is the user's explicit confirmation (`--max-fee`). */
  maxFee?: bigint;
  /** Tx-PoW mining progress callback. */
  onPowProgress?: (p: PowProgress) => void;
  /** Sweep: send everything spendable (up to `maxInputs` outputs, largest first) to the single destination, whose `amount` is ignored and becomes the sum minus the fee (monero-wallet-rpc `sweep_all`). */
  sweepAll?: boolean;
  /** `false`: build and sign but do not submit; nothing is recorded or reserved, and the result carries `txHex` (monero-wallet-rpc `do_not_relay`). Default true. */
  relay?: boolean;
  /** Called once the fee, ring size and inputs are known, before decoys, proofs and Tx-PoW; resolving false stops the transfer with WalletError "transfer cancelled" (the CLI's confirmation, skipped by `--yes`). */
  confirm?: (plan: TransferPlan) => Promise<boolean>;
  /** Uniform RNG for decoys and output order (default the OS CSPRNG; tests pin it). */
  rng?: Rng;
  /**
   * Makes the transfer a bond (docs/consensus.md §4.4): `amount` (atomic units, > 0) leaves the
   * wallet as public stake for `validator` (Ed25519 key, 32 bytes); `consent` returns the
   * validator's Ed25519 signature (64 bytes) over the 32-byte bond consent message. Destinations
   * may then be empty; not with `sweepAll`.
   */
  stake?: { validator: Uint8Array; amount: bigint; consent: (message: Uint8Array) => Uint8Array | Promise<Uint8Array> };
}

/** What a transfer will do, shown for confirmation ({@link TransferRequest.confirm}). Amounts in atomic units. */
export interface TransferPlan {
  /** Payments (for a sweep: the one destination with the swept amount). */
  destinations: { address: string; amount: bigint }[];
  /** Fee that will be paid. */
  fee: bigint;
  /** Ring size of every input (real output + decoys). */
  ringSize: number;
  /** Owned outputs spent. */
  inputs: number;
  /** Change returned to the wallet. */
  change: bigint;
}

/** The outcome of a submitted transfer. Amounts in atomic units. */
export interface TransferResult {
  /** Transaction id (32 bytes, lowercase hex) as the node returned it. */
  txid: string;
  /** Fee paid. */
  fee: bigint;
  /** Total paid to the destinations (for a sweep: everything spent minus the fee). */
  sent: bigint;
  /** The tx key text (64 hex characters per key): `r`, or with one tx public key per output all `r_k` concatenated in output order, as {@link Wallet.txKey}. Secret: the payment proof. */
  txKey: string;
  /** The signed transaction's bytes (hex), only when not relayed (`relay: false`). */
  txHex?: string;
  /** Change returned to the wallet (may be 0). */
  change: bigint;
  /** Size in wire bytes (docs/protocol.md §10.1). */
  size: number;
  /** Inputs spent. */
  inputs: number;
  /** Outputs created (destinations + 1 change). */
  outputs: number;
  /** Ring members per input: the node's `minRingSize`, at least the consensus floor {@link MIN_RING_SIZE} (11). */
  ringSize: number;
  /** Tx-PoW hashes computed. */
  powHashes: number;
  /** Wall time of the whole `transfer` call (refresh, decoys, proofs, mining, submission), ms. */
  buildMs: number;
  /** Ring members drawn uniformly because the chain is too young for the gamma picker. */
  fallbackDecoys: number;
}

/**
 * Waits until the node's finalized tip reaches `height` (polls `status` every 200 ms, at most
 * `timeoutMs`): a wallet that scanned on one node may send through another that is a block or two
 * behind; decoys and the tip header must come from the height the wallet verified.
 * @throws WalletError when the node is still behind
 */
async function nodeAtLeast(client: NodeRpcClient, height: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await client.status();
    if (st.height >= height) return;
    if (Date.now() > deadline) throw new WalletError(`the node is at height ${st.height}, behind this wallet's scanned height ${height}: wait for it to sync, or use another node`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A wallet operation cannot proceed: a view-only wallet asked to spend or for its mnemonic, a non-positive amount, too many destinations or inputs, insufficient funds, too few unlocked decoys, or no sent transfer with the txid. */
export class WalletError extends Error {
  override name = "WalletError";
}

/**
 * A wallet (docs/wallet.md): keys and {@link WalletState}; scanning, balance, history, transfers
 * and payment proofs through a node's public JSON-RPC (`NodeRpcClient`); no secret is ever sent to
 * the node. Build with {@link Wallet.create}, {@link Wallet.restore}, {@link Wallet.fromViewKey} or
 * {@link Wallet.open}; `save()` writes the encrypted file (scrypt, RFC 7914; XChaCha20-Poly1305)
 * when one is attached. Methods throw {@link WalletError}, MnemonicError, AddressError,
 * WalletFileError, CryptoError (e.g. `INVALID_POINT` for a bad destination key) and RpcError.
 */
export class Wallet {
  state: WalletState;
  /** Where `save()` writes, and with which password. */
  file: { path: string; password: string; scrypt: ScryptParams } | undefined;
  #keys: WalletKeys | undefined;
  /** The exclusive lock of `file.path`, held from open/saveAs to {@link Wallet.close}. */
  #lock: WalletLock | undefined;
  /** The derived file key (salt + scrypt output) reused by every save of this session. */
  #fileKey: FileKey | undefined;
  /** The chain anchor verified by the last refresh (genesis header, validator set). */
  #anchor: ChainAnchor | undefined;

  private constructor(state: WalletState) {
    this.state = state;
    this.#keys = state.seed !== undefined ? keysFromSeed(state.seed) : undefined;
  }

  /** A new wallet with a fresh 24-word mnemonic (returned once; the caller shows it to the user). */
  static create(network: Network): { wallet: Wallet; mnemonic: string } {
    const mnemonic = newMnemonic();
    return { wallet: Wallet.restore(mnemonic, network), mnemonic };
  }

  /** Restores from a 24-word mnemonic (then `refresh` scans the chain from genesis). */
  static restore(mnemonic: string, network: Network): Wallet {
    const seed = mnemonicToSeed(mnemonic);
    const k = keysFromSeed(seed);
    return new Wallet(emptyState(network, { seed, viewSecret: k.viewSecret, viewPublic: k.viewPublic, spendPublic: k.spendPublic }));
  }

  /** A view-only wallet from an exported view key `(a, B)`: sees incoming funds, cannot spend or see spends. */
  static fromViewKey(viewKey: string): Wallet {
    const v = decodeViewKey(viewKey);
    return new Wallet(emptyState(v.network, { viewSecret: v.viewSecret, viewPublic: scalarMultBase(v.viewSecret), spendPublic: v.spendPublic }));
  }

  /**
   * Opens a wallet file and takes its exclusive lock (src/lock.ts) until {@link Wallet.close} or
   * process exit; later saves reuse the file's salt and key (fresh nonce each time).
   * @throws WalletFileError `IN_USE` when another process (or another open Wallet) holds the file;
   *   `CORRUPT`, `UNSUPPORTED`, `WRONG_PASSWORD` for a bad file or password; Node fs errors (ENOENT)
   */
  static open(path: string, password: string, scrypt: ScryptParams = DEFAULT_SCRYPT): Wallet {
    const lock = lockWalletFile(path);
    try {
      const { plaintext, fileKey } = openWalletText(readFileSync(path, "utf8"), password);
      const w = new Wallet(deserializeState(plaintext));
      w.file = { path, password, scrypt };
      w.#lock = lock;
      w.#fileKey = fileKey;
      return w;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Attaches a file (path, password, KDF cost) with a fresh salt and key, takes its lock, and saves.
   * Creates a missing directory with mode 0700; the file is 0600.
   * @throws WalletFileError `IN_USE` when another process holds `path`
   */
  saveAs(path: string, password: string, scrypt: ScryptParams = DEFAULT_SCRYPT): void {
    const lock = this.#lock?.path === lockPathOf(path) ? this.#lock : lockWalletFile(path);
    if (lock !== this.#lock) this.#lock?.release();
    this.#lock = lock;
    this.#fileKey?.key.fill(0);
    this.#fileKey = newFileKey(password, scrypt);
    this.file = { path, password, scrypt };
    this.save();
  }

  /**
   * Writes the state to the attached file (atomically, mode 0600); a no-op without one. Called by
   * the wallet itself after every state change (each scanned batch, a transfer before and after
   * submission) and by {@link Wallet.close}.
   * @throws WalletFileError `LOCK_LOST` when this process no longer holds the file's lock
   */
  save(): void {
    if (this.file === undefined) return;
    if (this.#lock === undefined || this.#lock.compromised) throw new WalletFileError("LOCK_LOST", `the lock of ${this.file.path} was lost; not overwriting it (another process may have it open)`);
    this.#fileKey ??= newFileKey(this.file.password, this.file.scrypt);
    writeWalletText(this.file.path, encryptWithKey(serializeState(this.state), this.#fileKey));
  }

  /** Saves (when a file is attached) and releases the file's lock; the wallet may not be saved afterwards. Idempotent. */
  close(): void {
    try {
      if (this.#lock !== undefined && !this.#lock.compromised) this.save();
    } finally {
      this.#lock?.release();
      this.#lock = undefined;
      this.#fileKey?.key.fill(0);
      this.#fileKey = undefined;
    }
  }

  get network(): Network {
    return this.state.network;
  }
  get viewOnly(): boolean {
    return this.state.seed === undefined;
  }
  get address(): string {
    return addressOf(this.state, this.state.network);
  }
  /** The 24 words (full wallets only). Secret. */
  mnemonic(): string {
    if (this.state.seed === undefined) throw new WalletError("a view-only wallet has no seed");
    return seedToMnemonic(this.state.seed);
  }
  /** The view key export `(a, B)` for a view-only wallet. Secret (reveals incoming payments). */
  viewKey(): string {
    return encodeViewKey({ network: this.network, viewSecret: this.state.viewSecret, spendPublic: this.state.spendPublic });
  }

  private scanKeys(): ScanKeys {
    const k: ScanKeys = { viewSecret: this.state.viewSecret, spendPublic: this.state.spendPublic, subaddresses: subaddressTable(this.state) };
    if (this.#keys !== undefined) k.spendSecret = this.#keys.spendSecret;
    return k;
  }

  /**
   * Scans new blocks, verifying the node's answers (docs/wallet.md §4.1), and saves after each
   * batch; releases reservations of pending transfers the node has dropped.
   * @throws NodeTrustError when the node's chain fails a check (nothing of the failing batch is credited); RpcError
   */
  async refresh(client: NodeRpcClient, onProgress?: (p: ScanProgress) => void, opts: { scanWorkers?: number } = {}): Promise<ScanStats> {
    // per-output work on worker threads when asked (docs/wallet.md §4: ~2× on 2 cores for a long scan; each worker costs a WebAssembly start-up)
    const n = opts.scanWorkers ?? 0;
    const workers = n > 0 ? new ScanWorkers({ viewSecret: this.state.viewSecret, spendPublic: this.state.spendPublic, subaddresses: subaddressTable(this.state) }, n) : undefined;
    let result: Awaited<ReturnType<typeof scanChain>>;
    try {
      result = await scanChain(client, this.state, this.scanKeys(), { onBatch: () => this.save(), ...(onProgress ? { onProgress } : {}), ...(workers ? { workers } : {}) });
    } finally {
      await workers?.close();
    }
    const { anchor, ...stats } = result;
    this.#anchor = anchor;
    const stale = this.state.sent.filter((s) => s.height === undefined && s.keyImages.length > 0 && Date.now() - s.createdMs > 120_000);
    if (stale.length > 0) {
      const kis = stale.flatMap((s) => s.keyImages);
      const res = await client.isKeyImageSpent(kis);
      const unspent = new Set(kis.filter((_k, i) => res.statuses[i] === "unspent"));
      for (const s of stale) if (s.keyImages.every((k) => unspent.has(k))) s.keyImages = [];
      this.save();
    }
    return stats;
  }

  /** Forgets scanned data and scans again from genesis. */
  async rescan(client: NodeRpcClient, onProgress?: (p: ScanProgress) => void): Promise<ScanStats> {
    resetScan(this.state);
    delete this.state.genesisHash;
    delete this.state.validatorsHash;
    return this.refresh(client, onProgress);
  }

  private reservedKeyImages(): Set<string> {
    return new Set(this.state.sent.filter((s) => s.height === undefined).flatMap((s) => s.keyImages));
  }

  /** Unspent outputs usable in a block at `scannedHeight + 1`. */
  spendableOutputs(): OwnedOutput[] {
    const next = this.state.scannedHeight + 1;
    const reserved = this.reservedKeyImages();
    return this.state.outputs.filter((o) => o.spentHeight === undefined && o.unlockHeight <= next && !(o.keyImage !== undefined && reserved.has(bytesToHex(o.keyImage))));
  }

  /**
   * Spendable and pending amounts. With a client, incoming outputs of mempool transactions
   * (including this wallet's own change) are scanned and counted as pending.
   */
  async balance(client?: NodeRpcClient): Promise<Balance> {
    const next = this.state.scannedHeight + 1;
    const reserved = this.reservedKeyImages();
    let spendable = 0n;
    let pending = 0n;
    let outputs = 0;
    for (const o of this.state.outputs) {
      if (o.spentHeight !== undefined) continue;
      if (o.keyImage !== undefined && reserved.has(bytesToHex(o.keyImage))) continue;
      outputs++;
      if (o.unlockHeight <= next) spendable += o.amount;
      else pending += o.amount;
    }
    if (client !== undefined) pending += await this.mempoolIncoming(client);
    return { spendable, pending, outputs };
  }

  /** Sum of outputs to this wallet in transactions waiting in the node's mempool. */
  async mempoolIncoming(client: NodeRpcClient): Promise<bigint> {
    const pool = await client.getMempool();
    let total = 0n;
    for (const t of pool.txs.slice(0, 500)) {
      let tx: TxJson;
      try {
        const r = await client.getTx(t.txid);
        if (r.status !== "mempool") continue;
        tx = r.tx;
      } catch {
        continue; // left the pool meanwhile
      }
      total += this.receivedIn(tx).reduce((s, f) => s + f.amount, 0n);
    }
    return total;
  }

  /** Outputs of `tx` that belong to this wallet (view key only). */
  receivedIn(tx: TxJson): { index: number; amount: bigint }[] {
    const found: { index: number; amount: bigint }[] = [];
    const owned = new Set(this.state.outputs.map((o) => bytesToHex(o.oneTimeKey)));
    tx.outputs.forEach((o, i) => {
      if (owned.has(o.oneTimeKey.toLowerCase())) return; // a second output with a key the wallet holds is worthless (burning bug)
      const R = hexToBytes(tx.txPublicKeys.length === 1 ? tx.txPublicKeys[0]! : tx.txPublicKeys[i]!);
      const s = matchOutput(sharedPoint(this.state.viewSecret, R), i, hexToBytes(o.oneTimeKey), o.viewTag, this.state.spendPublic);
      if (s === undefined) return;
      const opened = openAmount(s, hexToBytes(o.encryptedAmount), hexToBytes(o.commitment));
      if (opened !== undefined) found.push({ index: i, amount: opened.amount });
    });
    return found;
  }

  /** Transfers seen on chain, oldest first (derived from the chain: identical after a restore). */
  history(): HistoryEntry[] {
    const by = new Map<string, { received: bigint; spent: bigint; coinbase: boolean }>();
    const get = (txid: string, coinbase: boolean) => {
      let e = by.get(txid);
      if (e === undefined) by.set(txid, (e = { received: 0n, spent: 0n, coinbase }));
      return e;
    };
    for (const o of this.state.outputs) {
      get(o.txid, o.coinbase).received += o.amount;
      if (o.spentTxid !== undefined) get(o.spentTxid, false).spent += o.amount;
    }
    const out: HistoryEntry[] = [];
    for (const [txid, e] of by) {
      const meta = this.state.txMeta[txid];
      const fee = meta?.fee ?? 0n;
      const outgoing = e.spent > 0n;
      const entry: HistoryEntry = {
        txid,
        height: meta?.height ?? -1,
        timeMs: meta?.timeMs ?? 0,
        direction: outgoing ? "out" : "in",
        amount: outgoing ? e.spent - e.received - fee : e.received,
        fee: outgoing ? fee : 0n,
        coinbase: e.coinbase,
      };
      const sent = this.state.sent.find((s) => s.txid === txid);
      if (sent !== undefined) entry.destinations = sent.destinations;
      out.push(entry);
    }
    return out.sort((a, b) => a.height - b.height || a.txid.localeCompare(b.txid));
  }

  /** Fee (atomic units) and size (bytes) a transfer would have now: the node's fee, at least the consensus floor {@link MIN_FEE}; the ring size at least {@link MIN_RING_SIZE}. */
  async estimateFee(client: NodeRpcClient, destinations: number): Promise<{ fee: bigint; size: number }> {
    const p = await client.getParams();
    const fee = [MIN_FEE, parseFee(p.fee), parseFee(p.minFee)].reduce((a, b) => (b > a ? b : a));
    return { fee, size: Math.round(estimateTxSize(1, destinations + 1, ringSizeFor(p.minRingSize))) };
  }

  /** Builds, proves, signs, mines and submits a transfer. Refreshes first. */
  async transfer(client: NodeRpcClient, req: TransferRequest): Promise<TransferResult> {
    if (this.#keys === undefined) throw new WalletError("a view-only wallet cannot spend");
    const started = Date.now();
    await this.refresh(client);
    const anchor = this.#anchor;
    if (anchor === undefined) throw new WalletError("no verified chain anchor");
    const params = await client.getParams();
    if (params.chainId !== anchor.genesis.chainId) throw new NodeTrustError("BAD_PARAMS", `the node's chainId ${params.chainId} is not the genesis header's ${anchor.genesis.chainId}`);
    const txPowTarget = checkPowTarget(anchor, this.network, params.txPowTarget);
    if (req.sweepAll === true && req.destinations.length !== 1) throw new WalletError("sweep_all takes exactly one destination");
    if (req.stake !== undefined && (req.sweepAll === true || req.stake.amount <= 0n || req.stake.validator.length !== 32)) throw new WalletError("a bond needs a positive amount and a 32-byte validator key, and cannot sweep");
    const dests = req.destinations.map((d) => {
      const a = parseAnyAddress(d.address, this.network);
      if (d.amount <= 0n && req.sweepAll !== true) throw new WalletError("amounts must be positive");
      return { viewPublic: a.viewPublic, spendPublic: a.spendPublic, amount: d.amount, ...(a.subaddress ? { subaddress: true } : {}) };
    });
    if (dests.length + 1 > params.maxOutputs) throw new WalletError(`at most ${params.maxOutputs - 1} destinations`);
    // The fee: never below the consensus floor; what the node asks beyond the caller's fee is capped.
    const asked = [MIN_FEE, parseFee(params.fee), parseFee(params.minFee)].reduce((a, b) => (b > a ? b : a));
    const cap = req.maxFee ?? DEFAULT_FEE_CAP;
    if (asked > cap && (req.fee === undefined || req.fee < asked)) {
      throw new NodeTrustError("FEE_ABOVE_CAP", `the node asks for a fee of ${asked} atomic units, above the cap ${cap}; confirm with a higher maxFee (--max-fee) or use another node`);
    }
    // a fee below what the node and consensus ask is the caller's mistake: refuse, never raise it silently
    if (req.fee !== undefined && req.fee < asked) throw new WalletError(`fee ${req.fee} atomic units is below the minimum ${asked} (the node's fee, at least the consensus floor)`);
    const fee = req.fee ?? asked;

    // Input selection: largest first until the amount and fee are covered (a sweep takes all, up to maxInputs).
    const candidates = this.spendableOutputs().sort((a, b) => (a.amount < b.amount ? 1 : a.amount > b.amount ? -1 : 0));
    if (req.sweepAll === true) {
      const total = candidates.slice(0, params.maxInputs).reduce((s, o) => s + o.amount, 0n);
      if (total <= fee) throw new WalletError(`nothing to sweep: spendable ${total} atomic units does not cover the fee ${fee}`);
      dests[0]!.amount = total - fee;
    }
    const need = dests.reduce((s, d) => s + d.amount, 0n) + (req.stake?.amount ?? 0n) + fee;
    const chosen: OwnedOutput[] = [];
    let sum = 0n;
    for (const o of candidates) {
      if (sum >= need) break;
      chosen.push(o);
      sum += o.amount;
    }
    if (sum < need) {
      const bal = await this.balance();
      throw new WalletError(`insufficient funds: need ${need} (incl. fee ${fee}), spendable ${bal.spendable}, pending ${bal.pending}`);
    }
    if (chosen.length > params.maxInputs) throw new WalletError(`would need ${chosen.length} inputs (max ${params.maxInputs}); send a smaller amount first`);

    const ringSize = ringSizeFor(params.minRingSize);
    const paid = req.destinations.map((d, i) => ({ address: d.address, amount: dests[i]!.amount }));
    if (req.confirm !== undefined && !(await req.confirm({ destinations: paid, fee, ringSize, inputs: chosen.length, change: sum - need }))) throw new WalletError("transfer cancelled");

    // Decoys: gamma picker over the node's output distribution.
    const tip = this.state.scannedHeight;
    await nodeAtLeast(client, tip);
    const cumulative: number[] = [];
    for (let from = 0; from <= tip; from += 100_000) {
      const d = await client.getOutputDistribution(from, Math.min(tip, from + 99_999));
      cumulative.push(...d.cumulative);
    }
    const picker = new GammaPicker(cumulative, decoyParams(params.blockTimeMs / 1000));
    // Outputs of the last `coinbaseMaturity` blocks may be locked coinbase outputs: look them up
    // once and exclude the locked ones from every ring.
    const locked = new Set<number>();
    const recentFrom = cumulative[Math.max(0, tip - params.coinbaseMaturity - 1)] ?? 0;
    const recent = Array.from({ length: Math.min(5000, picker.numOutputs - recentFrom) }, (_x, i) => picker.numOutputs - 1 - i);
    if (recent.length > 0) {
      const res = await client.getOutputs(recent);
      res.outputs.forEach((m, i) => {
        if (m === null || m.unlockHeight > tip + 1) locked.add(recent[i]!);
      });
    }
    // Ring members are checked against the output MMR root of the last verified header.
    const tipHeader = headerFromJson(await client.getHeader({ height: tip }));
    if (this.state.scannedHash === undefined || bytesToHex(blockHash(tipHeader)) !== this.state.scannedHash) {
      throw new NodeTrustError("BAD_HEADER", `the node's header at height ${tip} is not the one the scan verified`);
    }
    const rng = req.rng ?? secureRng;
    let fallbackDecoys = 0;
    const inputs = [];
    for (const o of chosen) {
      const exclude = new Set<number>(locked);
      let ring: { globalIndex: number; oneTimeKey: Uint8Array; commitment: Uint8Array }[] | undefined;
      for (let attempt = 0; attempt < 20 && ring === undefined; attempt++) {
        const sel = selectRing(picker, o.globalIndex, ringSize, rng, { exclude });
        const res = await client.getOutputs(sel.ring);
        let ok = true;
        if (!Array.isArray(res?.outputs) || res.outputs.length !== sel.ring.length) throw new NodeTrustError("BAD_OUTPUT", `asked for ${sel.ring.length} outputs, got another count`);
        res.outputs.forEach((m, i) => {
          const g = sel.ring[i]!;
          if (m !== null && m.globalIndex !== g) throw new NodeTrustError("BAD_OUTPUT", `asked for output ${g}, got ${m.globalIndex}`);
          if (m === null || m.unlockHeight > tip + 1) {
            exclude.add(g);
            ok = false;
          }
        });
        if (ok) {
          for (const m of res.outputs) {
            if (m!.globalIndex === o.globalIndex) {
              if (m!.oneTimeKey !== bytesToHex(o.oneTimeKey) || m!.commitment !== bytesToHex(o.commitment)) throw new NodeTrustError("BAD_OUTPUT", `the node serves output ${o.globalIndex} differently from the scanned chain`);
            } else verifyRingMember(tipHeader, m!, await client.getMmrProof(m!.globalIndex, tip));
          }
          fallbackDecoys += sel.fallback;
          ring = res.outputs.map((m) => ({ globalIndex: m!.globalIndex, oneTimeKey: hexToBytes(m!.oneTimeKey), commitment: hexToBytes(m!.commitment) }));
        }
      }
      if (ring === undefined) throw new WalletError("could not find enough unlocked decoys");
      const x = outputSecret(this.state, this.#keys.spendSecret, o);
      inputs.push({ globalIndex: o.globalIndex, amount: o.amount, mask: o.mask, oneTimeSecret: x, keyImage: o.keyImage ?? computeKeyImage(x, o.oneTimeKey), ring });
    }

    const built: BuiltTx = await buildTx({
      chainId: params.chainId,
      fee,
      inputs,
      destinations: dests,
      change: { viewPublic: this.state.viewPublic, spendPublic: this.state.spendPublic },
      txPowTarget,
      ...(req.onPowProgress ? { onPowProgress: req.onPowProgress } : {}),
      ...(req.stake ? { stake: req.stake } : {}),
      rng,
    });
    // The tx key is stored (and saved) before submission, so no crash can lose the payment proof.
    const localTxid = bytesToHex(built.txid);
    const summary = {
      fee,
      sent: paid.reduce((s, d) => s + d.amount, 0n),
      txKey: formatTxKeys(built.txSecrets ?? [built.txSecret]),
      change: built.change,
      size: built.bytes.length,
      inputs: inputs.length,
      outputs: built.tx.outputs.length,
      ringSize,
      powHashes: built.powHashes,
      buildMs: Date.now() - started,
      fallbackDecoys,
    };
    if (req.relay === false) return { txid: localTxid, ...summary, txHex: bytesToHex(built.bytes) };
    const sent: SentTx = {
      txid: localTxid,
      txSecret: built.txSecret,
      ...(built.txSecrets !== undefined ? { txSecrets: built.txSecrets, outputIndices: built.destinationIndices } : {}),
      destinations: paid,
      change: built.change,
      fee,
      keyImages: inputs.map((i) => bytesToHex(i.keyImage)),
      createdMs: Date.now(),
    };
    this.state.sent.push(sent);
    this.save();
    let txid: string;
    try {
      ({ txid } = await client.submitTx(built.bytes));
    } catch (e) {
      this.state.sent = this.state.sent.filter((s) => s !== sent);
      this.save();
      throw e;
    }
    if (txid !== localTxid) throw new NodeTrustError("BAD_TX", `the node returned txid ${txid} for transaction ${localTxid}`);
    return { txid, ...summary, buildMs: Date.now() - started };
  }

  /**
   * The tx key text of a transfer this wallet sent: the payment proof (docs/wallet.md §7). One
   * shared tx public key: `r` (64 hex characters). One tx public key per output (a subaddress
   * destination): every `r_k` in output order, concatenated (64·n hex characters): the main key
   * `r = r_0` followed by the additional keys, as Monero's `get_tx_key` prints them.
   * `check-tx-key` takes this text as it is.
   * @throws WalletError when this wallet did not send `txid`
   */
  txKey(txid: string): string {
    return formatTxKeys(this.txKeys(txid));
  }

  /** The tx secret keys (32 bytes each) of a transfer this wallet sent, as {@link txKey} orders them. @throws WalletError when this wallet did not send `txid` */
  txKeys(txid: string): Uint8Array[] {
    const s = this.state.sent.find((t) => t.txid === txid.toLowerCase());
    if (s === undefined) throw new WalletError("no transfer with this txid was sent by this wallet");
    return s.txSecrets ?? [s.txSecret];
  }
}

/** A node's decimal fee string as atomic units. @throws NodeTrustError `BAD_PARAMS` when malformed */
function parseFee(x: unknown): bigint {
  if (typeof x !== "string" || !/^[0-9]{1,20}$/.test(x)) throw new NodeTrustError("BAD_PARAMS", "the node's fee is not a decimal string");
  return BigInt(x);
}

/** The ring size to build: the node's `minRingSize`, at least {@link MIN_RING_SIZE}. @throws NodeTrustError `BAD_PARAMS` above {@link MAX_RING_SIZE} */
export function ringSizeFor(nodeMinRingSize: number): number {
  const n = Number.isSafeInteger(nodeMinRingSize) ? Math.max(MIN_RING_SIZE, nodeMinRingSize) : MIN_RING_SIZE;
  if (n > MAX_RING_SIZE) throw new NodeTrustError("BAD_PARAMS", `the node demands rings of ${nodeMinRingSize}, above ${MAX_RING_SIZE}`);
  return n;
}

const lockPathOf = (path: string): string => resolvePath(path);
