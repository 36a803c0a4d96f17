/**
 * JSON-RPC error codes of the node (docs/node.md §RPC errors), shared by the node (server) and its clients. The standard JSON-RPC 2.0 codes
 * plus application codes in the server range. A rejected transaction carries the
 * ConsensusError (code, reason, action, index) in `error.data`.
 * @module
 */

/** The node's JSON-RPC error codes by name (docs/node.md §Errors): the JSON-RPC 2.0 standard codes (-32700…-32603) and application codes in the server range (-32001…-32043; HTTP-level refusals -32030…-32043 come with their HTTP status). */
export const RPC_ERRORS = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Block, header, transaction or output not found. */
  NOT_FOUND: -32001,
  /** The block's body is pruned on this node (`--mode pruned`, docs/pruning.md): `data: { code: "PRUNED", tail }`, the lowest height whose body it still serves. Headers and certificates are still served; ask an archive node for the body. */
  PRUNED: -32002,
  /** The transaction violates a consensus rule; `data` is the ConsensusError JSON. */
  TX_REJECTED: -32010,
  /** The mempool is full and the transaction's priority is below the lowest it holds. */
  MEMPOOL_FULL: -32011,
  /** The transaction is already in the mempool or on chain; `data.txid`. */
  TX_ALREADY_KNOWN: -32012,
  /** "busy, retry later": the validation pool's transaction queue is full; `data` is the NodeBusyError JSON (`code: "NODE_BUSY"`, `action: "IGNORE"`). Nothing was checked: retry after a back-off. */
  NODE_BUSY: -32013,
  /** The node is shutting down or not ready. */
  UNAVAILABLE: -32020,
  /** The HTTP request exceeds a limit of docs/node.md §Limits (batch length, work budget, response bytes); `data: { limit, max, value }`. */
  LIMIT_EXCEEDED: -32030,
  /** Too many requests in flight (in total or on this connection); HTTP 429. Retry after a back-off. */
  TOO_MANY_REQUESTS: -32031,
  /** Missing or wrong credentials (docs/node.md §Authentication); HTTP 401. */
  UNAUTHORIZED: -32040,
  /** `Host` not served or `Origin` not allowed (DNS-rebinding / cross-origin protection); HTTP 403. */
  FORBIDDEN: -32041,
  /** `Content-Type` is not `application/json`; HTTP 415. */
  UNSUPPORTED_MEDIA_TYPE: -32042,
  /** The body exceeds the size limit; HTTP 413. */
  REQUEST_TOO_LARGE: -32043,
} as const;

/** Name of a node RPC error: a key of {@link RPC_ERRORS} (e.g. `"TX_REJECTED"`). */
export type RpcErrorName = keyof typeof RPC_ERRORS;
