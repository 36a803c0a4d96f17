/**
 * The node's options as data: the {@link NodeConfig} fields, and {@link OPTIONS}, the ONE table
 * from which the command-line flags, the `BAIOS_*` environment variables, the config file keys,
 * `baios node --help` and the table in docs/node.md §Configuration all come. To add an option:
 * a field here, a row in {@link OPTIONS}, its default in {@link defaultConfig} (and, for a new
 * kind of value, a schema in config-kinds.ts).
 * @module
 */
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import type { Kind, LogLevel, PayoutAddress } from "./config-kinds.ts";
import { DEFAULT_NETWORK, NETWORK_PORTS, type NetworkName } from "./ports.ts";

/** Everything a node needs to run. Produced by {@link loadConfig}; also buildable by hand. */
export interface NodeConfig {
  /** The network (`mainnet` | `testnet` | `devnet`, default `devnet`): picks the default ports (node/src/ports.ts); `mainnet` and `testnet` need a `genesisPath`. */
  network: NetworkName;
  /** Data directory (the LevelDB lives in `<dataDir>/chain`). */
  dataDir: string;
  /** Path to a genesis JSON file; `undefined` = the built-in devnet genesis. */
  genesisPath: string | undefined;
  /** JSON-RPC listen address; port 0 = an ephemeral port (see the handle's `rpcUrl`); default: the network's RPC port (28545 mainnet, 38545 testnet, 48545 devnet). */
  rpcHost: string;
  rpcPort: number;
  /** Turn RPC authentication off (default false); allowed only on a loopback `rpcHost` or with `restrictedRpc` (docs/node.md §Authentication). */
  rpcDisableAuth: boolean;
  /** Where the RPC cookie (64 hex characters, mode 0600, new at every start) is written; `undefined` = `<dataDir>/rpc.cookie`. */
  rpcCookieFile: string | undefined;
  /** Origins (`scheme://host[:port]`) whose browser pages may call the RPC; default none. */
  rpcAllowOrigins: string[];
  /** Extra `Host` names the RPC answers to besides the listen address and localhost (e.g. a reverse proxy's name); `*` = any. */
  rpcAllowHosts: string[];
  /** Public-node mode (like monerod `--restricted-rpc`): tighter limits, no operator-only methods, no `/metrics` on the RPC listener (docs/node.md §Limits). */
  restrictedRpc: boolean;
  /** Serve `GET /metrics` on the RPC server too (default true). */
  metrics: boolean;
  /** Separate metrics listener port; `undefined` = same server as RPC. */
  metricsPort: number | undefined;
  logLevel: LogLevel;
  /** Log file path; `undefined` = stdout. */
  logFile: string | undefined;
  /** Produce blocks (requires a validator key and payout address). */
  validator: boolean;
  /** Path to a file holding the 32-byte Ed25519 validator seed as hex. Preferred over `validatorKey`. */
  validatorKeyFile: string | undefined;
  /** The 32-byte Ed25519 validator seed as hex (avoid: use `validatorKeyFile`). Never logged. */
  validatorKey: string | undefined;
  /** Coinbase payout address of the validator. */
  payout: PayoutAddress | undefined;
  /** Produce a block even when the mempool is empty (default true: steady heights). */
  emptyBlocks: boolean;
  /** Mine Tx-PoW block candidates to `payout` (docs/consensus.md §1; default true, needs a payout address). */
  mine: boolean;
  /** Hash attempts per second of the candidate miner (default 20 000; bounds its CPU share). */
  mineHashRate: number;
  /** Mempool limits: total encoded bytes and transaction count. */
  mempoolMaxBytes: number;
  mempoolMaxTxs: number;
  /** Worker threads for validation (default: available parallelism, min 1). 0 = validate inline. */
  workers: number;
  /** Bound of the worker pool's transaction lane in queued jobs (default 1024, ≥ 1); over it `submit_tx` answers NODE_BUSY (docs/node.md §Validation and the worker pool). */
  workerQueueMax: number;
  /** Longest wait of a queued tx-lane validation task for a worker, ms (default 2000, ≥ 1); past it the call (e.g. `submit_tx`) answers NODE_BUSY instead of waiting on (docs/node.md §Backpressure). */
  workerQueueMaxWaitMs: number;
  /** Ring-member cache bound per validation thread, entries of decoded `(P, Hp(P), C)` (about 0.6 KB each; default 8192 ≈ 5 MB per thread; 0 = off). Never changes a verdict (crypto-wasm/src/ring_cache.rs). */
  ringCacheEntries: number;
  /** V8 heap flags `baios node` runs its process with: it re-executes itself once with them (`process.execve`, Node ≥ 23.11) before loading the node; flags and workers share them. Default {@link DEFAULT_V8_FLAGS}; empty = V8's defaults. Only heap-sizing flags are accepted ({@link V8_FLAG_NAMES}); an embedded `startNode` ignores this (docs/node.md §Memory). */
  v8Flags: string[];
  /** fsync every block batch (default true; tests may turn it off). */
  syncWrites: boolean;
  /** `archive` keeps every block body; `pruned` deletes bodies deeper than D = unbondingDelay + epochLength below the tip (node/src/prune.ts, docs/pruning.md §Node modes). Default `pruned` on mainnet and testnet, `archive` on the devnet (D is 30 s there and devnet wallets scan from genesis). */
  mode: "archive" | "pruned";
  /** A fresh data directory bootstraps from the peers' latest verified state snapshot instead of replaying every block (node/src/sync/, docs/sync.md). Default false. */
  fastSync: boolean;
  /** Body depth of a pruned node in blocks (`--prune-depth`, ≥ 1): bodies deeper than this below the tip are deleted; `undefined` (default) = D = unbondingDelay + epochLength. A devnet/test knob: a shallower node validates the same but serves fewer bodies to syncing peers and wallets (docs/pruning.md §Node modes). */
  pruneDepth: number | undefined;
  /** p2p listen multiaddrs (e.g. `/ip4/0.0.0.0/tcp/28546`; `/tcp/0` = a free port); empty = no p2p network (a standalone node). Empty in {@link defaultConfig} (embedding, tests); `baios node` defaults to the network's p2p port, `/ip4/0.0.0.0/tcp/48544` on the devnet (node/src/ports.ts `defaultP2pListen`). */
  p2pListen: string[];
  /** Bootstrap peers: multiaddrs ending in `/p2p/<peerId>`, dialled at start and when few peers are left. */
  bootstrap: string[];
  /** Most p2p connections (inbound + outbound), default 50. */
  maxPeers: number;
  /** Dandelion++ epoch length in ms (default: the router's, ~10 minutes; the devnet shortens it). */
  dandelionEpochMs: number | undefined;
  /** Dandelion++ mean embargo in ms (default: derived from the measured hop delay, docs/node.md §Dandelion++). */
  dandelionEmbargoMs: number | undefined;
  /** BFT `timeoutPropose` base in ms (round r adds the default 500 ms·r; docs/consensus.md §2); `undefined` = 3000. Tests and devnets shorten it. */
  bftTimeoutProposeMs: number | undefined;
  /** BFT `timeoutPrevote` base in ms (round r adds 500 ms·r); `undefined` = 1000. */
  bftTimeoutPrevoteMs: number | undefined;
  /** BFT `timeoutPrecommit` base in ms (round r adds 500 ms·r); `undefined` = 1000. */
  bftTimeoutPrecommitMs: number | undefined;
}

/**
 * The default `v8Flags` (docs/node.md §Memory, measured in bench/src/rss.ts): a 2 MB
 * young-generation semi-space instead of V8's up to 32 MB (the main thread's new space alone held
 * ≈ 67 MB once grown), and the old generation allowed to grow to 1.5× the live heap between full
 * collections instead of V8's dynamic factor (up to 4×). Neither is a hard limit: the heap can
 * still grow as far as it needs, it is only collected sooner.
 */
export const DEFAULT_V8_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--heap-growing-percent=50"];
/** The V8 flags `v8Flags` may name (heap sizing only; anything else is a ConfigError). */
export const V8_FLAG_NAMES: readonly string[] = ["--max-semi-space-size", "--min-semi-space-size", "--semi-space-growth-factor", "--heap-growing-percent", "--max-old-space-size", "--optimize-for-size"];

/** One configurable option: its config-file key, flag, environment variable, kind and help text. */
export interface OptionSpec {
  /** The {@link NodeConfig} field, also the config file key. */
  key: keyof NodeConfig;
  /** The flag without `--` (a `bool` also gets `--no-<flag>`). */
  flag: string;
  /** The environment variable (`BAIOS_…`). */
  env: string;
  kind: Kind;
  /** One line for `--help`. */
  doc: string;
  /** `--help` value placeholder when the kind's (config-kinds.ts `PLACEHOLDER`) says too little, e.g. `<dir>`. */
  placeholder?: string;
  /** Never logged (redactConfig shows `<redacted>`). */
  secret?: boolean;
}

/** The option table (also rendered in docs/node.md §Configuration), in `--help` order. */
export const OPTIONS: readonly OptionSpec[] = [
  { key: "network", flag: "network", env: "BAIOS_NETWORK", kind: "network", doc: "mainnet|testnet|devnet: picks the default ports (default devnet)" },
  { key: "dataDir", flag: "data-dir", env: "BAIOS_DATA_DIR", kind: "string", placeholder: "<dir>", doc: "data directory (default ~/.baios)" },
  { key: "genesisPath", flag: "genesis", env: "BAIOS_GENESIS", kind: "string", placeholder: "<file>", doc: "genesis file (default: built-in devnet genesis; needed off the devnet)" },
  { key: "rpcHost", flag: "rpc-host", env: "BAIOS_RPC_HOST", kind: "string", placeholder: "<host>", doc: "RPC listen host (default 127.0.0.1)" },
  { key: "rpcPort", flag: "rpc-port", env: "BAIOS_RPC_PORT", kind: "int", doc: "RPC listen port (default: the network's, 48545 devnet, 38545 testnet, 28545 mainnet; 0 = ephemeral)" },
  { key: "rpcDisableAuth", flag: "rpc-disable-auth", env: "BAIOS_RPC_DISABLE_AUTH", kind: "bool", doc: "turn RPC authentication off (loopback or --restricted-rpc only)" },
  { key: "rpcCookieFile", flag: "rpc-cookie-file", env: "BAIOS_RPC_COOKIE_FILE", kind: "string", placeholder: "<file>", doc: "RPC token file written at start (default <data-dir>/rpc.cookie)" },
  { key: "rpcAllowOrigins", flag: "rpc-allow-origin", env: "BAIOS_RPC_ALLOW_ORIGIN", kind: "list", doc: "comma-separated origins browsers may call the RPC from (default none)" },
  { key: "rpcAllowHosts", flag: "rpc-allow-host", env: "BAIOS_RPC_ALLOW_HOST", kind: "list", doc: "comma-separated extra Host names served (default: listen address, localhost)" },
  { key: "restrictedRpc", flag: "restricted-rpc", env: "BAIOS_RESTRICTED_RPC", kind: "bool", doc: "public-node RPC: tighter limits, no operator-only methods, no /metrics" },
  { key: "metrics", flag: "metrics", env: "BAIOS_METRICS", kind: "bool", doc: "serve GET /metrics (default true)" },
  { key: "metricsPort", flag: "metrics-port", env: "BAIOS_METRICS_PORT", kind: "int", doc: "separate metrics port (default: the RPC server)" },
  { key: "logLevel", flag: "log-level", env: "BAIOS_LOG_LEVEL", kind: "level", doc: "fatal|error|warn|info|debug|trace|silent (default info)" },
  { key: "logFile", flag: "log-file", env: "BAIOS_LOG_FILE", kind: "string", placeholder: "<file>", doc: "log to this file instead of stdout" },
  { key: "validator", flag: "validator", env: "BAIOS_VALIDATOR", kind: "bool", doc: "produce and sign blocks (default false)" },
  { key: "validatorKeyFile", flag: "validator-key-file", env: "BAIOS_VALIDATOR_KEY_FILE", kind: "string", placeholder: "<file>", doc: "file with the hex Ed25519 validator seed" },
  { key: "validatorKey", flag: "validator-key", env: "BAIOS_VALIDATOR_KEY", kind: "string", placeholder: "<hex>", doc: "hex Ed25519 validator seed (prefer the key file)", secret: true },
  { key: "payout", flag: "payout", env: "BAIOS_PAYOUT", kind: "payout", doc: "coinbase address: baios1… (baiosdev1…), or <viewPublicHex>:<spendPublicHex>" },
  { key: "emptyBlocks", flag: "empty-blocks", env: "BAIOS_EMPTY_BLOCKS", kind: "bool", doc: "produce blocks with no txs (default true)" },
  { key: "mine", flag: "mine", env: "BAIOS_MINE", kind: "bool", doc: "mine Tx-PoW block candidates paying --payout (default true when --payout is set)" },
  { key: "mineHashRate", flag: "mine-hash-rate", env: "BAIOS_MINE_HASH_RATE", kind: "int", placeholder: "<hashes/s>", doc: "candidate miner hash attempts per second (default 20000)" },
  { key: "mempoolMaxBytes", flag: "mempool-max-bytes", env: "BAIOS_MEMPOOL_MAX_BYTES", kind: "int", doc: "mempool size limit in bytes (default 32 MiB)" },
  { key: "mempoolMaxTxs", flag: "mempool-max-txs", env: "BAIOS_MEMPOOL_MAX_TXS", kind: "int", doc: "mempool size limit in txs (default 10000)" },
  { key: "workers", flag: "workers", env: "BAIOS_WORKERS", kind: "int", doc: "validation worker threads (default: CPU count; 0 = inline)" },
  { key: "workerQueueMax", flag: "worker-queue-max", env: "BAIOS_WORKER_QUEUE_MAX", kind: "int", doc: "queued tx validation jobs before submit_tx answers NODE_BUSY (default 1024)" },
  { key: "workerQueueMaxWaitMs", flag: "worker-queue-max-wait-ms", env: "BAIOS_WORKER_QUEUE_MAX_WAIT_MS", kind: "int", placeholder: "<ms>", doc: "longest wait of a queued tx validation task before submit_tx answers NODE_BUSY (default 2000)" },
  { key: "ringCacheEntries", flag: "ring-cache-entries", env: "BAIOS_RING_CACHE_ENTRIES", kind: "int", doc: "decoded ring members cached per validation thread, ~0.6 KB each (default 8192; 0 = off)" },
  { key: "v8Flags", flag: "v8-flags", env: "BAIOS_V8_FLAGS", kind: "list", placeholder: "<flag,…>", doc: "V8 heap flags baios node runs with, e.g. --v8-flags=--max-semi-space-size=2 (default --max-semi-space-size=2,--heap-growing-percent=50; --v8-flags= = V8's defaults)" },
  { key: "syncWrites", flag: "sync-writes", env: "BAIOS_SYNC_WRITES", kind: "bool", doc: "fsync each block batch (default true)" },
  { key: "mode", flag: "mode", env: "BAIOS_MODE", kind: "mode", doc: "archive|pruned: keep every block body, or prune bodies deeper than unbondingDelay + epochLength (default pruned; archive on the devnet)" },
  { key: "fastSync", flag: "fast-sync", env: "BAIOS_FAST_SYNC", kind: "bool", doc: "a fresh data dir bootstraps from the peers' verified state snapshot, no block replay (default false; docs/sync.md)" },
  { key: "pruneDepth", flag: "prune-depth", env: "BAIOS_PRUNE_DEPTH", kind: "int", placeholder: "<blocks>", doc: "pruned mode: keep bodies this many blocks below the tip (default unbondingDelay + epochLength; devnets and tests shorten it)" },
  { key: "p2pListen", flag: "p2p-listen", env: "BAIOS_P2P_LISTEN", kind: "list", placeholder: "<multiaddr,…>", doc: "p2p listen multiaddrs, comma-separated or repeated (default /ip4/0.0.0.0/tcp/<the network's p2p port>; empty = no p2p)" },
  { key: "bootstrap", flag: "bootstrap", env: "BAIOS_BOOTSTRAP", kind: "list", placeholder: "<multiaddr,…>", doc: "bootstrap peer multiaddrs with /p2p/<peerId>, comma-separated or repeated" },
  { key: "maxPeers", flag: "max-peers", env: "BAIOS_MAX_PEERS", kind: "int", doc: "most p2p connections (default 50)" },
  { key: "dandelionEpochMs", flag: "dandelion-epoch-ms", env: "BAIOS_DANDELION_EPOCH_MS", kind: "int", placeholder: "<ms>", doc: "Dandelion++ epoch in ms (default ~10 min; devnets shorten it)" },
  { key: "dandelionEmbargoMs", flag: "dandelion-embargo-ms", env: "BAIOS_DANDELION_EMBARGO_MS", kind: "int", placeholder: "<ms>", doc: "Dandelion++ mean embargo in ms (default derived, docs/node.md)" },
  { key: "bftTimeoutProposeMs", flag: "bft-timeout-propose-ms", env: "BAIOS_BFT_TIMEOUT_PROPOSE_MS", kind: "int", placeholder: "<ms>", doc: "BFT propose timeout base in ms (default 3000; tests/devnets)" },
  { key: "bftTimeoutPrevoteMs", flag: "bft-timeout-prevote-ms", env: "BAIOS_BFT_TIMEOUT_PREVOTE_MS", kind: "int", placeholder: "<ms>", doc: "BFT prevote timeout base in ms (default 1000; tests/devnets)" },
  { key: "bftTimeoutPrecommitMs", flag: "bft-timeout-precommit-ms", env: "BAIOS_BFT_TIMEOUT_PRECOMMIT_MS", kind: "int", placeholder: "<ms>", doc: "BFT precommit timeout base in ms (default 1000; tests/devnets)" },
];

/** Built-in defaults for `network` (default devnet): its RPC port, no p2p (`baios node` adds the network's p2p port, ports.ts `defaultP2pListen`). */
export function defaultConfig(network: NetworkName = DEFAULT_NETWORK): NodeConfig {
  return {
    network,
    dataDir: join(homedir(), ".baios"),
    genesisPath: undefined,
    rpcHost: "127.0.0.1",
    rpcPort: NETWORK_PORTS[network].rpc,
    rpcDisableAuth: false,
    rpcCookieFile: undefined,
    rpcAllowOrigins: [],
    rpcAllowHosts: [],
    restrictedRpc: false,
    metrics: true,
    metricsPort: undefined,
    logLevel: "info",
    logFile: undefined,
    validator: false,
    validatorKeyFile: undefined,
    validatorKey: undefined,
    payout: undefined,
    emptyBlocks: true,
    mine: true,
    mineHashRate: 20_000,
    mempoolMaxBytes: 32 * 1024 * 1024,
    mempoolMaxTxs: 10_000,
    workers: Math.max(1, availableParallelism()),
    workerQueueMax: 1024,
    workerQueueMaxWaitMs: 2000,
    ringCacheEntries: 8192,
    v8Flags: [...DEFAULT_V8_FLAGS],
    syncWrites: true,
    mode: network === "devnet" ? "archive" : "pruned",
    fastSync: false,
    pruneDepth: undefined,
    p2pListen: [],
    bootstrap: [],
    maxPeers: 50,
    dandelionEpochMs: undefined,
    dandelionEmbargoMs: undefined,
    bftTimeoutProposeMs: undefined,
    bftTimeoutPrevoteMs: undefined,
    bftTimeoutPrecommitMs: undefined,
  };
}
