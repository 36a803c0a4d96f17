/**
 * Node configuration: one table of options (config-options.ts `OPTIONS`) drives the command-line
 * flags and `BAIOS_*` environment variables (commander `Option.env` + `argParser`,
 * config-cli.ts) and the JSON config file (a valibot schema built from the same table); each
 * value kind has one valibot schema for all three sources (config-kinds.ts).
 *
 * Precedence (highest first): flags > environment > config file > `base` > built-in defaults.
 * The config file is `--config <path>` / `BAIOS_CONFIG`, else `<dataDir>/config.json` if it exists.
 * `network` (`--network`, `BAIOS_NETWORK`, the file's `network`; default `devnet`) picks the
 * defaults that depend on it (the RPC port; `baios node`'s p2p port through a `base` function).
 * See docs/node.md §Configuration.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { isLoopbackAddress } from "./rpc/http-guard.ts";
import { ConfigError, isHex32, kindSchema, type KindContext } from "./config-kinds.ts";
import { BLOCK_TIME_REMOVED, parseCommandLine } from "./config-cli.ts";
import { OPTIONS, V8_FLAG_NAMES, defaultConfig, type NodeConfig } from "./config-options.ts";
import { DEFAULT_NETWORK, type NetworkName } from "./ports.ts";

export { ConfigError, LOG_LEVELS, type Kind, type KindContext, type LogLevel, type PayoutAddress } from "./config-kinds.ts";
export { DEFAULT_V8_FLAGS, OPTIONS, V8_FLAG_NAMES, defaultConfig, type NodeConfig, type OptionSpec } from "./config-options.ts";
export { flagTerm, nodeHelp, parseCommandLine, type CommandLineValues } from "./config-cli.ts";

/**
 * Validates a parsed JSON config object against the valibot schema built from the option table
 * (keys are the {@link NodeConfig} field names; keys starting with `_` are comments and ignored;
 * `null` = not set).
 * @param where prefixed to messages, e.g. `config file /home/x/.baios/config.json`
 * @throws ConfigError `<where>: unknown key "foo"`, `<where>: rpcPort: expected a non-negative integer`, …
 */
export function parseConfigObject(obj: unknown, where = "config file", ctx: KindContext = {}): Partial<NodeConfig> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ConfigError(`${where}: expected a JSON object`);
  // comments ("_comment", "_rpcPort", … that `baios init` writes: JSON has no comments) and nulls are left out
  const set = Object.entries(obj).filter(([k, x]) => !k.startsWith("_") && x !== null);
  if (set.some(([k]) => k === "blockTimeMs")) throw new ConfigError(`${where}: ${BLOCK_TIME_REMOVED}`);
  const schema = v.strictObject(Object.fromEntries(OPTIONS.map((s) => [s.key, v.optional(kindSchema(s.kind, ctx))])));
  const r = v.safeParse(schema, Object.fromEntries(set));
  if (r.success) return r.output as Partial<NodeConfig>;
  const issue = r.issues[0];
  const key = issue.path?.[0]?.key;
  if (!OPTIONS.some((s) => s.key === key)) throw new ConfigError(`${where}: unknown key ${JSON.stringify(key)}`);
  throw new ConfigError(`${where}: ${String(key)}: ${issue.message}`);
}

/** Reads and validates a config file. @throws ConfigError naming the file */
function readConfigFile(path: string, ctx: KindContext): Partial<NodeConfig> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: invalid JSON: ${(e as Error).message}`);
  }
  return parseConfigObject(json, `config file ${path}`, ctx);
}

/** Inputs of {@link loadConfig}; each defaults to nothing (not to `process.*`). */
export interface ConfigSources {
  /** The flags (the arguments after `baios node`). */
  argv?: readonly string[];
  /** The environment to read `BAIOS_*` variables from (empty values count as unset). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Values above the defaults and below the file: an object (e.g. a `baios devnet` preset), or a
   * function of the network in effect (`baios node`: p2p on the network's port,
   * `defaultP2pListen`). A function cannot choose the network.
   */
  base?: Partial<NodeConfig> | ((network: NetworkName) => Partial<NodeConfig>);
  /** Decodes `baios1…` payout addresses (given by the wallet CLI, which owns the address format); see KindContext. */
  decodeAddress?: KindContext["decodeAddress"];
}

/**
 * Merges defaults < base < config file < environment < flags into a {@link NodeConfig}: commander
 * reads the flags and environment (flag > env), then the file they name (or
 * `<dataDir>/config.json`), then the network's defaults fill what nobody set.
 * @throws ConfigError
 */
export function loadConfig(sources: ConfigSources = {}): NodeConfig {
  const ctx: KindContext = sources.decodeAddress !== undefined ? { decodeAddress: sources.decodeAddress } : {};
  const cli = parseCommandLine(sources.argv ?? [], sources.env ?? {}, ctx);
  const fixedBase = typeof sources.base === "function" ? {} : (sources.base ?? {});
  const dataDir = cli.values.dataDir ?? fixedBase.dataDir ?? defaultConfig().dataDir;
  let filePath = cli.configPath;
  if (filePath === undefined && existsSync(join(dataDir, "config.json"))) filePath = join(dataDir, "config.json");
  const file = filePath !== undefined ? readConfigFile(filePath, ctx) : {};
  const network = cli.values.network ?? file.network ?? fixedBase.network ?? DEFAULT_NETWORK;
  const base = typeof sources.base === "function" ? sources.base(network) : fixedBase;
  const cfg: NodeConfig = { ...defaultConfig(network), ...base, ...file, ...cli.values, network };
  cfg.dataDir = resolve(cfg.dataDir);
  return validateConfig(cfg);
}

/** Cross-field checks. @throws ConfigError */
export function validateConfig(cfg: NodeConfig): NodeConfig {
  // messages name the flags (--x, with the config key in parentheses): the user's words
  if (cfg.workerQueueMax < 1) throw new ConfigError("--worker-queue-max (workerQueueMax) must be at least 1");
  if (cfg.workerQueueMaxWaitMs < 1) throw new ConfigError("--worker-queue-max-wait-ms (workerQueueMaxWaitMs) must be at least 1");
  if (cfg.ringCacheEntries < 0 || cfg.ringCacheEntries > 1_000_000) throw new ConfigError("--ring-cache-entries (ringCacheEntries) must be in 0..1000000 (about 0.6 KB each)");
  for (const f of cfg.v8Flags) if (!/^--[a-z-]+(=\d+)?$/.test(f) || !V8_FLAG_NAMES.includes(f.split("=")[0] as string)) throw new ConfigError(`--v8-flags (v8Flags) ${JSON.stringify(f)}: only ${V8_FLAG_NAMES.join(", ")} (as --name=<integer>, or bare) are accepted`);
  if (cfg.maxPeers < 1) throw new ConfigError("--max-peers (maxPeers) must be at least 1");
  if (cfg.pruneDepth !== undefined && cfg.pruneDepth < 1) throw new ConfigError("--prune-depth (pruneDepth) must be at least 1");
  for (const a of [...cfg.p2pListen, ...cfg.bootstrap]) if (!a.startsWith("/")) throw new ConfigError(`--p2p-listen/--bootstrap address ${JSON.stringify(a)}: expected a multiaddr such as /ip4/127.0.0.1/tcp/28544`);
  for (const a of cfg.bootstrap) if (!/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(a)) throw new ConfigError(`--bootstrap ${JSON.stringify(a)}: must end in /p2p/<peerId>`);
  if (cfg.rpcPort > 65535 || (cfg.metricsPort ?? 0) > 65535) throw new ConfigError("--rpc-port/--metrics-port: port out of range (0..65535)");
  if (cfg.rpcDisableAuth && !cfg.restrictedRpc && !isLoopbackAddress(cfg.rpcHost)) {
    throw new ConfigError(`--rpc-disable-auth: refusing an unauthenticated RPC on ${cfg.rpcHost}; turn authentication off only on a loopback --rpc-host (127.0.0.1, ::1) or together with --restricted-rpc`);
  }
  if (cfg.network !== "devnet" && cfg.genesisPath === undefined) {
    throw new ConfigError(`--network ${cfg.network} needs --genesis <file> (the ${cfg.network} genesis file): the built-in genesis is the devnet's`);
  }
  if (cfg.validator) {
    if (cfg.validatorKey === undefined && cfg.validatorKeyFile === undefined) throw new ConfigError("--validator needs --validator-key-file <file> (or --validator-key)");
    if (cfg.payout === undefined) throw new ConfigError("--validator needs --payout <address>");
  }
  if (cfg.validatorKey !== undefined && !isHex32(cfg.validatorKey)) throw new ConfigError("--validator-key: expected 32 bytes of lowercase hex");
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
  if (hex === undefined || !isHex32(hex)) throw new ConfigError("validator key: expected 32 bytes of hex");
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
