/**
 * `baios light`: serves the light-client web page (wallet/light/page) on loopback, with its root
 * of trust (`trust.json`, from the genesis file or the built-in devnet genesis, never from the
 * node) and a forwarder of the light client's read-only methods to the node, which adds the
 * node's RPC token (wallet/src/light-page.ts; docs/light-client.md §7.1). The page is built with
 * Vite into wallet/light/page/dist on first use (or with `--rebuild`).
 * @module
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { isLoopbackAddress } from "@baios/api/server";
import { GENESIS_FLOORS, toHex } from "@baios/consensus";
import { defaultTrustingPeriodMs, resolveTrustingPeriod, type TrustingPeriod } from "@baios/light-client";
import { loadGenesis } from "@baios/node";
import { lightTrustJson, startLightPageServer, type LightPageServer } from "../light-page.ts";
import { out, rpcClient, rpcUrl, type CommonOpts } from "./common.ts";
import { shutdownSignal } from "./shutdown-signals.ts";

/** The page's sources (index.html, src/, vite.config.ts). */
export const LIGHT_PAGE_SOURCE = fileURLToPath(new URL("../../light/page/", import.meta.url));
/** Where the built page goes. */
export const LIGHT_PAGE_DIST = fileURLToPath(new URL("../../light/page/dist/", import.meta.url));

/** Options of `baios light`. */
export interface LightOpts extends CommonOpts {
  genesis?: string;
  host: string;
  port: string;
  cascadePerLevel: string;
  /** `--trusting-period`: ms or `off` (default: derived from the genesis params; `off` for the built-in devnet genesis). */
  trustingPeriod?: string;
  rebuild?: boolean;
}

/**
 * Whether `params` can only be a devnet's: an unbonding delay or block time below the floors of
 * every other chain (docs/protocol.md §13.1, `GENESIS_FLOORS`). A devnet's unbonding period is
 * seconds (20 blocks × 1 000 ms), so a derived trusting period would refuse its genesis seconds
 * after launch.
 */
const devnetTrust = (params: Parameters<typeof resolveTrustingPeriod>[1]): boolean => params.unbondingDelay < GENESIS_FLOORS.unbondingDelay || params.blockTimeMs < GENESIS_FLOORS.blockTimeMs;

/**
 * The page's trusting period (docs/light-client.md §2.3) from `--trusting-period`: ms (below the
 * unbonding period) or `off`. Without the option: derived from the genesis params (undefined
 * here), except for a devnet: the built-in devnet genesis (its time is fabricated, 2026-01-01) and
 * any genesis with devnet parameters ({@link devnetTrust}) — switched off by name there, with a
 * warning, or no page could start from it after its first seconds.
 * @throws Error for a value that is not `off` or a whole number of ms below the unbonding period
 */
export function lightTrustingPeriod(o: Pick<LightOpts, "trustingPeriod" | "genesis">, params: Parameters<typeof resolveTrustingPeriod>[1]): TrustingPeriod | undefined {
  const v = o.trustingPeriod;
  if (v === undefined) return o.genesis === undefined || devnetTrust(params) ? "off" : undefined;
  if (v !== "off" && !/^[1-9][0-9]{0,15}$/.test(v)) throw new Error(`--trusting-period ${v}: expected a whole number of ms or "off"`);
  try {
    return resolveTrustingPeriod(v === "off" ? "off" : Number(v), params);
  } catch (e) {
    throw new Error(`--trusting-period ${v}: ${(e as Error).message}`);
  }
}

/** What the page bundles, relative to the repository: a file here newer than the build means a rebuild. */
const PAGE_INPUTS = ["wallet/light/page/index.html", "wallet/light/page/style.css", "wallet/light/page/vite.config.ts", "wallet/light/page/src", "wallet/light/src", "consensus/src", "node/api/src", "crypto-wasm/ts", "crypto-wasm/pkg-web"];
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** Newest modification time (ms) of `path` and, for a directory, everything under it. */
function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtimeMs(join(path, name))), st.mtimeMs);
}

/**
 * Whether the built page is missing or older than any of its sources (a `git pull` or an edit
 * since the last build), so `baios light` never serves a page built from older code.
 */
export function lightPageStale(): boolean {
  const built = `${LIGHT_PAGE_DIST}index.html`;
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return PAGE_INPUTS.some((p) => newestMtimeMs(join(REPO, p)) > builtAt);
}

/** Builds the page with Vite into {@link LIGHT_PAGE_DIST} (its vite.config.ts). @throws what Vite throws */
export async function buildLightPage(): Promise<void> {
  const { build } = await import("vite");
  await build({ configFile: join(LIGHT_PAGE_SOURCE, "vite.config.ts"), logLevel: "warn" });
}

/**
 * Starts the page server for `o` (the command's action without the wait).
 * @throws Error for a non-loopback `--host` (the forwarder has no authentication of its own), a bad port, or an unreadable genesis
 */
export async function startLight(o: LightOpts): Promise<LightPageServer> {
  if (!isLoopbackAddress(o.host) && o.host !== "localhost") throw new Error(`--host ${o.host}: the page server forwards to the node with its token and has no authentication of its own; it listens on loopback only (127.0.0.1, ::1, localhost)`);
  const port = Number(o.port);
  const perLevel = Number(o.cascadePerLevel);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port}: expected 0 ..= 65535`);
  if (!Number.isInteger(perLevel) || perLevel < 1 || perLevel > 65535) throw new Error(`--cascade-per-level ${o.cascadePerLevel}: expected 1 ..= 65535`);
  const genesis = await loadGenesis(o.genesis);
  const period = lightTrustingPeriod(o, genesis.params);
  const trust = lightTrustJson({ header: genesis.block.header, validators: genesis.validators, params: genesis.params }, perLevel, period);
  const why = o.genesis === undefined ? " (the built-in devnet genesis has a fabricated time)" : ` (a devnet genesis: its unbonding period is ${Number(genesis.params.unbondingDelay) * genesis.params.blockTimeMs} ms)`;
  if (period === "off") out(`warning: trusting period off${o.trustingPeriod === undefined ? why : ""}: the page follows the genesis validators however old (unsafe outside a devnet or test)`);
  else out(`trusting period: ${period ?? defaultTrustingPeriodMs(genesis.params)} ms${period === undefined ? " (2/3 of the unbonding period)" : ""}`);
  const upstream = rpcClient(o);
  try {
    const s = await upstream.status();
    if (s.genesisHash !== toHex(genesis.hash)) out(`warning: the node at ${rpcUrl(o)} has genesis ${s.genesisHash}, not ${toHex(genesis.hash)} (pass the node's --genesis): the page will reject it`);
  } catch (e) {
    out(`warning: the node at ${rpcUrl(o)} does not answer yet (${(e as Error).message})`);
  }
  if (o.rebuild === true || lightPageStale()) {
    out("building the page (Vite)…");
    await buildLightPage();
  }
  return startLightPageServer({ dir: LIGHT_PAGE_DIST, upstream, trust, host: o.host === "localhost" ? "127.0.0.1" : o.host, port });
}

/** The `baios light` command. */
export function lightCommand(): Command {
  return new Command("light")
    .description("serve the light-client web page on loopback: verifies the node's head, validators, cascade and output proofs in the browser")
    .option("--genesis <file>", "genesis file of the node's chain (default: the built-in devnet genesis)")
    .addOption(new Option("--host <addr>", "listen address (loopback only)").default("127.0.0.1"))
    .addOption(new Option("--port <n>", "listen port (0: any free port)").default("48580"))
    .addOption(new Option("--cascade-per-level <K>", "K of the node's cascade (docs/cascade.md §2)").default("64"))
    .option("--trusting-period <ms|off>", "the page's trusting period, ms below the unbonding period, or off (unsafe: devnets/tests) (default: 2/3 of the genesis's unbonding period; off for a devnet genesis)")
    .option("--rebuild", "rebuild the page with Vite before serving (it is rebuilt anyway when missing or older than its sources)")
    .option("--rpc <url>", "node JSON-RPC URL (env BAIOS_RPC_URL, default: the network's RPC port on 127.0.0.1)")
    .option("--rpc-token-file <file>", "the node's RPC cookie (else env BAIOS_RPC_TOKEN, BAIOS_RPC_TOKEN_FILE, ~/.baios/rpc.cookie)")
    .option("--network <net>", "mainnet | testnet | devnet (env BAIOS_NETWORK, default devnet)")
    .action(async (o: LightOpts) => {
      const server = await startLight(o);
      // the SIGINT/SIGTERM listeners before the line a supervisor waits for (shutdown-signals.ts)
      const stopSignal = shutdownSignal();
      out(`light client page: ${server.url}  (node ${rpcUrl(o)}; Ctrl-C stops)`);
      await stopSignal;
      await server.close();
    });
}
