/**
 * `@baios/node`: the BAIOS node (storage, chain state, mempool, block production, worker pool,
 * JSON-RPC, metrics, config, logs). See docs/node.md.
 * @module
 */
export { startNode, NODE_VERSION, type NodeHandle, type StartNodeOptions } from "./node.ts";
export {
  loadConfig,
  defaultConfig,
  validateConfig,
  redactConfig,
  readValidatorSeed,
  parseCommandLine,
  parseConfigObject,
  nodeHelp,
  flagTerm,
  ConfigError,
  OPTIONS as CONFIG_OPTIONS,
  LOG_LEVELS,
  type NodeConfig,
  type ConfigSources,
  type CommandLineValues,
  type KindContext,
  type OptionSpec,
  type PayoutAddress,
  type LogLevel,
} from "./config.ts";
export { NETWORKS, DEFAULT_NETWORK, NETWORK_PORTS, defaultP2pListen, defaultRpcUrl, p2pListenAddr, type NetworkName, type NetworkPorts } from "./ports.ts";
export { NodeRpcClient, RpcError, readRpcCookie, tokenFromFile, type BlockRef, type RpcClientOptions, type NodeRpcClientOptions } from "@baios/api/node";
export {
  RpcSecurityError,
  TOKEN_BYTES,
  generateToken,
  writeTokenFile,
  readTokenFile,
  loadOrCreateTokenFile,
  isLoopbackAddress,
  isWildcardAddress,
  assertAuthPolicy,
  parseHostHeader,
  checkHost,
  checkOrigin,
  checkAuth,
  checkContentType,
  checkRequest,
  corsHeaders,
  sendPreflight,
  sendRefusal,
  refusalBody,
  readBody,
  nestedDeeperThan,
  tokensEqual,
  type GuardOptions,
  type Refusal,
  type BodyResult,
  validateRpcRequest,
} from "@baios/api/server";
export { DEFAULT_RPC_SERVER_LIMITS, RESTRICTED_RPC_SERVER_LIMITS, OPERATOR_ONLY_METHODS, type RpcServerLimits } from "./rpc/limits.ts";
export { RPC_ERRORS, type RpcErrorName } from "@baios/api";
export {
  RPC_METHODS,
  RPC_LIMITS,
  type RpcMethodName,
  type StatusResult,
  type ParamsResult,
  type BlockResult,
  type BlocksRangeResult,
  type ScanBlockJson,
  type ValidatorsResult,
  type OutputJson,
  type OutputsResult,
  type DistributionResult,
  type SubmitTxResult,
  type SubmitUnbondResult,
  type TxResult,
  type MempoolResult,
  type KeyImageStatus,
  type KeyImagesResult,
  type MmrProofResult,
  type KeyImageProofResult,
  type HeaderProofResult,
} from "./rpc/methods.ts";
export type { HeaderJson, CoinbaseJson, CoinbaseOutputJson, TxJson, TxOutputJson, ScanTxJson, CertificateJson } from "./rpc/json.ts";
export { STAKING_RPC_LIMITS, type StakingResult, type StakingSetJson, type StakingSetMemberJson, type StakingRecordJson, type UnbondingJson } from "./rpc/staking.ts";
export { Chain, ChainError, StoreMmrBackend, StoreHeaderMmrBackend, StoreKisetBackend, type CommittedBlock } from "./chain.ts";
export { Mempool, MempoolFullError, AlreadyInPoolError, comparePriority, type MempoolEntry, type MempoolLimits } from "./mempool.ts";
export { WorkerPool } from "./workers/pool.ts";
export { Store, StoreError, BlockBatch } from "./store/store.ts";
export { createMetrics, METRIC_PREFIX, type NodeMetrics } from "./metrics.ts";
export { createLogger, silentLogger, type Logger } from "./log.ts";
export { loadGenesis, builtinDevnetGenesis, fromGenesis, DEVNET_VALIDATOR_SEED, type NodeGenesis } from "./genesis.ts";
export { peerIdentity, peerKeyPath } from "@baios/p2p";
