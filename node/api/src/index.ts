/**
 * `@baios/api`: the node's JSON-RPC API as a client sees it — {@link NodeRpcClient} (fetch +
 * JSON-RPC 2.0), {@link RpcError}, the error codes {@link RPC_ERRORS} and the JSON result types of
 * every method (docs/node.md §Methods). Imports no Node built-in, so it runs in browsers as well
 * as in Node; token files (the node's `rpc.cookie`) are read by the Node-only `@baios/api/node`.
 * @module
 */
export { NodeRpcClient, RpcError, type BlockRef, type RpcClientOptions } from "./client.ts";
export { RPC_ERRORS, type RpcErrorName } from "./errors.ts";
export type { HeaderJson, CoinbaseJson, CoinbaseOutputJson, TxJson, TxOutputJson, ScanTxJson, CertificateJson } from "./json.ts";
export type { StakingResult, StakingSetJson, StakingSetMemberJson, StakingRecordJson, UnbondingJson } from "./staking.ts";
export type {
  NetworkStatusJson,
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
  MmrConsistencyProofResult,
  KeyImageProofResult,
  HeaderProofResult,
  CascadeResult,
  LightStepJson,
  LightUpdateResult,
} from "./results.ts";
