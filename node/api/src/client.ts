/**
 * Typed JSON-RPC client for the node API (used by the wallet and the CLI). One method per RPC
 * method; errors come back as {@link RpcError} with the JSON-RPC `code` and `data` (for a
 * rejected transaction, `data` is the ConsensusError JSON: `{ name, code, reason, action, index? }`).
 * @module
 */
import { JSONRPCClient, JSONRPCErrorException, createJSONRPCErrorResponse, type JSONRPCResponse } from "json-rpc-2.0";
import type { ConsensusErrorJSON } from "@baios/consensus";
import { RPC_ERRORS } from "./errors.ts";
import { hexOf } from "./hex.ts";
import type { HeaderJson } from "./json.ts";
import type { StakingResult } from "./staking.ts";
import type {
  BlockResult,
  BlocksRangeResult,
  DistributionResult,
  KeyImagesResult,
  MempoolResult,
  MmrProofResult,
  MmrConsistencyProofResult,
  KeyImageProofResult,
  HeaderProofResult,
  CascadeResult,
  OutputsResult,
  ParamsResult,
  StatusResult,
  SubmitTxResult,
  SubmitUnbondResult,
  TxResult,
  ValidatorsResult,
  LightUpdateResult,
} from "./results.ts";

/** A JSON-RPC error response (or a transport failure, code 0). */
export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  readonly data: unknown;
  constructor(message: string, code: number, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
  /** The ConsensusError of a rejected transaction (code TX_REJECTED), else undefined. */
  get consensusError(): ConsensusErrorJSON | undefined {
    return this.code === RPC_ERRORS.TX_REJECTED ? (this.data as ConsensusErrorJSON) : undefined;
  }
}

/** Selects a block by height (JSON number) or by block hash (32 bytes, lowercase hex, no `0x`): the `{ height }` / `{ hash }` params of `get_header` and `get_block`. */
export type BlockRef = { height: number } | { hash: string };

/** Options of {@link NodeRpcClient}. */
export interface RpcClientOptions {
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /**
   * The node's RPC token (64 hex characters), sent as `Authorization: Bearer <token>` (docs/node.md
   * §Authentication); or a function called before every request (so a restarted node's new cookie
   * is picked up, e.g. `tokenFromFile` of `@baios/api/node`). An error thrown by the function fails
   * the request with an {@link RpcError} of code 0.
   */
  token?: string | (() => string) | undefined;
}

/**
 * Typed client of the node's JSON-RPC 2.0 API over HTTP POST (docs/node.md §JSON-RPC 2.0, §Methods):
 * one method per RPC method, by-name params, results as the JSON views of ./results.ts (bytes as
 * lowercase hex, u64 amounts and fees as decimal strings of atomic units (1 BAI = 10^8), heights,
 * indices and ms times as numbers). Byte arguments may be `Uint8Array`s or hex strings (passed as is).
 * Authentication: pass `{ token }` (a string or a function); in Node, `NodeRpcClient` of
 * `@baios/api/node` also takes `{ tokenFile }` (the node's `<dataDir>/rpc.cookie`).
 * @throws RpcError from every call: the JSON-RPC error `code` ({@link RPC_ERRORS}: `NOT_FOUND`
 *   -32001, `TX_REJECTED` -32010 with the ConsensusError JSON in `data`, `MEMPOOL_FULL` -32011,
 *   `TX_ALREADY_KNOWN` -32012, `INVALID_PARAMS` -32602, …; an HTTP refusal's code such as
 *   `UNAUTHORIZED` -32040 or `TOO_MANY_REQUESTS` -32031), or code 0 when the node cannot be
 *   reached, answers an HTTP status without a JSON-RPC error body, or the request times out
 *   (`timeoutMs`, default 30 000 ms).
 */
export class NodeRpcClient {
  readonly url: string;
  readonly #client: JSONRPCClient;
  readonly #timeoutMs: number;

  constructor(url: string, opts: RpcClientOptions = {}) {
    this.url = url;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    const token = opts.token;
    this.#client = new JSONRPCClient(async (payload: unknown) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      let t: string | undefined;
      try {
        t = typeof token === "function" ? token() : token;
      } catch (e) {
        throw new RpcError((e as Error).message, 0);
      }
      if (t !== undefined) headers["authorization"] = `Bearer ${t}`;
      let res: Response;
      try {
        res = await fetch(this.url, { method: "POST", headers, body: JSON.stringify(payload), signal: AbortSignal.timeout(this.#timeoutMs) });
      } catch (e) {
        throw new RpcError(`cannot reach the node at ${this.url}: ${(e as Error).message}`, 0);
      }
      if (res.status === 200) this.#client.receive((await res.json()) as JSONRPCResponse);
      else if (res.status !== 204) {
        // refusals carry a JSON-RPC-style error body (401 UNAUTHORIZED, 403 FORBIDDEN, 429, 503 …)
        const body = (await res.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } } | undefined;
        const code = typeof body?.error?.code === "number" ? body.error.code : 0;
        const why = typeof body?.error?.message === "string" ? `: ${body.error.message}` : "";
        const hint = res.status === 401 ? (t === undefined ? " (pass the node's RPC token: --rpc-token-file <dataDir>/rpc.cookie or BAIOS_RPC_TOKEN)" : " (is the token file the node's current rpc.cookie?)") : "";
        const message = `HTTP ${res.status} from ${this.url}${why}${hint}`;
        if (code === 0) throw new RpcError(message, 0);
        // answer each pending request with the refusal's code (the transport's own errors would become code 0)
        const ids = (Array.isArray(payload) ? payload : [payload]).map((r) => (r as { id?: unknown }).id).filter((id): id is number | string => typeof id === "number" || typeof id === "string");
        this.#client.receive(ids.map((id) => createJSONRPCErrorResponse(id, code, message)));
      }
    });
  }

  /** Calls any method (by-name params). */
  async call<T>(method: string, params?: Record<string, unknown>): Promise<T> {
    try {
      return (await this.#client.request(method, params ?? {})) as T;
    } catch (e) {
      if (e instanceof JSONRPCErrorException) throw new RpcError(e.message, e.code, e.data);
      throw e;
    }
  }

  status(): Promise<StatusResult> {
    return this.call("status");
  }
  getParams(): Promise<ParamsResult> {
    return this.call("get_params");
  }
  /** The genesis validator set (`get_validators`). */
  getValidators(): Promise<ValidatorsResult> {
    return this.call("get_validators");
  }
  /** The staking state after the tip (`get_staking`): sets, records from `offset` (≤ 1000), unbonding queue, epoch, `stakingStateHash`. */
  getStaking(offset?: number): Promise<StakingResult> {
    return this.call("get_staking", offset === undefined ? {} : { offset });
  }
  getHeader(ref: BlockRef): Promise<HeaderJson> {
    return this.call("get_header", ref);
  }
  getBlock(ref: BlockRef, format: "json" | "hex" = "json"): Promise<BlockResult> {
    return this.call("get_block", { ...ref, format });
  }
  /** Scan data for heights `from..=to` (at most 1000 blocks; `to` is clipped to the tip). */
  getBlocksRange(from: number, to?: number): Promise<BlocksRangeResult> {
    return this.call("get_blocks_range", to === undefined ? { from } : { from, to });
  }
  /** Ring member data by global index (null for an index that does not exist). */
  getOutputs(indices: readonly number[]): Promise<OutputsResult> {
    return this.call("get_outputs", { indices });
  }
  /** Cumulative output counts per height, for decoy selection. */
  getOutputDistribution(from?: number, to?: number): Promise<DistributionResult> {
    const p: Record<string, unknown> = {};
    if (from !== undefined) p["from"] = from;
    if (to !== undefined) p["to"] = to;
    return this.call("get_output_distribution", p);
  }
  /** Submits a transaction in its wire bytes (docs/protocol.md §10.1; bytes or hex). */
  submitTx(tx: Uint8Array | string): Promise<SubmitTxResult> {
    return this.call("submit_tx", { tx: hexOf(tx) });
  }
  /** Submits a signed unbond request (its 169 wire bytes, docs/consensus.md §4.4; bytes or hex) to this node's miner. */
  submitUnbond(unbond: Uint8Array | string): Promise<SubmitUnbondResult> {
    return this.call("submit_unbond", { unbond: hexOf(unbond) });
  }
  getTx(txid: Uint8Array | string): Promise<TxResult> {
    return this.call("get_tx", { txid: hexOf(txid) });
  }
  getMempool(): Promise<MempoolResult> {
    return this.call("get_mempool");
  }
  isKeyImageSpent(keyImages: readonly (Uint8Array | string)[]): Promise<KeyImagesResult> {
    return this.call("is_key_image_spent", { keyImages: keyImages.map(hexOf) });
  }
  /** Inclusion proof of an output against the header at `height` (default: the tip). */
  getMmrProof(globalIndex: number, height?: number): Promise<MmrProofResult> {
    return this.call("get_mmr_proof", height === undefined ? { globalIndex } : { globalIndex, height });
  }
  /**
   * Consistency proof (docs/mmr.md §6) that the MMR of `oldCount` leaves is a prefix of the one of
   * `newCount` leaves (default: the tip's size); `mmr` "output" (default) or "header".
   */
  getMmrConsistencyProof(oldCount: number, newCount?: number, mmr?: "output" | "header"): Promise<MmrConsistencyProofResult> {
    return this.call("get_mmr_consistency_proof", { oldCount, ...(newCount === undefined ? {} : { newCount }), ...(mmr === undefined ? {} : { mmr }) });
  }
  /** Whether `keyImage` is spent as of the tip header, with a key-image set proof (docs/protocol.md §15.4). */
  getKeyImageProof(keyImage: Uint8Array | string): Promise<KeyImageProofResult> {
    return this.call("get_key_image_proof", { keyImage: hexOf(keyImage) });
  }
  /** Header-MMR inclusion proof of block `height` against header `at`'s `headerRoot` (default: the tip); `hash` (32 bytes) names a header a pruned node no longer stores (e.g. one from the cascade). */
  getHeaderProof(height: number, at?: number, hash?: Uint8Array | string): Promise<HeaderProofResult> {
    return this.call("get_header_proof", { height, ...(at === undefined ? {} : { at }), ...(hash === undefined ? {} : { hash: hexOf(hash) }) });
  }
  /** The node's cascade of old headers (docs/cascade.md §6): `encodeCascade` bytes as hex with its parameters and sizes. */
  getCascade(): Promise<CascadeResult> {
    return this.call("get_cascade", {});
  }
  /** Set-change headers with certificates, next sets and header-MMR links after block `from`, then block `to` (default: the tip), for a light client (docs/light-client.md §3; ≤ 64 steps). */
  getLightUpdate(from: number, to?: number): Promise<LightUpdateResult> {
    return this.call("get_light_update", to === undefined ? { from } : { from, to });
  }
  /** Resolves once the tip reaches `height` (polls `status`). */
  async waitForHeight(height: number, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<StatusResult> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const s = await this.status();
      if (s.height >= height) return s;
      if (Date.now() > deadline) throw new RpcError(`timed out waiting for height ${height} (at ${s.height})`, 0);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
    }
  }
}
