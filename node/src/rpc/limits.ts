/**
 * Limits of the node's JSON-RPC server (docs/node.md §Limits): per HTTP request (body bytes,
 * batch length, nesting depth, work budget, response bytes), per listener (requests in flight in
 * total and per connection), and the per-method caps of `--restricted-rpc` (public-node mode,
 * like monerod's `--restricted-rpc`).
 *
 * Work is counted in units before any method runs: one block read (`get_block`, each block of a
 * `get_blocks_range` span) = 1, 100 outputs or key images = 1, 1 000 heights of output
 * distribution = 1, `get_light_update` = 16 (≤ 64 certified headers), `get_cascade` = 16 (≤ levels × K headers), every other call = 1. A batch whose total exceeds `maxWorkUnits` is refused
 * whole, before any of it runs.
 * @module
 */
import { RPC_ERRORS } from "./errors.ts";
import { RPC_LIMITS } from "./methods.ts";

/** Every bound of one RPC listener. Units: bytes, requests, work units (see the module doc). */
export interface RpcServerLimits {
  /** Request body, bytes (413 above). */
  maxBodyBytes: number;
  /** Requests in one batch (LIMIT_EXCEEDED above). */
  maxBatch: number;
  /** Nesting depth of arrays/objects in the body (INVALID_REQUEST above). */
  maxDepth: number;
  /** Work units per HTTP request, summed over a batch (LIMIT_EXCEEDED above). */
  maxWorkUnits: number;
  /** Serialised response bytes per HTTP request; a call whose answer does not fit gets LIMIT_EXCEEDED. */
  maxResponseBytes: number;
  /** HTTP requests being served at once on the listener (429 above). */
  maxConcurrent: number;
  /** HTTP requests being served at once on one connection (pipelining; 429 above). */
  maxPerConnection: number;
  /** `get_blocks_range` span, blocks. */
  blocksRange: number;
  /** `get_outputs` indices. */
  outputs: number;
  /** `is_key_image_spent` key images. */
  keyImages: number;
  /** `get_output_distribution` heights. */
  distribution: number;
}

/** Limits of a normal (operator) listener. */
export const DEFAULT_RPC_SERVER_LIMITS: Readonly<RpcServerLimits> = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxBatch: 100,
  maxDepth: 32,
  maxWorkUnits: 2000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxConcurrent: 64,
  maxPerConnection: 4,
  blocksRange: RPC_LIMITS.blocksRange,
  outputs: RPC_LIMITS.outputs,
  keyImages: RPC_LIMITS.keyImages,
  distribution: RPC_LIMITS.distribution,
};

/**
 * Limits of `--restricted-rpc` (a public node): tighter batches, budget, responses and spans, but
 * still what a wallet asks for (it scans 200 blocks per call and looks up ≤ 5 000 outputs).
 */
export const RESTRICTED_RPC_SERVER_LIMITS: Readonly<RpcServerLimits> = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxBatch: 20,
  maxDepth: 16,
  maxWorkUnits: 400,
  maxResponseBytes: 8 * 1024 * 1024,
  maxConcurrent: 32,
  maxPerConnection: 2,
  blocksRange: 200,
  outputs: 5000,
  keyImages: 1000,
  distribution: 100_000,
};

/**
 * Methods only the operator may call; a restricted listener answers METHOD_NOT_FOUND for them.
 * The node has none today (every method reads public chain data or submits a transaction);
 * a method that changes the node's configuration or reveals its peers belongs here.
 */
export const OPERATOR_ONLY_METHODS: readonly string[] = [];

/** A per-call refusal: JSON-RPC code and message. */
export interface CallRefusal {
  code: number;
  message: string;
}

const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const uint = (v: unknown): number | undefined => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * Work units of one call (see the module doc), or a refusal when a restricted per-method cap is
 * exceeded (INVALID_PARAMS, like the methods' own caps). Malformed params cost 1: the method
 * itself rejects them.
 */
export function callCost(method: string, params: unknown, limits: RpcServerLimits, restricted: boolean): number | CallRefusal {
  const p = typeof params === "object" && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  const capped = (n: number, cap: number, what: string): number | CallRefusal =>
    restricted && n > cap ? { code: RPC_ERRORS.INVALID_PARAMS, message: `at most ${cap} ${what} per call on this restricted RPC` } : n;
  switch (method) {
    case "get_blocks_range": {
      const from = uint(p["from"]);
      const to = uint(p["to"]);
      if (from === undefined) return 1;
      // without `to` the span runs to the tip: count the worst case the method allows
      const span = to === undefined ? limits.blocksRange : to >= from ? to - from + 1 : 0;
      const c = capped(span, limits.blocksRange, "blocks");
      return typeof c === "number" ? Math.max(1, Math.min(c, RPC_LIMITS.blocksRange)) : c;
    }
    case "get_outputs": {
      const c = capped(len(p["indices"]), limits.outputs, "indices");
      return typeof c === "number" ? Math.max(1, Math.ceil(c / 100)) : c;
    }
    case "is_key_image_spent": {
      const c = capped(len(p["keyImages"]), limits.keyImages, "key images");
      return typeof c === "number" ? Math.max(1, Math.ceil(c / 100)) : c;
    }
    case "get_light_update":
      // up to 64 certified headers with set and link proof, and a walk over staking records
      return 16;
    case "get_cascade":
      // the whole cascade: ≤ levels × K headers, 3.6 MB of bytes (7.2 MB hex) at most on mainnet
      return 16;
    case "get_output_distribution": {
      const from = uint(p["from"]) ?? 0;
      const to = uint(p["to"]);
      const span = to === undefined ? limits.distribution : to >= from ? to - from + 1 : 0;
      const c = capped(span, limits.distribution, "heights");
      return typeof c === "number" ? Math.max(1, Math.ceil(Math.min(c, RPC_LIMITS.distribution) / 1000)) : c;
    }
    default:
      return 1;
  }
}

/**
 * Params as a restricted listener runs them: `get_blocks_range` without `to` gets
 * `to = from + blocksRange − 1` (the method still clips it to the tip; the result's `tip` tells the
 * caller whether more blocks follow). Other params are returned unchanged.
 */
export function restrictParams(method: string, params: unknown, limits: RpcServerLimits): unknown {
  if (method !== "get_blocks_range" || typeof params !== "object" || params === null || Array.isArray(params)) return params;
  const p = params as Record<string, unknown>;
  const from = uint(p["from"]);
  if (from === undefined || p["to"] !== undefined) return params;
  return { ...p, to: from + limits.blocksRange - 1 };
}

/** What {@link estimateResponseBytes} reads: the tip height and cumulative output counts (the store's per-height index). */
export interface ChainSizes {
  tipHeight(): number;
  /** Outputs created in blocks `0..=height`, undefined above the tip. */
  cumulativeOutputs(height: number): Promise<number | undefined>;
}

/** Estimated JSON bytes per block of a `get_blocks_range` answer besides its outputs (hash, header fields, certificate, tx ids and key images). */
export const EST_BYTES_PER_BLOCK = 1536;
/** Estimated JSON bytes per output of a `get_blocks_range` answer (index, one-time key, commitment, view tag, encrypted amount or amount). */
export const EST_BYTES_PER_OUTPUT = 260;

/**
 * Estimated answer size in bytes of a call, from the chain's output counts, before it runs: only
 * `get_blocks_range` can be large enough to matter (`EST_BYTES_PER_BLOCK` per block +
 * `EST_BYTES_PER_OUTPUT` per output in the span, `to` clipped to the tip); other calls 0. The
 * server refuses a request whose estimate exceeds `maxResponseBytes` before building the answer,
 * so a node never holds more than about one response limit for one request.
 */
export async function estimateResponseBytes(chain: ChainSizes, method: string, params: unknown, limits: RpcServerLimits): Promise<number> {
  if (method !== "get_blocks_range" || typeof params !== "object" || params === null || Array.isArray(params)) return 0;
  const p = params as Record<string, unknown>;
  const from = uint(p["from"]);
  if (from === undefined) return 0;
  const tip = chain.tipHeight();
  const to = Math.min(uint(p["to"]) ?? from + limits.blocksRange - 1, tip, from + RPC_LIMITS.blocksRange - 1);
  if (to < from) return 0;
  const before = from === 0 ? 0 : ((await chain.cumulativeOutputs(from - 1)) ?? 0);
  const upTo = (await chain.cumulativeOutputs(to)) ?? before;
  return (to - from + 1) * EST_BYTES_PER_BLOCK + Math.max(0, upTo - before) * EST_BYTES_PER_OUTPUT;
}
