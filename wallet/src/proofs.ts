/**
 * Signed wallet proofs that reveal no secret key (docs/wallet.md §7.1–§7.3; cryptography in
 * docs/crypto.md §12, two-base Schnorr/DLEQ proofs):
 * - outgoing-payment proof (`get_tx_proof` / `check_tx_proof`, Monero's OutProofV2 as the model):
 *   proves which outputs of a tx the sender paid to an address, bound to a message, without the
 *   tx key;
 * - signed key images (`export_key_images` / `import_key_images`): a full wallet exports the key
 *   image of each output with a proof that it is that output's, so a view-only wallet sees spends;
 * - reserve proof (`get_reserve_proof` / `check_reserve_proof`): the unspent outputs of an
 *   address, their amounts and key images, checked against a node.
 * @module
 */
import {
  checkDerivationProof, checkKeyImageProof, checkTxProof as coreCheckTxProof, commit, derivationProof, keyImageProof,
  pointAdd, scalarMultBase, subaddressKeys, txProof,
} from "@baios/crypto";
import { outputSecret } from "./subaddress.ts";
import { decodeTx, txId } from "@baios/consensus";
import type { NodeRpcClient, TxJson } from "@baios/api";
import type { Network } from "./address.ts";
import { keysFromSeed, parseAddress, parseAnyAddress } from "./keys.ts";
import { matchOutput, openAmount } from "./derive.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "./hex.ts";
import type { OwnedOutput, WalletState } from "./state.ts";

/** Codes of {@link ProofError}. */
export type ProofErrorCode = "BAD_PROOF" | "INVALID_PROOF" | "NOT_SENT" | "VIEW_ONLY" | "WRONG_WALLET";
/** A proof is malformed, does not verify, or cannot be made (code names which; message says why). */
export class ProofError extends Error {
  override name = "ProofError";
  /** `BAD_PROOF` (malformed), `INVALID_PROOF` (does not verify), `NOT_SENT` (no such sent tx), `VIEW_ONLY` (needs the spend key), `WRONG_WALLET` (key images of another wallet). */
  readonly code: ProofErrorCode;
  constructor(code: ProofErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Text prefix of an outgoing-payment proof: `BaiosTxProofV1` + hex of `u8 count ‖ (u32le keyIndex ‖ 96-byte proof)…`. */
export const TX_PROOF_PREFIX = "BaiosTxProofV1";
/** Text prefix of a reserve proof: `BaiosReserveProofV1` + base64url of its JSON (see {@link ReserveEntry}). */
export const RESERVE_PROOF_PREFIX = "BaiosReserveProofV1";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const addressBytes = (a: { viewPublic: Uint8Array; spendPublic: Uint8Array }): Uint8Array => {
  const b = new Uint8Array(64);
  b.set(a.viewPublic, 0);
  b.set(a.spendPublic, 32);
  return b;
};

/** Fetches a tx and checks its bytes hash to `txid` (the node is not trusted for the bytes). */
async function fetchTx(client: NodeRpcClient, txid: string): Promise<{ tx: TxJson; status: "mempool" | "confirmed"; height: number | null }> {
  const r = await client.getTx(txid);
  const bytes = hexToBytes(r.hex);
  if (bytesToHex(txId(decodeTx(bytes, Number.MAX_SAFE_INTEGER))) !== txid.toLowerCase()) throw new ProofError("INVALID_PROOF", "the node's transaction bytes do not hash to the txid");
  return { tx: r.tx, status: r.status, height: r.height };
}

// ------------------------------------------------------------------ outgoing-payment proof

/**
 * The outgoing-payment proof of a transfer this wallet sent, for `address` and `message`
 * (docs/crypto.md §12.1). The text is {@link TX_PROOF_PREFIX} + hex.
 * @throws ProofError `NOT_SENT` when this wallet did not send `txid`; AddressError for a bad address
 */
export function getTxProof(state: WalletState, txid: string, address: string, message = ""): string {
  const sent = state.sent.find((s) => s.txid === txid.toLowerCase());
  if (sent === undefined) throw new ProofError("NOT_SENT", "no transfer with this txid was sent by this wallet");
  const to = parseAnyAddress(address, state.network);
  // one shared R: one entry (key index 0); one key per output: one entry per output paid to `address`
  const entries: [number, Uint8Array][] = [];
  if (sent.txSecrets === undefined || sent.outputIndices === undefined) entries.push([0, sent.txSecret]);
  else {
    sent.destinations.forEach((d, i) => {
      const k = sent.outputIndices?.[i];
      const r = k === undefined ? undefined : sent.txSecrets?.[k];
      if (d.address.trim() === address.trim() && k !== undefined && r !== undefined) entries.push([k, r]);
    });
    if (entries.length === 0) throw new ProofError("NOT_SENT", "this transfer paid nothing to that address");
  }
  const body = new Uint8Array(1 + entries.length * 100);
  body[0] = entries.length;
  const view = new DataView(body.buffer);
  entries.forEach(([k, r], i) => {
    view.setUint32(1 + i * 100, k, true);
    body.set(txProof(r, hexToBytes(sent.txid), addressBytes(to), to.subaddress, utf8(message)), 5 + i * 100);
  });
  return TX_PROOF_PREFIX + bytesToHex(body);
}

/** What a verified tx proof shows: the outputs of `txid` paid to the address and their sum (atomic units). */
export interface TxProofCheck {
  txid: string;
  outputs: { index: number; amount: bigint }[];
  received: bigint;
  status: "confirmed" | "mempool";
  height: number | null;
}

function parseTxProof(text: string): { keyIndex: number; proof: Uint8Array }[] {
  const t = text.trim();
  if (!t.startsWith(TX_PROOF_PREFIX)) throw new ProofError("BAD_PROOF", `a tx proof starts with ${TX_PROOF_PREFIX}`);
  let b: Uint8Array;
  try {
    b = hexToBytes(t.slice(TX_PROOF_PREFIX.length));
  } catch {
    throw new ProofError("BAD_PROOF", "a tx proof is hex after its prefix");
  }
  const n = b[0] ?? 0;
  if (n === 0 || b.length !== 1 + n * 100) throw new ProofError("BAD_PROOF", "a tx proof holds 1..255 entries of 100 bytes");
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: n }, (_, i) => ({ keyIndex: view.getUint32(1 + i * 100, true), proof: b.slice(5 + i * 100, 5 + (i + 1) * 100) }));
}

/**
 * Checks an outgoing-payment proof against the chain: fetches `txid` from the node (its bytes
 * must hash to `txid`), verifies each entry against the tx public key it names, and opens the
 * outputs paid to `address`.
 * @throws ProofError `BAD_PROOF` / `INVALID_PROOF`; AddressError; RpcError
 */
export async function checkTxProof(client: NodeRpcClient, txid: string, address: string, proofText: string, message = "", network?: Network): Promise<TxProofCheck> {
  const entries = parseTxProof(proofText);
  const to = parseAnyAddress(address, network);
  const { tx, status, height } = await fetchTx(client, txid);
  const keys = tx.txPublicKeys.map(hexToBytes);
  const outputs: { index: number; amount: bigint }[] = [];
  for (const e of entries) {
    const R = keys[e.keyIndex];
    if (R === undefined) throw new ProofError("BAD_PROOF", `the proof names tx public key ${e.keyIndex}, the tx has ${keys.length}`);
    let K: Uint8Array;
    try {
      K = coreCheckTxProof(R, hexToBytes(txid), addressBytes(to), to.subaddress, utf8(message), e.proof);
    } catch (err) {
      throw new ProofError("INVALID_PROOF", `the tx proof does not verify for this tx, address and message (${(err as Error).message})`);
    }
    tx.outputs.forEach((o, i) => {
      if (keys.length > 1 && i !== e.keyIndex) return;
      const s = matchOutput(K, i, hexToBytes(o.oneTimeKey), o.viewTag, to.spendPublic);
      if (s === undefined) return;
      const opened = openAmount(s, hexToBytes(o.encryptedAmount), hexToBytes(o.commitment));
      if (opened !== undefined && !outputs.some((x) => x.index === i)) outputs.push({ index: i, amount: opened.amount });
    });
  }
  return { txid: txid.toLowerCase(), outputs, received: outputs.reduce((s, o) => s + o.amount, 0n), status, height };
}

// ------------------------------------------------------------------ signed key images

/** The file `export-key-images` writes (JSON): each owned output's one-time key and signed key image (docs/wallet.md §7.2). */
export interface KeyImageExport {
  format: "baios-key-images";
  version: 1;
  network: Network;
  /** The wallet's address keys `enc(A) ‖ enc(B)` (hex, 64 bytes): the proofs' context. */
  address: string;
  /** Per owned output: `oneTimeKey` (32 bytes hex) and `signedKeyImage` (`enc(I) ‖ c ‖ s`, 96 bytes hex). */
  keyImages: { oneTimeKey: string; signedKeyImage: string }[];
}

function fullKeys(state: WalletState) {
  if (state.seed === undefined) throw new ProofError("VIEW_ONLY", "this needs the spend key: a view-only wallet cannot sign key images or reserve proofs");
  return keysFromSeed(state.seed);
}
const secretOf = (state: WalletState, spendSecret: Uint8Array, o: OwnedOutput): Uint8Array => outputSecret(state, spendSecret, o);

/**
 * Signs the key image of every output the (full) wallet owns (docs/crypto.md §12.2).
 * @throws ProofError `VIEW_ONLY`
 */
export function exportKeyImages(state: WalletState): KeyImageExport {
  const k = fullKeys(state);
  const ctx = addressBytes(state);
  return {
    format: "baios-key-images",
    version: 1,
    network: state.network,
    address: bytesToHex(ctx),
    keyImages: state.outputs.map((o) => ({ oneTimeKey: bytesToHex(o.oneTimeKey), signedKeyImage: bytesToHex(keyImageProof(secretOf(state, k.spendSecret, o), o.oneTimeKey, ctx)) })),
  };
}

/** Result of {@link importKeyImages}: key images accepted, ones for outputs this wallet has not seen (yet), and outputs now marked spent. */
export interface KeyImageImport {
  imported: number;
  unknown: number;
  spent: number;
}

/**
 * Imports signed key images into a (view-only) wallet: each must verify for an output the wallet
 * found itself (one forged key image fails the whole import, nothing is applied). Then asks the
 * node which are spent and marks those outputs; later scans see their spends as a full wallet does.
 * @throws ProofError `BAD_PROOF` (malformed file), `WRONG_WALLET`, `INVALID_PROOF`; RpcError
 */
export async function importKeyImages(state: WalletState, data: unknown, client?: NodeRpcClient): Promise<KeyImageImport> {
  const f = data as Partial<KeyImageExport> | null;
  if (f === null || typeof f !== "object" || f.format !== "baios-key-images" || f.version !== 1 || !Array.isArray(f.keyImages)) throw new ProofError("BAD_PROOF", "not a baios-key-images v1 file");
  const ctx = addressBytes(state);
  if (f.address !== bytesToHex(ctx) || f.network !== state.network) throw new ProofError("WRONG_WALLET", "these key images were exported by another wallet (address or network differs)");
  const byKey = new Map(state.outputs.map((o) => [bytesToHex(o.oneTimeKey), o]));
  const accepted: [OwnedOutput, Uint8Array][] = [];
  let unknown = 0;
  for (const [i, e] of f.keyImages.entries()) {
    if (e === null || typeof e !== "object" || typeof e.oneTimeKey !== "string" || typeof e.signedKeyImage !== "string") throw new ProofError("BAD_PROOF", `keyImages[${i}] is malformed`);
    const o = byKey.get(e.oneTimeKey.toLowerCase());
    if (o === undefined) {
      unknown++;
      continue;
    }
    try {
      accepted.push([o, checkKeyImageProof(o.oneTimeKey, ctx, hexToBytes(e.signedKeyImage))]);
    } catch (err) {
      throw new ProofError("INVALID_PROOF", `keyImages[${i}]: the signed key image does not verify for this output (${(err as Error).message}); nothing imported`);
    }
  }
  for (const [o, ki] of accepted) o.keyImage = ki;
  let spent = 0;
  if (client !== undefined && accepted.length > 0) {
    const r = await client.isKeyImageSpent(accepted.map(([, ki]) => ki));
    accepted.forEach(([o], i) => {
      const h = r.heights[i];
      if (r.statuses[i] === "spent" && o.spentHeight === undefined) {
        o.spentHeight = typeof h === "number" ? h : state.scannedHeight;
        spent++;
      }
    });
  }
  return { imported: accepted.length, unknown, spent };
}

// ------------------------------------------------------------------ reserve proof

/** One output of a reserve proof (hex fields; docs/crypto.md §12.3). */
export interface ReserveEntry {
  /** Creating txid, or `coinbase:<height>`. */
  txid: string;
  /** Output position in its tx or coinbase. */
  index: number;
  /** `enc(a·R) ‖ c ‖ s` (96 bytes). */
  derivationProof: string;
  /** Subaddress scalar `m` it was received on (32 bytes; zero for the main address). */
  subaddressScalar: string;
  /** `enc(I) ‖ c ‖ s` (96 bytes). */
  signedKeyImage: string;
  /** Amount in atomic units (decimal). */
  amount: string;
  /** Commitment mask `y` (32 bytes). */
  mask: string;
}

/** `enc(A) ‖ enc(B) ‖ u8(len(location)) ‖ location (ASCII) ‖ u32le(index) ‖ message (UTF-8)` (docs/crypto.md §12.3). */
const reserveCtx = (addr: Uint8Array, txid: string, index: number, message: string): Uint8Array => {
  const t = utf8(txid);
  if (t.length > 255) throw new ProofError("BAD_PROOF", "an entry's location is longer than 255 bytes");
  const m = utf8(message);
  const b = new Uint8Array(64 + 1 + t.length + 4 + m.length);
  b.set(addr, 0);
  b[64] = t.length;
  b.set(t, 65);
  new DataView(b.buffer).setUint32(65 + t.length, index, true);
  b.set(m, 69 + t.length);
  return b;
};

/**
 * A reserve proof over the wallet's unspent outputs (all of them, or the fewest largest ones
 * covering `amount` atomic units), bound to `message` (docs/crypto.md §12.3).
 * @throws ProofError `VIEW_ONLY`; WalletError-like Error when the unspent outputs do not cover `amount`
 */
export function getReserveProof(state: WalletState, amount?: bigint, message = ""): string {
  const k = fullKeys(state);
  const addr = addressBytes(state);
  let outs = state.outputs.filter((o) => o.spentHeight === undefined).sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0));
  if (amount !== undefined) {
    const chosen: OwnedOutput[] = [];
    let sum = 0n;
    for (const o of outs) {
      if (sum >= amount) break;
      chosen.push(o);
      sum += o.amount;
    }
    if (sum < amount) throw new ProofError("BAD_PROOF", `unspent outputs hold ${sum} atomic units, less than ${amount}`);
    outs = chosen;
  }
  const entries: ReserveEntry[] = outs.map((o) => {
    const ctx = reserveCtx(addr, o.txid, o.index, message);
    return {
      txid: o.txid,
      index: o.index,
      derivationProof: bytesToHex(derivationProof(state.viewSecret, o.txPublicKey, ctx)),
      subaddressScalar: o.subaddress === undefined ? "00".repeat(32) : bytesToHex(subaddressKeys(state.viewSecret, state.spendPublic, o.subaddress[0], o.subaddress[1]).scalar),
      signedKeyImage: bytesToHex(keyImageProof(secretOf(state, k.spendSecret, o), o.oneTimeKey, ctx)),
      amount: o.amount.toString(),
      mask: bytesToHex(o.mask),
    };
  });
  return RESERVE_PROOF_PREFIX + Buffer.from(JSON.stringify({ version: 1, entries })).toString("base64url");
}

/** What a verified reserve proof shows (amounts in atomic units). */
export interface ReserveProofCheck {
  /** Sum of the proven outputs whose key images are unspent. */
  unspent: bigint;
  /** Sum of the proven outputs already spent. */
  spent: bigint;
  outputs: { txid: string; index: number; amount: bigint; spent: boolean }[];
}

/** The tx public key and output `index` of a location (`get_tx`, or `get_block` for a coinbase). */
async function locate(client: NodeRpcClient, txid: string, index: number): Promise<{ R: Uint8Array; oneTimeKey: Uint8Array; commitment: Uint8Array }> {
  const cb = /^coinbase:(\d{1,10})$/.exec(txid);
  if (cb !== null) {
    const b = await client.getBlock({ height: Number(cb[1]) });
    const o = b.coinbase.outputs[index];
    if (o === undefined) throw new ProofError("INVALID_PROOF", `${txid} has no output ${index}`);
    return { R: hexToBytes(b.coinbase.txPublicKey), oneTimeKey: hexToBytes(o.oneTimeKey), commitment: hexToBytes(o.commitment) };
  }
  if (!/^[0-9a-f]{64}$/.test(txid)) throw new ProofError("BAD_PROOF", "an entry's txid is not 32 bytes of hex");
  const { tx, status } = await fetchTx(client, txid);
  if (status !== "confirmed") throw new ProofError("INVALID_PROOF", `${txid} is not in a block`);
  const o = tx.outputs[index];
  if (o === undefined) throw new ProofError("INVALID_PROOF", `${txid} has no output ${index}`);
  const R = tx.txPublicKeys.length === 1 ? tx.txPublicKeys[0]! : tx.txPublicKeys[index]!;
  return { R: hexToBytes(R), oneTimeKey: hexToBytes(o.oneTimeKey), commitment: hexToBytes(o.commitment) };
}

/**
 * Checks a reserve proof for `address` and `message` against a node: every entry's output exists
 * on chain, belongs to the address (derivation proof and `P − s·G == B + m·G`), its signed key
 * image verifies and its commitment opens to the stated amount; the node says which key images
 * are spent. One failing entry fails the proof.
 * @throws ProofError `BAD_PROOF` / `INVALID_PROOF`; AddressError; RpcError
 */
export async function checkReserveProof(client: NodeRpcClient, address: string, proofText: string, message = "", network?: Network): Promise<ReserveProofCheck> {
  const t = proofText.trim();
  if (!t.startsWith(RESERVE_PROOF_PREFIX)) throw new ProofError("BAD_PROOF", `a reserve proof starts with ${RESERVE_PROOF_PREFIX}`);
  let body: { version?: unknown; entries?: unknown };
  try {
    body = JSON.parse(Buffer.from(t.slice(RESERVE_PROOF_PREFIX.length), "base64url").toString("utf8")) as typeof body;
  } catch {
    throw new ProofError("BAD_PROOF", "a reserve proof is base64url JSON after its prefix");
  }
  if (body?.version !== 1 || !Array.isArray(body.entries) || body.entries.length === 0 || body.entries.length > 1000) throw new ProofError("BAD_PROOF", "a reserve proof holds 1..1000 entries (version 1)");
  const to = parseAddress(address, network);
  const addr = addressBytes(to);
  const seen = new Set<string>();
  const checked: { txid: string; index: number; amount: bigint; keyImage: Uint8Array }[] = [];
  for (const [i, raw] of (body.entries as unknown[]).entries()) {
    const e = raw as Partial<ReserveEntry>;
    const bad = (m: string) => new ProofError("INVALID_PROOF", `entry ${i}: ${m}`);
    if (typeof e?.txid !== "string" || !Number.isSafeInteger(e.index) || typeof e.amount !== "string" || !/^\d{1,20}$/.test(e.amount) || [e.derivationProof, e.subaddressScalar, e.signedKeyImage, e.mask].some((x) => typeof x !== "string")) throw new ProofError("BAD_PROOF", `entry ${i} is malformed`);
    const where = `${e.txid}:${e.index}`;
    if (seen.has(where)) throw bad("the same output twice");
    seen.add(where);
    const loc = await locate(client, e.txid, e.index!);
    const ctx = reserveCtx(addr, e.txid, e.index!, message);
    const amount = BigInt(e.amount);
    try {
      const K = checkDerivationProof(to.viewPublic, loc.R, ctx, hexToBytes(e.derivationProof!));
      // received on the main address (m = 0) or on subaddress spend key D = B + m·G
      const m = hexToBytes(e.subaddressScalar!);
      const spend = m.every((x) => x === 0) ? to.spendPublic : pointAdd(to.spendPublic, scalarMultBase(m));
      const s = matchOutput(K, e.index!, loc.oneTimeKey, undefined, spend);
      if (s === undefined) throw bad("the output does not belong to the address");
      const ki = checkKeyImageProof(loc.oneTimeKey, ctx, hexToBytes(e.signedKeyImage!));
      if (!bytesEqual(commit(amount, hexToBytes(e.mask!)), loc.commitment)) throw bad("the amount and mask do not open the output's commitment");
      checked.push({ txid: e.txid, index: e.index!, amount, keyImage: ki });
    } catch (err) {
      if (err instanceof ProofError) throw err;
      throw bad(`a proof does not verify (${(err as Error).message})`);
    }
  }
  const r = await client.isKeyImageSpent(checked.map((c) => c.keyImage));
  const outputs = checked.map((c, i) => ({ txid: c.txid, index: c.index, amount: c.amount, spent: r.statuses[i] === "spent" }));
  return {
    unspent: outputs.filter((o) => !o.spent).reduce((s, o) => s + o.amount, 0n),
    spent: outputs.filter((o) => o.spent).reduce((s, o) => s + o.amount, 0n),
    outputs,
  };
}
