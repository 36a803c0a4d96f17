/**
 * Node configuration: one table of options drives the command-line flags, the `BAIOS_*`
 * environment variables and the JSON config file.
 *
 * Precedence (highest first): flags > environment > config file > built-in defaults.
 * The config file is `--config <path>` / `BAIOS_CONFIG`, else `<dataDir>/config.json` if it exists.
 * See docs/node.md §Configuration.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join, resolve } from "node:path";
import { isLoopbackAddress } from "./rpc/http-guard.ts";

/** Pino log levels accepted by `logLevel`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LOG_LEVELS}: the pino level of `logLevel` (`--log-level`, `BAIOS_LOG_LEVEL`, default `info`; docs/node.md §Configuration). */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validator's payout address: where the stealth coinbase output goes (hex, 32 bytes each). */
export interface PayoutAddress {
  viewPublic: string;
  spendPublic: string;
}

/** Everything a node needs to run. Produced by {@link loadConfig}; also buildable by hand. */
export interface NodeConfig {
  /** Data directory (the LevelDB lives in `<dataDir>/chain`). */
  dataDir: string;
  /** Path to a genesis JSON file; `undefined` = the built-in devnet genesis. */
  genesisPath: string | undefined;
  /** JSON-RPC listen address; port 0 = an ephemeral port (see the handle's `rpcUrl`). */
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
  /** Mempool limits: total encoded bytes and transaction count. */
  mempoolMaxBytes: number;
  mempoolMaxTxs: number;
  /** Worker threads for validation (default: available parallelism, min 1). 0 = validate inline. */
  workers: number;
  /** Bound of the worker pool's transaction lane in queued jobs (default 1024, ≥ 1); over it `submit_tx` answers NODE_BUSY (docs/node.md §Validation and the worker pool). */
  workerQueueMax: number;
  /** Ring-member cache bound per validation thread, entries of decoded `(P, Hp(P), C)` (about 0.6 KB each; default 8192 ≈ 5 MB per thread; 0 = off). Never changes a verdict (crypto-wasm/src/ring_cache.rs). */
  ringCacheEntries: number;
  /** fsync every block batch (default true; tests may turn it off). */
  syncWrites: boolean;
  /** p2p listen multiaddrs (e.g. `/ip4/0.0.0.0/tcp/28546`; `/tcp/0` = a free port); empty = no p2p network (a standalone node). Empty in {@link defaultConfig} (embedding, tests); `baios node` defaults to `/ip4/0.0.0.0/tcp/28544` (node/src/ports.ts). */
  p2pListen: string[];
  /** Bootstrap peers: multiaddrs ending in `/p2p/<peerId>`, dialled at start and when few peers are left. */
  bootstrap: string[];
  /** Most p2p connections (inbound + outbound), default 50. */
  maxPeers: number;
  /** Dandelion++ epoch length in ms (default: the router's, ~10 minutes; the devnet shortens it). */
  dandelionEpochMs: number | undefined;
  /** Dandelion++ mean embargo in ms (default: derived from the measured hop delay, docs/node.md §Dandelion++). */
  dandelionEmbargoMs: number | undefined;
}

type Kind = "string" | "int" | "bool" | "level" | "payout" | "list";

/** One configurable option: its config key, flag, environment variable and type. */
export interface OptionSpec {
  key: keyof NodeConfig;
  flag: string;
  env: string;
  kind: Kind;
  doc: string;
  secret?: boolean;
}

/** The option table (also rendered in docs/node.md). */
export const OPTIONS: readonly OptionSpec[] = [
  { key: "dataDir", flag: "data-dir", env: "BAIOS_DATA_DIR", kind: "string", doc: "data directory (default ~/.baios)" },
  { key: "genesisPath", flag: "genesis", env: "BAIOS_GENESIS", kind: "string", doc: "genesis file (default: built-in devnet genesis)" },
  { key: "rpcHost", flag: "rpc-host", env: "BAIOS_RPC_HOST", kind: "string", doc: "RPC listen host (default 127.0.0.1)" },
  { key: "rpcPort", flag: "rpc-port", env: "BAIOS_RPC_PORT", kind: "int", doc: "RPC listen port (default 28545; 0 = ephemeral)" },
  { key: "rpcDisableAuth", flag: "rpc-disable-auth", env: "BAIOS_RPC_DISABLE_AUTH", kind: "bool", doc: "turn RPC authentication off (loopback or --restricted-rpc only)" },
  { key: "rpcCookieFile", flag: "rpc-cookie-file", env: "BAIOS_RPC_COOKIE_FILE", kind: "string", doc: "RPC token file written at start (default <data-dir>/rpc.cookie)" },
  { key: "rpcAllowOrigins", flag: "rpc-allow-origin", env: "BAIOS_RPC_ALLOW_ORIGIN", kind: "list", doc: "comma-separated origins browsers may call the RPC from (default none)" },
  { key: "rpcAllowHosts", flag: "rpc-allow-host", env: "BAIOS_RPC_ALLOW_HOST", kind: "list", doc: "comma-separated extra Host names served (default: listen address, localhost)" },
  { key: "restrictedRpc", flag: "restricted-rpc", env: "BAIOS_RESTRICTED_RPC", kind: "bool", doc: "public-node RPC: tighter limits, no operator-only methods, no /metrics" },
  { key: "metrics", flag: "metrics", env: "BAIOS_METRICS", kind: "bool", doc: "serve GET /metrics (default true)" },
  { key: "metricsPort", flag: "metrics-port", env: "BAIOS_METRICS_PORT", kind: "int", doc: "separate metrics port (default: the RPC server)" },
  { key: "logLevel", flag: "log-level", env: "BAIOS_LOG_LEVEL", kind: "level", doc: "fatal|error|warn|info|debug|trace|silent (default info)" },
  { key: "logFile", flag: "log-file", env: "BAIOS_LOG_FILE", kind: "string", doc: "log to this file instead of stdout" },
  { key: "validator", flag: "validator", env: "BAIOS_VALIDATOR", kind: "bool", doc: "produce and sign blocks (default false)" },
  { key: "validatorKeyFile", flag: "validator-key-file", env: "BAIOS_VALIDATOR_KEY_FILE", kind: "string", doc: "file with the hex Ed25519 validator seed" },
  { key: "validatorKey", flag: "validator-key", env: "BAIOS_VALIDATOR_KEY", kind: "string", doc: "hex Ed25519 validator seed (prefer the key file)", secret: true },
  { key: "payout", flag: "payout", env: "BAIOS_PAYOUT", kind: "payout", doc: "coinbase address as <viewPublicHex>:<spendPublicHex>" },
  { key: "emptyBlocks", flag: "empty-blocks", env: "BAIOS_EMPTY_BLOCKS", kind: "bool", doc: "produce blocks with no txs (default true)" },
  { key: "mempoolMaxBytes", flag: "mempool-max-bytes", env: "BAIOS_MEMPOOL_MAX_BYTES", kind: "int", doc: "mempool size limit in bytes (default 32 MiB)" },
  { key: "mempoolMaxTxs", flag: "mempool-max-txs", env: "BAIOS_MEMPOOL_MAX_TXS", kind: "int", doc: "mempool size limit in txs (default 10000)" },
  { key: "workers", flag: "workers", env: "BAIOS_WORKERS", kind: "int", doc: "validation worker threads (default: CPU count; 0 = inline)" },
  { key: "workerQueueMax", flag: "worker-queue-max", env: "BAIOS_WORKER_QUEUE_MAX", kind: "int", doc: "queued tx validation jobs before submit_tx answers NODE_BUSY (default 1024)" },
  { key: "ringCacheEntries", flag: "ring-cache-entries", env: "BAIOS_RING_CACHE_ENTRIES", kind: "int", doc: "decoded ring members cached per validation thread, ~0.6 KB each (default 8192; 0 = off)" },
  { key: "syncWrites", flag: "sync-writes", env: "BAIOS_SYNC_WRITES", kind: "bool", doc: "fsync each block batch (default true)" },
  { key: "p2pListen", flag: "p2p-listen", env: "BAIOS_P2P_LISTEN", kind: "list", doc: "p2p listen multiaddrs, comma-separated or repeated (`baios node` default /ip4/0.0.0.0/tcp/28544; --p2p-listen= (empty) = no p2p)" },
  { key: "bootstrap", flag: "bootstrap", env: "BAIOS_BOOTSTRAP", kind: "list", doc: "bootstrap peer multiaddrs with /p2p/<peerId>, comma-separated or repeated" },
  { key: "maxPeers", flag: "max-peers", env: "BAIOS_MAX_PEERS", kind: "int", doc: "most p2p connections (default 50)" },
  { key: "dandelionEpochMs", flag: "dandelion-epoch-ms", env: "BAIOS_DANDELION_EPOCH_MS", kind: "int", doc: "Dandelion++ epoch in ms (default ~10 min; devnets shorten it)" },
  { key: "dandelionEmbargoMs", flag: "dandelion-embargo-ms", env: "BAIOS_DANDELION_EMBARGO_MS", kind: "int", doc: "Dandelion++ mean embargo in ms (default derived, docs/node.md)" },
];

/** Built-in defaults. */
export function defaultConfig(): NodeConfig {
  return {
    dataDir: join(homedir(), ".baios"),
    genesisPath: undefined,
    rpcHost: "127.0.0.1",
    rpcPort: 28545,
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
    mempoolMaxBytes: 32 * 1024 * 1024,
    mempoolMaxTxs: 10_000,
    workers: Math.max(1, availableParallelism()),
    workerQueueMax: 1024,
    ringCacheEntries: 8192,
    syncWrites: true,
    p2pListen: [],
    bootstrap: [],
    maxPeers: 50,
    dandelionEpochMs: undefined,
    dandelionEmbargoMs: undefined,
  };
}

/** A configuration error (bad flag, bad value, unreadable file). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const HEX32 = /^[0-9a-f]{64}$/;

function parseValue(spec: OptionSpec, raw: unknown, where: string): unknown {
  const bad = (why: string): never => {
    // a flag or env variable is named as the user typed it; a config file key by its key
    throw new ConfigError(where.startsWith("config file") ? `${where}: ${spec.key}: ${why}` : `${where}: ${why}`);
  };
  switch (spec.kind) {
    case "string":
      if (typeof raw !== "string" || raw === "") bad("expected a non-empty string");
      return raw;
    case "int": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) bad("expected a non-negative integer");
      return n;
    }
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "1" || raw === "yes") return true;
      if (raw === "false" || raw === "0" || raw === "no") return false;
      return bad("expected true or false");
    case "level":
      if (typeof raw !== "string" || !(LOG_LEVELS as readonly string[]).includes(raw)) bad(`expected one of ${LOG_LEVELS.join("|")}`);
      return raw;
    case "list": {
      const items = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw : undefined;
      if (items === undefined || !items.every((x): x is string => typeof x === "string")) return bad("expected a comma-separated list or an array of strings");
      return items.map((x) => x.trim()).filter((x) => x !== "");
    }
    case "payout": {
      let p: unknown = raw;
      if (typeof raw === "string") {
        const [v, s, ...rest] = raw.split(":");
        p = rest.length === 0 ? { viewPublic: v, spendPublic: s } : undefined;
      }
      if (typeof p !== "object" || p === null) return bad("expected <viewPublicHex>:<spendPublicHex>");
      const { viewPublic, spendPublic } = p as Record<string, unknown>;
      if (typeof viewPublic !== "string" || !HEX32.test(viewPublic) || typeof spendPublic !== "string" || !HEX32.test(spendPublic)) {
        bad("expected two 32-byte lowercase hex public keys");
      }
      return { viewPublic, spendPublic } as PayoutAddress;
    }
  }
}

/** Parses `--flag value`, `--flag=value`, `--bool-flag` and `--no-bool-flag` for the option table. */
export function parseFlags(argv: readonly string[]): { values: Partial<NodeConfig>; configPath: string | undefined } {
  const values: Record<string, unknown> = {};
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf("=");
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (name === "config") {
      configPath = raw ?? argv[++i];
      if (configPath === undefined) throw new ConfigError("--config needs a value");
      continue;
    }
    let spec = OPTIONS.find((o) => o.flag === name);
    if (spec === undefined && name.startsWith("no-")) {
      spec = OPTIONS.find((o) => o.flag === name.slice(3) && o.kind === "bool");
      if (spec !== undefined && raw === undefined) {
        name = spec.flag;
        raw = "false";
      }
    }
    if (spec === undefined && name === "block-time-ms") throw new ConfigError(BLOCK_TIME_REMOVED);
    if (spec === undefined) throw new ConfigError(`unknown flag --${name}`);
    if (raw === undefined) {
      const next = argv[i + 1];
      if (spec.kind === "bool" && (next === undefined || next.startsWith("--"))) raw = "true";
      else if (next === undefined) throw new ConfigError(`--${name} needs a value`);
      else raw = argv[++i];
    }
    const v = parseValue(spec, raw, `flag --${spec.flag}`);
    // a repeated list flag adds to the list (`--bootstrap A --bootstrap B` = `--bootstrap A,B`)
    const prev = values[spec.key];
    values[spec.key] = spec.kind === "list" && Array.isArray(prev) && Array.isArray(v) ? [...(prev as string[]), ...(v as string[])] : v;
  }
  return { values: values as Partial<NodeConfig>, configPath };
}

/** Reads the `BAIOS_*` variables of the option table. */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): { values: Partial<NodeConfig>; configPath: string | undefined } {
  const values: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== "") values[spec.key] = parseValue(spec, raw, `env ${spec.env}`);
  }
  const configPath = env["BAIOS_CONFIG"];
  return { values: values as Partial<NodeConfig>, configPath: configPath === "" ? undefined : configPath };
}

/** The block interval is a consensus parameter now (docs/protocol.md §5.1), not a node option. */
const BLOCK_TIME_REMOVED = "blockTimeMs / --block-time-ms was removed: the block interval is the genesis file's params.blockTimeMs (docs/protocol.md §5.1)";

/** Validates a parsed JSON config object (keys are the {@link NodeConfig} field names; keys starting with `_` are comments and ignored). */
export function parseConfigObject(obj: unknown, where = "config file"): Partial<NodeConfig> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ConfigError(`${where}: expected a JSON object`);
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith("_")) continue; // comments: "_comment", "_rpcPort", … (`baios init` writes them; JSON has no comments)
    const spec = OPTIONS.find((o) => o.key === k);
    if (spec === undefined && k === "blockTimeMs") throw new ConfigError(`${where}: ${BLOCK_TIME_REMOVED}`);
    if (spec === undefined) throw new ConfigError(`${where}: unknown key ${JSON.stringify(k)}`);
    if (v !== null) values[k] = parseValue(spec, v, where);
  }
  return values as Partial<NodeConfig>;
}

/** Inputs of {@link loadConfig}; each defaults to nothing (not to `process.*`). */
export interface ConfigSources {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra values applied above the defaults and below the file (e.g. a `baios devnet` preset). */
  base?: Partial<NodeConfig>;
}

/**
 * Merges defaults < base < config file < environment < flags into a {@link NodeConfig}.
 * @throws ConfigError
 */
export function loadConfig(sources: ConfigSources = {}): NodeConfig {
  const flags = parseFlags(sources.argv ?? []);
  const env = parseEnv(sources.env ?? {});
  const preFile = { ...defaultConfig(), ...(sources.base ?? {}), ...env.values, ...flags.values };
  let filePath = flags.configPath ?? env.configPath;
  if (filePath === undefined && existsSync(join(preFile.dataDir, "config.json"))) filePath = join(preFile.dataDir, "config.json");
  let file: Partial<NodeConfig> = {};
  if (filePath !== undefined) {
    let text: string;
    try {
      text = readFileSync(filePath, "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read config file ${filePath}: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`config file ${filePath}: invalid JSON: ${(e as Error).message}`);
    }
    file = parseConfigObject(json, `config file ${filePath}`);
  }
  const cfg: NodeConfig = { ...defaultConfig(), ...(sources.base ?? {}), ...file, ...env.values, ...flags.values };
  cfg.dataDir = resolve(cfg.dataDir);
  return validateConfig(cfg);
}

/** Cross-field checks. @throws ConfigError */
export function validateConfig(cfg: NodeConfig): NodeConfig {
  // messages name the flags (--x, with the config key in parentheses): the user's words
  if (cfg.workerQueueMax < 1) throw new ConfigError("--worker-queue-max (workerQueueMax) must be at least 1");
  if (cfg.ringCacheEntries < 0 || cfg.ringCacheEntries > 1_000_000) throw new ConfigError("--ring-cache-entries (ringCacheEntries) must be in 0..1000000 (about 0.6 KB each)");
  if (cfg.maxPeers < 1) throw new ConfigError("--max-peers (maxPeers) must be at least 1");
  for (const a of [...cfg.p2pListen, ...cfg.bootstrap]) if (!a.startsWith("/")) throw new ConfigError(`--p2p-listen/--bootstrap address ${JSON.stringify(a)}: expected a multiaddr such as /ip4/127.0.0.1/tcp/28544`);
  for (const a of cfg.bootstrap) if (!/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(a)) throw new ConfigError(`--bootstrap ${JSON.stringify(a)}: must end in /p2p/<peerId>`);
  if (cfg.rpcPort > 65535 || (cfg.metricsPort ?? 0) > 65535) throw new ConfigError("--rpc-port/--metrics-port: port out of range (0..65535)");
  if (cfg.rpcDisableAuth && !cfg.restrictedRpc && !isLoopbackAddress(cfg.rpcHost)) {
    throw new ConfigError(`--rpc-disable-auth: refusing an unauthenticated RPC on ${cfg.rpcHost}; turn authentication off only on a loopback --rpc-host (127.0.0.1, ::1) or together with --restricted-rpc`);
  }
  if (cfg.validator) {
    if (cfg.validatorKey === undefined && cfg.validatorKeyFile === undefined) throw new ConfigError("--validator needs --validator-key-file <file> (or --validator-key)");
    if (cfg.payout === undefined) throw new ConfigError("--validator needs --payout <address>");
  }
  if (cfg.validatorKey !== undefined && !HEX32.test(cfg.validatorKey)) throw new ConfigError("--validator-key: expected 32 bytes of lowercase hex");
  return cfg;
}

/** The config with secrets replaced by "<redacted>", safe to log or print. */
export function redactConfig(cfg: NodeConfig): Record<string, unknown> {
  // an option that was never set is left out (so the logger's redaction never shows "<redacted>" for it)
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined));
  for (const spec of OPTIONS) if (spec.secret === true && out[spec.key] !== undefined) out[spec.key] = "<redacted>";
  // Payout keys are public but identify the validator's address: keep them out of logs too.
  if (out["payout"] !== undefined) out["payout"] = "<set>";
  return out;
}

/** Reads the validator seed from `validatorKeyFile` or `validatorKey`. @throws ConfigError */
export function readValidatorSeed(cfg: NodeConfig): Uint8Array {
  let hex = cfg.validatorKey;
  if (cfg.validatorKeyFile !== undefined) {
    try {
      hex = readFileSync(cfg.validatorKeyFile, "utf8").trim().toLowerCase();
    } catch (e) {
      throw new ConfigError(`cannot read validator key file: ${(e as Error).message}`);
    }
  }
  if (hex === undefined || !HEX32.test(hex)) throw new ConfigError("validator key: expected 32 bytes of hex");
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
