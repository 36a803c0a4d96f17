/**
 * `@baios/api/server` (Node only): what the node's and the wallet's JSON-RPC servers share — the
 * HTTP guard (`Host`/`Origin` checks, bearer-token authentication, token files, `Content-Type`,
 * body limits; docs/node.md §Authentication) and the JSON-RPC 2.0 request check (§4).
 * @module
 */
export * from "./http-guard.ts";
export { validateRequest, validateRequest as validateRpcRequest, type JsonRpcId, type ValidRequest } from "./request.ts";
