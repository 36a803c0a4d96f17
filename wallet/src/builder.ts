/**
 * Building a RingCT transaction (docs/wallet.md §6): outputs with `makeOutput` (change
 * included), an aggregated Bulletproofs+ range proof, pseudo-outputs whose masks make
 * `Σ pseudoOut = Σ outputs + (fee + stake)·H` (stake only for a bond, version 2), the
 * validator's consent for a bond, one MLSAG per input over the consensus signing hash, then
 * the Tx-PoW nonce, mined in bounded `txPowMine` calls so progress can be shown.
 * @module
 */
import { commit, makeOutput, mlsagSign, randomScalar, rangeProve, scalarAdd, scalarMult, scalarMultBase, scalarSub, txPowExpectedHashes, txPowMine } from "@baios/crypto";
import { bondConsentMessage, encodeTx, TX_VERSION, TX_VERSION_BOND, txId, txSigningHash, type Tx, type TxInput, type TxOutput } from "@baios/consensus";
import { bytesEqual } from "./hex.ts";
import { randInt, secureRng, type Rng } from "./decoys.ts";

/** One input to spend: the owned output and its ring (sorted global indices, real one inside). */
export interface BuildInput {
  /** Global index of the real output. */
  globalIndex: number;
  amount: bigint;
  /** Commitment mask of the real output. */
  mask: Uint8Array;
  /** One-time secret x (P = x·G). */
  oneTimeSecret: Uint8Array;
  keyImage: Uint8Array;
  /** Ring members, strictly ascending by global index, the real one included. */
  ring: { globalIndex: number; oneTimeKey: Uint8Array; commitment: Uint8Array }[];
}

/** One payment of a transaction being built. */
export interface BuildDestination {
  /** Recipient's view public key A (32-byte ristretto255 encoding). */
  viewPublic: Uint8Array;
  /** Recipient's spend public key B (32-byte ristretto255 encoding). */
  spendPublic: Uint8Array;
  /** Amount in atomic units (1 BAI = 10^8); must be > 0. */
  amount: bigint;
  /** The keys are a subaddress's `(C, D)`: the tx then gets one tx public key per output, `R_k = r_k·D` for this output (docs/crypto.md §11). */
  subaddress?: boolean;
}

/** Tx-PoW mining progress: reported after each `txPowMine` chunk and once when the nonce is found. */
export interface PowProgress {
  /** Hashes computed so far. */
  hashes: number;
  /** Expected hashes for the target (`txPowExpectedHashes`, docs/crypto.md §7). */
  expected: number;
}

/** Inputs of {@link buildTx} (docs/wallet.md §6). Consensus limits (minFee, maxInputs, maxOutputs) are not checked here. */
export interface BuildTxOptions {
  /** Chain id (u32) the transaction is bound to (`get_params.chainId`). */
  chainId: number;
  /** Fee in atomic units (1 BAI = 10^8); consensus requires ≥ `minFee`. */
  fee: bigint;
  /** Owned outputs to spend, one MLSAG each, in this order. */
  inputs: BuildInput[];
  /** Payments, at least one; with the change output they form the tx's outputs (≤ 16 for one range proof). */
  destinations: BuildDestination[];
  /** Where the change goes (the wallet's own address). A change output is always added (possibly 0) so every tx has ≥ 2 outputs. */
  change: { viewPublic: Uint8Array; spendPublic: Uint8Array };
  /** Tx-PoW target (32 bytes big-endian; `get_params.txPowTarget`). */
  txPowTarget: Uint8Array;
  /** Hashes per `txPowMine` call (default 20 000). */
  powChunk?: number;
  /** Mining progress callback (drives the CLI's progress bar). */
  onPowProgress?: (p: PowProgress) => void;
  /** Uniform RNG for the output order (tests may pin it). */
  rng?: Rng;
  /**
   * Makes a bond (tx version 2, docs/consensus.md §4.4): `amount` (atomic units, > 0) leaves the
   * inputs as public stake for `validator` (Ed25519 key, 32 bytes); `consent` returns the
   * validator's Ed25519 signature (64 bytes) over the 32-byte `bondConsentMessage` (for a
   * self-bond: `ed25519Sign(validatorSeed, message)`). Destinations may then be empty.
   */
  stake?: { validator: Uint8Array; amount: bigint; consent: (message: Uint8Array) => Uint8Array | Promise<Uint8Array> };
}

/** A built, signed and mined transaction, ready for `submit_tx`. */
export interface BuiltTx {
  /** The transaction, `powNonce` set. */
  tx: Tx;
  /** Its id (32 bytes; docs/protocol.md §3.3). */
  txid: Uint8Array;
  /** Wire bytes (`encodeTx`, docs/protocol.md §10.1) to submit. */
  bytes: Uint8Array;
  /** Tx secret r (the payment-proof key); with per-output keys, the first output's `r_0`. */
  txSecret: Uint8Array;
  /** Per-output tx secrets `r_k` when a destination is a subaddress (then `tx.txPublicKeys` has one key per output); absent otherwise. */
  txSecrets?: Uint8Array[];
  /** Change returned to the wallet, atomic units (may be 0). */
  change: bigint;
  /** Position of each destination's output, and of the change output. */
  destinationIndices: number[];
  /** Output position of the change. */
  changeIndex: number;
  /** Tx-PoW hashes computed (nonce + 1: nonces are tried from 0). */
  powHashes: number;
}

/** Thrown by {@link buildTx} for an unbuildable request: no inputs or destinations, a non-positive amount, inputs not covering amounts + fee, a ring not strictly ascending or missing the real output, or a real output whose chain commitment does not open to the wallet's amount and mask. */
export class BuildError extends Error {
  override name = "BuildError";
}

/** Builds, signs and mines a transaction. */
export async function buildTx(o: BuildTxOptions): Promise<BuiltTx> {
  if (o.inputs.length === 0) throw new BuildError("no inputs");
  if (o.destinations.length === 0 && o.stake === undefined) throw new BuildError("no destinations");
  if (o.stake !== undefined && o.stake.amount <= 0n) throw new BuildError("stake amount must be positive");
  const totalIn = o.inputs.reduce((s, i) => s + i.amount, 0n);
  const totalOut = o.destinations.reduce((s, d) => s + d.amount, 0n) + (o.stake?.amount ?? 0n);
  if (o.destinations.some((d) => d.amount <= 0n)) throw new BuildError("amounts must be positive");
  const change = totalIn - totalOut - o.fee;
  if (change < 0n) throw new BuildError(`inputs ${totalIn} do not cover ${totalOut} + fee ${o.fee}`);

  // Output order: destinations and change shuffled, so the change position tells nothing.
  const rng = o.rng ?? secureRng;
  const plan: { to: { viewPublic: Uint8Array; spendPublic: Uint8Array; subaddress?: boolean }; amount: bigint; dest: number }[] = [
    ...o.destinations.map((d, i) => ({ to: d, amount: d.amount, dest: i })),
    { to: o.change, amount: change, dest: -1 },
  ];
  for (let i = plan.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  // One shared R = r·G, or (a subaddress destination) one key per output: R_k = r_k·D_k for a
  // subaddress, r_k·G otherwise, with shared point r_k·C_k / r_k·A_k (docs/crypto.md §11).
  const perOutput = o.destinations.some((d) => d.subaddress === true);
  const r = randomScalar();
  const rs = perOutput ? plan.map((_p, i) => (i === 0 ? r : randomScalar())) : undefined;
  const txPublicKeys = rs !== undefined ? plan.map((p, i) => (p.to.subaddress === true ? scalarMult(rs[i]!, p.to.spendPublic) : scalarMultBase(rs[i]!))) : [scalarMultBase(r)];
  const made = plan.map((p, i) => makeOutput(rs?.[i] ?? r, p.to.viewPublic, p.to.spendPublic, i, p.amount));
  const outputs: TxOutput[] = made.map((m) => ({ oneTimeKey: m.oneTimeKey, commitment: m.commitment, viewTag: m.viewTag, encryptedAmount: m.encryptedAmount }));
  const rangeProof = rangeProve(
    plan.map((p) => p.amount),
    made.map((m) => m.mask),
  );

  // Pseudo-output masks: random, the last one fixed so Σ pseudo masks = Σ output masks.
  const outMaskSum = made.reduce<Uint8Array>((s, m) => scalarAdd(s, m.mask), new Uint8Array(32));
  const pseudoMasks: Uint8Array[] = [];
  let acc: Uint8Array = new Uint8Array(32);
  o.inputs.forEach((_inp, k) => {
    const m = k === o.inputs.length - 1 ? scalarSub(outMaskSum, acc) : randomScalar();
    acc = scalarAdd(acc, m);
    pseudoMasks.push(m);
  });
  const inputs: TxInput[] = o.inputs.map((inp, k) => {
    const ring = inp.ring.map((m) => BigInt(m.globalIndex));
    for (let j = 1; j < ring.length; j++) if (ring[j - 1]! >= ring[j]!) throw new BuildError("ring must be strictly ascending");
    return { ring, keyImage: inp.keyImage, pseudoOut: commit(inp.amount, pseudoMasks[k]!) };
  });

  const tx: Tx = { version: TX_VERSION, chainId: o.chainId, fee: o.fee, inputs, outputs, txPublicKeys, rangeProof, signatures: [], powNonce: 0n };
  if (o.stake !== undefined) {
    // bond: the stake field joins the signing bytes; the validator consents first (signature zeroed in its message)
    tx.version = TX_VERSION_BOND;
    tx.stake = { validator: o.stake.validator.slice(), amount: o.stake.amount, validatorSignature: new Uint8Array(64) };
    tx.stake.validatorSignature = await o.stake.consent(bondConsentMessage(tx));
  }
  const message = txSigningHash(tx);
  tx.signatures = o.inputs.map((inp, k) => {
    const pi = inp.ring.findIndex((m) => m.globalIndex === inp.globalIndex);
    if (pi < 0) throw new BuildError("the real output is not in its ring");
    const real = inp.ring[pi]!;
    if (!bytesEqual(real.commitment, commit(inp.amount, inp.mask))) throw new BuildError(`input ${k}: the chain's commitment does not open to the wallet's amount`);
    return mlsagSign(
      { message, ringKeys: inp.ring.map((m) => m.oneTimeKey), ringCommitments: inp.ring.map((m) => m.commitment), pseudoOut: inputs[k]!.pseudoOut },
      pi,
      inp.oneTimeSecret,
      scalarSub(inp.mask, pseudoMasks[k]!),
    );
  });

  const txid = txId(tx);
  const { nonce, hashes } = await minePow(txid, o.txPowTarget, o.powChunk ?? 20_000, o.onPowProgress);
  tx.powNonce = nonce;
  return {
    tx,
    txid,
    bytes: encodeTx(tx),
    txSecret: r,
    ...(rs !== undefined ? { txSecrets: rs } : {}),
    change,
    destinationIndices: o.destinations.map((_d, i) => plan.findIndex((p) => p.dest === i)),
    changeIndex: plan.findIndex((p) => p.dest === -1),
    powHashes: hashes,
  };
}

/** Mining gives up after this many times the expected hashes (a legitimate target needs more with probability e^-50). */
export const POW_GIVE_UP_FACTOR = 50;

/**
 * Mines the Tx-PoW nonce in bounded chunks, yielding to the event loop between them.
 * @throws BuildError after {@link POW_GIVE_UP_FACTOR} × the expected hashes without a solution (an impossible target)
 */
export async function minePow(txid: Uint8Array, target: Uint8Array, chunk: number, onProgress?: (p: PowProgress) => void): Promise<{ nonce: bigint; hashes: number }> {
  const expected = txPowExpectedHashes(target);
  const giveUp = BigInt(Math.ceil(Math.min(Number.MAX_SAFE_INTEGER, POW_GIVE_UP_FACTOR * expected)));
  let start = 0n;
  for (;;) {
    if (start >= giveUp) throw new BuildError(`no Tx-PoW solution after ${start} hashes (${POW_GIVE_UP_FACTOR} × the ${expected} expected): the target is unreachable`);
    const nonce = txPowMine(txid, target, start, chunk);
    if (nonce !== undefined) {
      const hashes = Number(nonce - 0n) + 1;
      onProgress?.({ hashes, expected });
      return { nonce, hashes };
    }
    start += BigInt(chunk);
    onProgress?.({ hashes: Number(start), expected });
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Estimated encoded size (bytes) of a tx with `nIn` inputs of ring size `ring` and `nOut`
 * outputs: per input ring indices + key image + pseudo-output + MLSAG (32 + 64·n), per output
 * 73 bytes, one R, and the range proof (Bulletproofs+: 32·(2·log2(64·m') + 9) bytes roughly).
 */
export function estimateTxSize(nIn: number, nOut: number, ring = 11): number {
  let mPow = 1;
  while (mPow < nOut) mPow *= 2;
  const rp = 32 * (2 * Math.log2(64 * mPow) + 9);
  return 40 + nIn * (ring * 9 + 64 + 32 + 64 * ring + 8) + nOut * 80 + 40 + rp;
}
