/**
 * The light client (docs/light-client.md): from the genesis header and its validator set (or a
 * saved checkpoint), follows finality certificates across validator-set changes to a verified
 * head, then verifies past headers, outputs, key images and the cascade against it. Talks to a
 * node through any {@link LightTransport} (`NodeRpcClient` of `@baios/api` is one); imports no
 * Node built-in.
 * @module
 */
import { MAINNET_CASCADE_PARAMS, blockHash, decodeInclusionProof, equalBytes, toHex, type BlockHeader, type CascadeParams, type InclusionProof, type Validator } from "@baios/consensus";
import { decodeCheckpoint, encodeCheckpoint, type CheckpointStore } from "./checkpoint.ts";
import { LightClientError } from "./errors.ts";
import { headerFromJson } from "./json.ts";
import { DEFAULT_MAX_CLOCK_DRIFT_MS, NON_DEVNET_TRUST_PARAMS, checkNotFromFuture, checkTrustingPeriod, resolveTrustingPeriod, type TrustParams, type TrustingPeriod } from "./trust.ts";
import { genesisHead, verifyCascade, verifyKeyImage, verifyOutputInclusion, verifyPastHeader, verifyStep, type TrustedHead, type VerifiedCascade } from "./verify.ts";
import { LIGHT_UPDATE_MAX_STEPS, decodeStep, hexField, uintField, type LightUpdateResult } from "./wire.ts";

/**
 * How the client reaches a node: a JSON-RPC call by name with by-name params (`NodeRpcClient`
 * of `@baios/api` satisfies it). Transport failures are the transport's own errors (not
 * LightClientError: the node may be unreachable rather than lying).
 */
export interface LightTransport {
  call<T>(method: string, params?: Record<string, unknown>): Promise<T>;
}

/** Options of {@link LightClient.open}. */
export interface LightClientOptions {
  /** The genesis header (its hash is the chain's identity). */
  genesis: BlockHeader;
  /** The genesis validator set (must hash to `genesis.validatorsHash`). */
  genesisValidators: readonly Validator[];
  /** The node. */
  transport: LightTransport;
  /** Where the checkpoint is loaded from and saved to after every verified update (default: none kept). */
  store?: CheckpointStore;
  /** Cascade parameters the node builds with (levels and K must match the bytes; default mainnet 32 × 64). */
  cascadeParams?: CascadeParams;
  /**
   * The chain's `unbondingDelay` (blocks) and `blockTimeMs` (ms), from its genesis: the default
   * trusting period is derived from them. Default {@link NON_DEVNET_TRUST_PARAMS} (the floors of
   * every non-devnet chain = mainnet: 8 640 blocks × 10 000 ms).
   */
  chainParams?: TrustParams;
  /**
   * Trusting period in ms (docs/light-client.md §2.3): {@link LightClient.sync} refuses to start
   * from a trusted head whose `timeMs` is more than this before `now()` (`TRUST_EXPIRED`). Default
   * `floor(2/3 × unbondingDelay × blockTimeMs)` of `chainParams` (mainnet 16 h); an explicit
   * number must be below the unbonding period. `"off"`: no check — **unsafe** except for tests
   * and devnets whose genesis time is fabricated and old.
   */
  trustingPeriodMs?: TrustingPeriod;
  /** Largest clock drift, ms: a certified header more than this ahead of `now()` is refused (`HEADER_FROM_FUTURE`). Default 10 000. */
  maxClockDriftMs?: number;
  /** The clock of both checks, ms since the Unix epoch (default `Date.now`). */
  now?: () => number;
}

/** What one {@link LightClient.sync} did. */
export interface SyncReport {
  /** Verified height before. */
  from: bigint;
  /** Verified height after. */
  to: bigint;
  /** Certified headers verified (set changes and heads). */
  steps: number;
  /** Validator-set changes followed. */
  setChanges: number;
  /** `get_light_update` calls made. */
  calls: number;
}

/** An output proven in the verified chain. */
export interface VerifiedOutput {
  globalIndex: bigint;
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** Height of the verified header whose outputRoot proves it. */
  provenAt: bigint;
}

/** A key image's verified status. */
export interface VerifiedKeyImage {
  spent: boolean;
  /** Height of the verified header whose keyImageRoot the proof is against. */
  height: bigint;
}

const obj = (v: unknown, what: string): Record<string, unknown> => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new LightClientError("BAD_RESPONSE", `${what}: expected an object`);
  return v as Record<string, unknown>;
};
const proofField = (v: unknown, what: string): InclusionProof => {
  const p = decodeInclusionProof(hexField(v, what));
  if (p === undefined) throw new LightClientError("BAD_RESPONSE", `${what}: not an inclusion proof`);
  return p;
};

/** The light client. One instance per chain; calls are not meant to run concurrently. */
export class LightClient {
  readonly genesis: BlockHeader;
  readonly genesisHash: Uint8Array;
  readonly transport: LightTransport;
  readonly cascadeParams: CascadeParams;
  readonly #store: CheckpointStore | undefined;
  /** The trusting period in force, ms or `"off"` (docs/light-client.md §2.3). */
  readonly trustingPeriodMs: TrustingPeriod;
  /** The largest clock drift in force, ms. */
  readonly maxClockDriftMs: number;
  readonly #now: () => number;
  #head: TrustedHead;

  private constructor(o: LightClientOptions, head: TrustedHead) {
    this.genesis = o.genesis;
    this.genesisHash = blockHash(o.genesis);
    this.transport = o.transport;
    this.cascadeParams = o.cascadeParams ?? MAINNET_CASCADE_PARAMS;
    this.#store = o.store;
    this.trustingPeriodMs = resolveTrustingPeriod(o.trustingPeriodMs, o.chainParams ?? NON_DEVNET_TRUST_PARAMS);
    this.maxClockDriftMs = o.maxClockDriftMs ?? DEFAULT_MAX_CLOCK_DRIFT_MS;
    this.#now = o.now ?? Date.now;
    this.#head = head;
  }

  /**
   * A client at the genesis, or at the checkpoint in `store` when there is one.
   * @throws LightClientError `GENESIS_MISMATCH`, `CHECKPOINT_INVALID`; RangeError for a
   *   `trustingPeriodMs` not below the unbonding period or a negative `maxClockDriftMs`
   */
  static async open(o: LightClientOptions): Promise<LightClient> {
    if (o.maxClockDriftMs !== undefined && !(Number.isSafeInteger(o.maxClockDriftMs) && o.maxClockDriftMs >= 0)) throw new RangeError(`maxClockDriftMs ${o.maxClockDriftMs}: expected an integer ≥ 0`);
    const genesis = genesisHead(o.genesis, o.genesisValidators);
    const text = await o.store?.load();
    const head = text === undefined ? genesis : decodeCheckpoint(text, genesis.hash);
    if (head.header.chainId !== o.genesis.chainId) throw new LightClientError("CHECKPOINT_INVALID", `checkpoint chain id ${head.header.chainId}`);
    return new LightClient(o, head);
  }

  /** The verified head: header, hash, and the set that finalizes the next block. */
  get head(): TrustedHead {
    return this.#head;
  }

  /** The verified height. */
  get height(): bigint {
    return this.#head.header.height;
  }

  /** Age of the verified head by `now()`, ms (`now − head.timeMs`; negative when its time is ahead of the clock). */
  get headAgeMs(): number {
    return this.#now() - Number(this.#head.header.timeMs);
  }

  /**
   * Verifies the node's light updates from the head up to `to` (default: the node's tip) and
   * saves the checkpoint after each verified answer (docs/light-client.md §2.2). Each answer is
   * verified whole before it is used; a refused one leaves head and checkpoint unchanged. Before
   * any call, the head must be within the trusting period; every certified header of an answer
   * must be at most `maxClockDriftMs` ahead of `now()` (docs/light-client.md §2.3).
   * @throws LightClientError `TRUST_EXPIRED`, `HEADER_FROM_FUTURE`, `BAD_RESPONSE`, `BAD_HEADER`,
   *   `BAD_CERTIFICATE`, `SKIPPED_SET_CHANGE`, `STALE_SET`, `BAD_VALIDATOR_SET`, `FORK`
   */
  async sync(to?: number): Promise<SyncReport> {
    const from = this.height;
    checkTrustingPeriod(this.#head.header, this.trustingPeriodMs, this.#now());
    const report: SyncReport = { from, to: from, steps: 0, setChanges: 0, calls: 0 };
    const chainId = this.genesis.chainId;
    for (;;) {
      const start = this.#head;
      if (to !== undefined && BigInt(to) <= start.header.height) break;
      const params: Record<string, unknown> = { from: Number(start.header.height), ...(to === undefined ? {} : { to }) };
      const r = obj(await this.transport.call<LightUpdateResult>("get_light_update", params), "get_light_update");
      report.calls++;
      if (uintField(r["from"], "from") !== Number(start.header.height)) throw new LightClientError("BAD_RESPONSE", `the update starts at ${String(r["from"])}, not at the verified height ${start.header.height}`);
      const end = uintField(r["to"], "to");
      const steps = r["steps"];
      if (!Array.isArray(steps) || steps.length > LIGHT_UPDATE_MAX_STEPS) throw new LightClientError("BAD_RESPONSE", `steps: expected an array of at most ${LIGHT_UPDATE_MAX_STEPS}`);
      if (typeof r["complete"] !== "boolean") throw new LightClientError("BAD_RESPONSE", "complete: expected a boolean");
      let t = start;
      let changes = 0;
      steps.forEach((s, i) => {
        const before = t.set.hash;
        t = verifyStep(t, decodeStep(s, `steps[${i}]`), chainId);
        checkNotFromFuture(t.header, this.#now(), this.maxClockDriftMs);
        if (!equalBytes(before, t.set.hash)) changes++;
      });
      if (r["complete"] === true) {
        // a node behind the client has nothing new: no regression, no error
        if (end < Number(start.header.height)) break;
        if (t.header.height !== BigInt(end)) throw new LightClientError("BAD_RESPONSE", `the update claims to be complete at ${end} but ends at ${t.header.height}`);
      } else if (steps.length === 0) {
        throw new LightClientError("BAD_RESPONSE", "an incomplete update with no step (no progress)");
      }
      this.#head = t;
      report.steps += steps.length;
      report.setChanges += changes;
      report.to = t.header.height;
      if (t !== start) await this.#store?.save(encodeCheckpoint(this.genesisHash, t));
      if (r["complete"] === true) break;
    }
    return report;
  }

  /**
   * A past header, verified against the head (`get_header` + `get_header_proof { height, at: head }`).
   * @throws LightClientError `NOT_VERIFIED`, `BAD_RESPONSE`, `BAD_HEADER_PROOF`
   */
  async header(height: number): Promise<BlockHeader> {
    const head = this.#head;
    if (BigInt(height) > head.header.height) throw new LightClientError("NOT_VERIFIED", `block ${height} is above the verified head ${head.header.height}; sync first`);
    if (BigInt(height) === head.header.height) return head.header;
    const header = headerFromJson(await this.transport.call("get_header", { height }));
    if (header.height !== BigInt(height)) throw new LightClientError("BAD_HEADER_PROOF", `asked for block ${height}, got ${header.height}`);
    const p = obj(await this.transport.call("get_header_proof", { height, at: Number(head.header.height) }), "get_header_proof");
    verifyPastHeader(head, header, proofField(p["proof"], "get_header_proof.proof"));
    return header;
  }

  /**
   * Proves that output `globalIndex` with these 32-byte `oneTimeKey` and `commitment` is in the
   * verified chain (`get_mmr_proof { globalIndex, height: head }`, docs/protocol.md §8).
   * @throws LightClientError `BAD_RESPONSE`, `BAD_INCLUSION_PROOF`
   */
  async verifyOutput(globalIndex: number, oneTimeKey: Uint8Array, commitment: Uint8Array): Promise<VerifiedOutput> {
    const head = this.#head;
    const p = obj(await this.transport.call("get_mmr_proof", { globalIndex, height: Number(head.header.height) }), "get_mmr_proof");
    verifyOutputInclusion(head.header, BigInt(globalIndex), oneTimeKey, commitment, proofField(p["proof"], "get_mmr_proof.proof"));
    return { globalIndex: BigInt(globalIndex), oneTimeKey, commitment, provenAt: head.header.height };
  }

  /**
   * Fetches output `globalIndex` (`get_outputs`) and proves it ({@link verifyOutput}).
   * @throws LightClientError `BAD_RESPONSE`, `BAD_INCLUSION_PROOF`
   */
  async output(globalIndex: number): Promise<VerifiedOutput> {
    const r = obj(await this.transport.call("get_outputs", { indices: [globalIndex] }), "get_outputs");
    const list = r["outputs"];
    if (!Array.isArray(list) || list.length !== 1) throw new LightClientError("BAD_RESPONSE", "get_outputs: expected one output");
    if (list[0] === null) throw new LightClientError("BAD_INCLUSION_PROOF", `the node has no output ${globalIndex}`);
    const o = obj(list[0], "outputs[0]");
    return this.verifyOutput(globalIndex, hexField(o["oneTimeKey"], "oneTimeKey", 32), hexField(o["commitment"], "commitment", 32));
  }

  /**
   * Whether `keyImage` (32 bytes) is spent, proven against the `keyImageRoot` of a verified header
   * (`get_key_image_proof`, docs/protocol.md §15.4). The node proves against its tip: a tip above
   * the head is synced to first; one below is verified as a past header.
   * @throws LightClientError `BAD_RESPONSE`, `BAD_KEY_IMAGE_PROOF`, and those of {@link sync} / {@link header}
   */
  async keyImage(keyImage: Uint8Array): Promise<VerifiedKeyImage> {
    const r = obj(await this.transport.call("get_key_image_proof", { keyImage: toHex(keyImage) }), "get_key_image_proof");
    const height = uintField(r["height"], "get_key_image_proof.height");
    const hash = hexField(r["hash"], "get_key_image_proof.hash", 32);
    if (BigInt(height) > this.height) await this.sync(height);
    const header = await this.header(height);
    if (!equalBytes(blockHash(header), hash)) throw new LightClientError("BAD_KEY_IMAGE_PROOF", `the proof names block ${height} ${toHex(hash).slice(0, 16)}…, not the verified block at that height`);
    return { spent: verifyKeyImage(header, keyImage, hexField(r["proof"], "get_key_image_proof.proof")), height: BigInt(height) };
  }

  /**
   * Verifies the node's cascade (`get_cascade`, docs/light-client.md §4.4) and its link to the
   * verified head (the newest kept header's hash in the head's header MMR).
   * @throws LightClientError `BAD_RESPONSE`, `BAD_CASCADE`
   */
  async cascade(opts: { minWork?: bigint } = {}): Promise<VerifiedCascade> {
    const r = obj(await this.transport.call("get_cascade", {}), "get_cascade");
    const bytes = hexField(r["cascade"], "get_cascade.cascade");
    // the newest kept header's height: byte 10 is its level, the header follows (docs/cascade.md §5)
    const tipHeight = cascadeTipHeight(bytes);
    if (tipHeight !== undefined && tipHeight > this.height) await this.sync(Number(tipHeight));
    let proof: InclusionProof | undefined;
    if (tipHeight !== undefined && tipHeight < this.height) {
      const p = obj(await this.transport.call("get_header_proof", { height: Number(tipHeight), at: Number(this.height) }), "get_header_proof");
      proof = proofField(p["proof"], "get_header_proof.proof");
    }
    return verifyCascade(bytes, this.cascadeParams, this.#head, proof, opts.minWork ?? 0n);
  }

  /** The checkpoint text of the current head (what the store holds after a sync). */
  checkpoint(): string {
    return encodeCheckpoint(this.genesisHash, this.#head);
  }
}

/** Height of the newest kept header of `encodeCascade` bytes, read before the full check (undefined when too short). */
function cascadeTipHeight(bytes: Uint8Array): bigint | undefined {
  // prefix 10 bytes, then u8 level, then the header; height is the u64le at header offset 8 (version u32 ‖ chainId u32 ‖ height u64)
  if (bytes.length < 11 + 16) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(11 + 8, true);
}

