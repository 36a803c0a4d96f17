/**
 * The node's command line and environment, read by commander from the option table
 * (config-options.ts `OPTIONS`): each row becomes an `Option` with `.env(<BAIOS_…>)` and an
 * `argParser` that runs the kind's valibot schema (config-kinds.ts), so commander applies
 * "flag > environment" and the schema gives one message for both sources
 * (`flag --rpc-port: expected a non-negative integer`, `env BAIOS_RPC_PORT: …`). Commander's own
 * errors become {@link ConfigError}s naming the flag (`unknown flag --rpc-prot` with commander's
 * `(Did you mean --rpc-port?)`, `--rpc-port needs a value`). The config file and the defaults are
 * merged below these by `loadConfig` (config.ts). docs/node.md §Configuration.
 * @module
 */
import { Command, CommanderError, Option, type Help } from "commander";
import { ConfigError, PLACEHOLDER, parseKind, type KindContext } from "./config-kinds.ts";
import { OPTIONS, type NodeConfig, type OptionSpec } from "./config-options.ts";

/** The block interval is a consensus parameter now (docs/protocol.md §5.1), not a node option. */
export const BLOCK_TIME_REMOVED = "blockTimeMs / --block-time-ms was removed: the block interval is the genesis file's params.blockTimeMs (docs/protocol.md §5.1)";

/** `--rpc-port <n>`: the flag with its `--help` placeholder (none for a switch). */
export const flagTerm = (s: OptionSpec): string => `--${s.flag}${s.kind === "bool" ? "" : ` ${s.placeholder ?? PLACEHOLDER[s.kind]}`}`;

/** What {@link parseCommandLine} read: the values set by a flag or an environment variable, and the config file they name. */
export interface CommandLineValues {
  values: Partial<NodeConfig>;
  /** `--config <file>` or `BAIOS_CONFIG`; undefined when neither is set. */
  configPath: string | undefined;
}

/** The `--config` pseudo-option (not a {@link NodeConfig} field: it names the file). */
const CONFIG_FLAG = { flag: "config", env: "BAIOS_CONFIG", doc: "JSON config file (default <data-dir>/config.json if it exists)" };

/**
 * The commander command holding one option per {@link OPTIONS} row (plus `--config` and the
 * refused `--block-time-ms`). Values are parsed by the kind schemas as commander reads them.
 * @param source reports whether commander is reading flags or the environment (for messages)
 */
function optionsCommand(name: string, ctx: KindContext, source: { now: "flag" | "env" }): { cmd: Command; byAttr: Map<string, OptionSpec> } {
  const cmd = new Command(name).helpOption(false).exitOverride().allowExcessArguments(false).action(() => undefined);
  cmd.configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
  const byAttr = new Map<string, OptionSpec>();
  const where = (s: { flag: string; env: string }): string => (source.now === "env" ? `env ${s.env}` : `flag --${s.flag}`);
  // commander reads the environment after all flags and emits `optionEnv:<name>` for each variable
  // it uses; a listener added before the option's own runs before its argParser
  const watchEnv = (o: Option): void => void cmd.on(`optionEnv:${o.name()}`, () => (source.now = "env"));

  const config = new Option(`--config <file>`, CONFIG_FLAG.doc).env(CONFIG_FLAG.env).argParser((raw) => parseKind("string", raw, where(CONFIG_FLAG)) as string);
  watchEnv(config);
  cmd.addOption(config);
  for (const spec of OPTIONS) {
    // a switch takes an optional value: `--validator`, `--validator=false`, BAIOS_VALIDATOR=0
    const o = new Option(spec.kind === "bool" ? `--${spec.flag} [bool]` : `--${spec.flag} <value>`, spec.doc).env(spec.env);
    if (spec.kind === "bool") o.preset("true");
    o.argParser((raw: string, prev: unknown) => {
      const v = parseKind(spec.kind, raw, where(spec), ctx);
      // a repeated list flag adds to the list (`--bootstrap A --bootstrap B` = `--bootstrap A,B`)
      return spec.kind === "list" && Array.isArray(prev) ? [...(prev as unknown[]), ...(v as unknown[])] : v;
    });
    watchEnv(o);
    cmd.addOption(o);
    byAttr.set(o.attributeName(), spec);
    if (spec.kind === "bool") cmd.addOption(new Option(`--no-${spec.flag}`, `turn --${spec.flag} off`).hideHelp());
  }
  cmd.addOption(
    new Option("--block-time-ms <ms>").hideHelp().argParser(() => {
      throw new ConfigError(BLOCK_TIME_REMOVED);
    }),
  );
  return { cmd, byAttr };
}

/** A commander error as a {@link ConfigError} naming the flag the user typed. */
function asConfigError(e: CommanderError, cmd: Command): ConfigError {
  const msg = e.message.replace(/^error: /, "");
  const flag = /'(--?[\w-]+)/.exec(msg)?.[1];
  switch (e.code) {
    case "commander.unknownOption": {
      const hint = /\(Did you mean (--[\w-]+)\?\)/.exec(msg)?.[1];
      return new ConfigError(`unknown flag ${flag ?? msg}${hint !== undefined ? `\n(Did you mean ${hint}?)` : ""}`);
    }
    case "commander.optionMissingArgument":
      return new ConfigError(`${flag ?? "a flag"} needs a value`);
    case "commander.excessArguments":
      return new ConfigError(`unexpected argument ${JSON.stringify(cmd.args[0] ?? "")} (node options are --flags; see baios node --help)`);
    default:
      return new ConfigError(msg);
  }
}

/**
 * Reads the flags in `argv` and the `BAIOS_*` variables in `env` (flag > env, per option).
 * Empty variables count as unset. Commander's `Option.env` reads `process.env`, so `env` is put
 * in its place for the duration of this synchronous call and restored after it.
 * @param argv the arguments after `baios node` (no node/script prefix)
 * @throws ConfigError for an unknown flag, a missing or bad value, a positional argument
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, ctx: KindContext = {}): CommandLineValues {
  const source: { now: "flag" | "env" } = { now: "flag" };
  const { cmd, byAttr } = optionsCommand("node", ctx, source);
  const saved = process.env;
  process.env = Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ""));
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) throw asConfigError(e, cmd);
    throw e;
  } finally {
    process.env = saved;
  }
  const values: Record<string, unknown> = {};
  for (const [attr, spec] of byAttr) {
    const src = cmd.getOptionValueSource(attr);
    if (src === "cli" || src === "env") values[spec.key] = cmd.getOptionValue(attr);
  }
  return { values: values as Partial<NodeConfig>, configPath: cmd.getOptionValue("config") as string | undefined };
}

/**
 * `baios node --help`: commander's help for the option table, one line per option with its value
 * placeholder, environment variable and meaning (`--rpc-port <n>   BAIOS_RPC_PORT   RPC listen port …`).
 * @param usage the command as typed, e.g. `baios node`
 * @param extra text after the options (e.g. the subcommands)
 */
export function nodeHelp(usage: string, extra = ""): string {
  const { cmd, byAttr } = optionsCommand(usage, {}, { now: "flag" });
  const term = (o: Option): string => {
    const spec = byAttr.get(o.attributeName());
    if (o.long === "--config") return `${"--config <file>".padEnd(34)} ${CONFIG_FLAG.env}`;
    return spec === undefined ? o.flags : `${flagTerm(spec).padEnd(34)} ${spec.env}`;
  };
  cmd
    .usage("[flags]")
    .description("run a BAIOS node. Precedence: flags > BAIOS_* environment > config file (--config, else <data-dir>/config.json) > defaults. --network picks the default ports.")
    .configureHelp({ sortOptions: false, helpWidth: 200, optionTerm: term, optionDescription: (o: Option) => o.description } as Partial<Help>);
  return cmd.helpInformation() + (extra !== "" ? `${extra}\n` : "");
}
