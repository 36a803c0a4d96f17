/**
 * `@baios/node/client`: the light entry for programs that talk to a node (the wallet, the CLI):
 * the JSON-RPC client, its error codes, the RPC JSON types and the HTTP guard helpers — without
 * the node itself (storage, libp2p, workers), so a wallet command does not load them.
 * @module
 */
export { NodeRpcClient, RpcError, readRpcCookie, type BlockRef, type RpcClientOptions } from "./rpc/client.ts";
export { RPC_ERRORS, type RpcErrorName } from "./rpc/errors.ts";
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
} from "./rpc/http-guard.ts";
export type { HeaderJson, CoinbaseJson, CoinbaseOutputJson, TxJson, TxOutputJson, ScanTxJson, CertificateJson } from "./rpc/json.ts";
export type { StakingResult, StakingSetJson, StakingSetMemberJson, StakingRecordJson, UnbondingJson } from "./rpc/staking.ts";
export type {
  StatusResult,
  ParamsResult,
  BlockResult,
  BlocksRangeResult,
  ScanBlockJson,
  ValidatorsResult,
  OutputJson,
  OutputsResult,
  DistributionResult,
  SubmitTxResult,
  SubmitUnbondResult,
  TxResult,
  MempoolResult,
  KeyImageStatus,
  KeyImagesResult,
  MmrProofResult,
  KeyImageProofResult,
  HeaderProofResult,
} from "./rpc/methods.ts";
