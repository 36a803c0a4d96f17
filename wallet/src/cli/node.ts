/**
 * `baios node`: starts a node in this process with @baios/node's `startNode`. Flags, `BAIOS_*`
 * environment variables and the config file are parsed by the node's own option table
 * (docs/node.md §Configuration), so `baios node --help` lists them from there.
 * @module
 */
import { Command } from "commander";
import { CONFIG_OPTIONS as OPTIONS, DEFAULT_P2P_LISTEN, loadConfig, startNode, type OptionSpec } from "@baios/node";
import { decodeAddress } from "../address.ts";
import { showValidatorCommand } from "./init.ts";
import { bytesToHex } from "../hex.ts";

/** `--help` value placeholders by option kind. */
const PLACEHOLDER: Record<OptionSpec["kind"], string> = { string: " <value>", int: " <n>", bool: "", level: " <level>", payout: " <address>", list: " <a,b,…>" };

/**
 * `--payout` / `BAIOS_PAYOUT` as a `baios1…` (`baiosdev1…`, `baiostest1…`) address: decoded here
 * (the wallet owns addresses; the node takes `<viewPublicHex>:<spendPublicHex>`, which also passes).
 * @throws Error "--payout: …" for a malformed address
 */
export function payoutHex(v: string): string {
  if (!v.startsWith("baios")) return v;
  try {
    const a = decodeAddress(v);
    return `${bytesToHex(a.viewPublic)}:${bytesToHex(a.spendPublic)}`;
  } catch (e) {
    throw new Error(`--payout: ${(e as Error).message}`, { cause: e });
  }
}

/** `argv` with the value of every `--payout <v>` / `--payout=<v>` passed through {@link payoutHex}. */
function payoutAsHex(argv: readonly string[]): string[] {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === "--payout" && i + 1 < out.length) out[i + 1] = payoutHex(out[i + 1]!);
    else if (out[i]!.startsWith("--payout=")) out[i] = `--payout=${payoutHex(out[i]!.slice(9))}`;
  }
  return out;
}

/** The closest known flag within edit distance 2 (Levenshtein), like commander's suggestions. */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_x, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  let best: { flag: string; d: number } | undefined;
  for (const k of known) {
    const d = dist(typed, k);
    if (d <= 2 && (best === undefined || d < best.d)) best = { flag: k, d };
  }
  return best?.flag;
}

/** The `baios node` command: hands every argument to the node's own option parser (`loadConfig`, docs/node.md §Configuration) and runs {@link runNode}; `--help` / `-h` lists the node's option table (flag, env variable, meaning). */
export function nodeCommand(): Command {
  const help = OPTIONS.map((o) => `  ${`--${o.flag}${PLACEHOLDER[o.kind]}`.padEnd(34)} ${o.env.padEnd(26)} ${o.doc}`).join("\n");
  return new Command("node")
    .description("run a BAIOS node (flags > BAIOS_* env > --config file > defaults)")
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .passThroughOptions()
    .argument("[flags...]")
    .addCommand(showValidatorCommand())
    .addHelpText("after", `\nOptions (flag, environment variable, meaning):\n  ${"--config <file>".padEnd(34)} ${"BAIOS_CONFIG".padEnd(26)} JSON config file\n${help}`)
    .action(async (_flags: string[], _o: unknown, cmd: Command) => {
      const argv = cmd.args;
      if (argv.includes("--help") || argv.includes("-h")) {
        cmd.outputHelp();
        return;
      }
      await runNode(argv);
    });
}

/** Starts the node and keeps it running until SIGINT/SIGTERM. Prints `rpc <url>` once listening, then `rpc-cookie <path>` (the RPC token file, docs/node.md §Authentication) or `rpc-auth off`, `metrics <url>`, and one `p2p <multiaddr>/p2p/<peerId>` line per p2p listen address (docs/node.md §Network). */
export async function runNode(argv: readonly string[]): Promise<void> {
  let config;
  try {
    // base: p2p on the default port unless the file, env or a flag says otherwise (`--p2p-listen=` = none)
    config = loadConfig({ base: { p2pListen: [...DEFAULT_P2P_LISTEN] }, argv: payoutAsHex(argv), env: { ...process.env, ...(process.env["BAIOS_PAYOUT"] ? { BAIOS_PAYOUT: payoutHex(process.env["BAIOS_PAYOUT"]) } : {}) } });
  } catch (e) {
    const m = /^unknown flag --([\w-]+)/.exec((e as Error).message);
    const near = m ? didYouMean(m[1]!, OPTIONS.map((o) => o.flag).concat("config")) : undefined;
    if (near !== undefined) throw new Error(`${(e as Error).message}\n(Did you mean --${near}?)`, { cause: e });
    throw e;
  }
  const node = await startNode(config);
  process.stdout.write(`rpc ${node.rpcUrl}\n`);
  process.stdout.write(node.rpcCookieFile !== undefined ? `rpc-cookie ${node.rpcCookieFile}\n` : "rpc-auth off\n");
  if (node.metricsUrl !== undefined) process.stdout.write(`metrics ${node.metricsUrl}\n`);
  // one line per p2p listen address with our peer id (what other nodes pass to --bootstrap)
  for (const a of node.net?.p2p.addresses() ?? []) process.stdout.write(`p2p ${a}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void node.stop().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
