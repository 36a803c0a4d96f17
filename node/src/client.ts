/**
 * `@baios/node/client`: the light entry for programs that talk to a node (the wallet, the CLI):
 * the JSON-RPC client, its error codes and the RPC JSON types (re-exported from `@baios/api`, where
 * new code should import them) and the HTTP guard helpers — without the node itself (storage,
 * libp2p, workers), so a wallet command does not load them.
 * @module
 */
export { NodeRpcClient, RpcError, readRpcCookie, tokenFromFile, type BlockRef, type RpcClientOptions, type NodeRpcClientOptions } from "@baios/api/node";
export {
  RpcSecurityError,
  generateToken,
  loadOrCreateTokenFile,
  assertAuthPolicy,
  checkRequest,
  corsHeaders,
  sendPreflight,
  sendRefusal,
  readBody,
  nestedDeeperThan,
  type GuardOptions,
} from "@baios/api/server";
// every JSON type and the error codes (the explicit exports above take precedence over these)
export * from "@baios/api";
