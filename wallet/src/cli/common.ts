/** Shared CLI helpers: RPC endpoint, wallet path, password input, amount printing. @module */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { NodeRpcClient } from "@baios/node/client";
import { defaultRpcUrl } from "@baios/node/ports";
import { NETWORKS, type Network } from "../address.ts";

/** Default node JSON-RPC URL on `network`: the node's default RPC listener there, `http://127.0.0.1:<port>` (48545 devnet, 38545 testnet, 28545 mainnet; README §Default ports). */
export const defaultRpc = (n: Network): string => defaultRpcUrl(n);

/** Options shared by the `baios wallet …` commands (docs/wallet.md §9), as parsed by commander. */
export interface CommonOpts {
  /** Node JSON-RPC URL (`--rpc`; else env BAIOS_RPC_URL, else {@link defaultRpc} of the {@link network}). */
  rpc?: string;
  /** The node's RPC token file, its cookie `<dataDir>/rpc.cookie` (`--rpc-token-file`; see {@link rpcAuth}). */
  rpcTokenFile?: string;
  /** Wallet file (`--wallet`; else env BAIOS_WALLET, else `~/.baios/wallet.json`). */
  wallet?: string;
  /** `mainnet` | `testnet` | `devnet` (`--network`; else env BAIOS_NETWORK, else devnet); checked by {@link network}. */
  network?: string;
  /** File holding the wallet password (`--password-file`; one trailing newline is stripped). */
  passwordFile?: string;
  /** `-q`: no progress bars. */
  quiet?: boolean;
}

/** The default node cookie: `~/.baios/rpc.cookie` (the node's default data directory). */
export const DEFAULT_RPC_COOKIE = (): string => join(homedir(), ".baios", "rpc.cookie");

/**
 * How the CLI authenticates to the node (docs/node.md §Authentication): `--rpc-token-file`, else
 * env `BAIOS_RPC_TOKEN` (the token itself), else env `BAIOS_RPC_TOKEN_FILE`, else
 * `~/.baios/rpc.cookie` when it exists, else no credentials (a node with `--rpc-disable-auth`).
 */
export function rpcAuth(o: CommonOpts): { token?: string; tokenFile?: string } {
  if (o.rpcTokenFile !== undefined) return { tokenFile: o.rpcTokenFile };
  const token = process.env["BAIOS_RPC_TOKEN"];
  if (token !== undefined && token !== "") return { token: token.trim() };
  const file = process.env["BAIOS_RPC_TOKEN_FILE"];
  if (file !== undefined && file !== "") return { tokenFile: file };
  return existsSync(DEFAULT_RPC_COOKIE()) ? { tokenFile: DEFAULT_RPC_COOKIE() } : {};
}

/** The node JSON-RPC URL: `--rpc`, else env `BAIOS_RPC_URL`, else the {@link network}'s default port on 127.0.0.1 ({@link defaultRpc}). */
export const rpcUrl = (o: CommonOpts): string => o.rpc ?? (process.env["BAIOS_RPC_URL"] || undefined) ?? defaultRpc(network(o));
/** A {@link NodeRpcClient} for {@link rpcUrl} (30 s request timeout), with the credentials of {@link rpcAuth}. */
export const rpcClient = (o: CommonOpts): NodeRpcClient => new NodeRpcClient(rpcUrl(o), rpcAuth(o));
/** The wallet file path: `--wallet`, else env `BAIOS_WALLET`, else `~/.baios/wallet.json`. */
export const walletPath = (o: CommonOpts): string => o.wallet ?? process.env["BAIOS_WALLET"] ?? join(homedir(), ".baios", "wallet.json");

/** The network: `--network`, else env `BAIOS_NETWORK`, else `devnet`. @throws Error unless it is one of {@link NETWORKS} */
export function network(o: CommonOpts): Network {
  const n = o.network ?? process.env["BAIOS_NETWORK"] ?? "devnet";
  if (!(NETWORKS as readonly string[]).includes(n)) throw new Error(`--network must be one of ${NETWORKS.join(", ")}`);
  return n as Network;
}

let pipedLines: AsyncIterator<string> | undefined;

/** The user ended a prompt (Ctrl-C, Ctrl-D): {@link main} prints `cancelled` and exits with status 130, no stack trace. */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor() {
    super("cancelled");
  }
}

/** The next line of piped (non-terminal) stdin, "" at its end. */
async function pipedLine(): Promise<string> {
  pipedLines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const next = await pipedLines.next();
  return next.done === true ? "" : next.value;
}

/**
 * Reads one line from the terminal without echoing it (@inquirer/password, on stderr), or the
 * next line of piped stdin. @throws CancelledError on Ctrl-C or Ctrl-D
 */
export async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) return pipedLine();
  const { default: password } = await import("@inquirer/password");
  try {
    return await password({ message: question.replace(/:\s*$/, ""), mask: false }, { output: process.stderr });
  } catch (e) {
    if (e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError")) throw new CancelledError();
    throw e;
  }
}

/**
 * Reads a 24-word mnemonic, visibly (a mnemonic is long: the user must see what they type), and
 * names every word that is not in the BIP39 English wordlist, asking again (piped stdin: one line,
 * an unknown word is an error). The checksum is checked later by `Wallet.restore`.
 * @throws CancelledError on Ctrl-C or Ctrl-D; Error naming the bad words on piped input
 */
export async function promptMnemonic(): Promise<string> {
  const { wordlist } = await import("@scure/bip39/wordlists/english.js");
  const known = new Set(wordlist);
  const bad = (m: string): string[] => m.trim().toLowerCase().split(/\s+/).map((w, i) => [w, i] as const).filter(([w]) => w !== "" && !known.has(w)).map(([w, i]) => `word ${i + 1} "${w}"`);
  if (!process.stdin.isTTY) {
    const m = await pipedLine();
    const b = bad(m);
    if (b.length > 0) throw new Error(`not in the BIP39 English wordlist: ${b.join(", ")}`);
    return m;
  }
  const { createInterface: rlp } = await import("node:readline/promises");
  const rl = rlp({ input: process.stdin, output: process.stderr, terminal: true });
  const ac = new AbortController();
  rl.on("SIGINT", () => ac.abort());
  rl.on("close", () => ac.abort());
  try {
    for (;;) {
      const m = await rl.question("24 words (shown as you type): ", { signal: ac.signal });
      const b = bad(m);
      if (b.length === 0) return m;
      process.stderr.write(`not in the BIP39 English wordlist: ${b.join(", ")}; type the words again\n`);
    }
  } catch (e) {
    if (ac.signal.aborted) throw new CancelledError();
    throw e;
  } finally {
    rl.close();
  }
}

/** The wallet password: --password-file, else BAIOS_WALLET_PASSWORD, else a hidden prompt. */
export async function password(o: CommonOpts, confirm = false): Promise<string> {
  if (o.passwordFile !== undefined) return readFileSync(o.passwordFile, "utf8").replace(/\r?\n$/, "");
  const env = process.env["BAIOS_WALLET_PASSWORD"];
  if (env !== undefined) return env;
  const pw = await promptHidden("wallet password: ");
  if (confirm) {
    const again = await promptHidden("repeat password: ");
    if (again !== pw) throw new Error("passwords do not match");
  }
  return pw;
}

/** Writes `line` (default empty) and a newline to stdout, the CLI's result output (prompts and progress bars use stderr). */
export const out = (line = ""): void => {
  process.stdout.write(line + "\n");
};
