/**
 * `baios init` and `baios node show-validator` (CometBFT's `init` / `show-validator` as the
 * reference): a node home directory with a commented config, the p2p node key and a validator key.
 *
 * Layout of `<home>` (default `~/.baios`, the node's default data directory):
 * - `config.json`: the node config the node loads by default from `<dataDir>/config.json`.
 *   JSON has no comments, so every option is preceded by a `"_<key>"` string explaining it and a
 *   `"_comment"` header; the node ignores keys starting with `_` (docs/node.md §Configuration).
 * - `p2p/peer.key`: the libp2p Ed25519 identity (0600), as the node creates it (`@baios/p2p`).
 * - `validator.key`: a 32-byte Ed25519 seed as hex (0600), for `--validator --validator-key-file`.
 *
 * The validator's **address** is printed the CometBFT way: the first 20 bytes of
 * SHA-256(public key), upper-case hex. It names the validator to operators; consensus uses the
 * public key.
 * @module
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { sha256 } from "@noble/hashes/sha2.js";
import { NETWORKS, NETWORK_PORTS, p2pListenAddr, type NetworkName } from "@baios/node/ports";
import { bytesToHex, hexToBytes } from "../hex.ts";
import { out } from "./common.ts";

/** Networks `baios init` writes a config for (all of them; the ports are each network's, node/src/ports.ts). */
export const INIT_NETWORKS: readonly NetworkName[] = NETWORKS;

/** A validator's public key (32 bytes, hex) and address (first 20 bytes of SHA-256(public key), upper-case hex). */
export async function validatorIdentity(seedHex: string): Promise<{ publicKey: string; address: string }> {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error("validator key file: expected 32 bytes of lowercase hex");
  const { ed25519PublicKey } = await import("@baios/crypto");
  const pub = ed25519PublicKey(hexToBytes(seedHex));
  return { publicKey: bytesToHex(pub), address: bytesToHex(sha256(pub).subarray(0, 20)).toUpperCase() };
}

/** The commented config `baios init` writes (see the module comment). */
export function initConfig(home: string, network: NetworkName): Record<string, unknown> {
  const ports = NETWORK_PORTS[network];
  return {
    _comment: [
      `BAIOS node config written by \`baios init --network ${network}\`. The node reads <data-dir>/config.json by default.`,
      "Precedence: command-line flags > BAIOS_* environment variables > this file > built-in defaults.",
      "Keys starting with _ are comments. `baios node --help` lists every option with its flag and variable.",
    ],
    _network: "mainnet | testnet | devnet: the network, and with it the default ports (README §Default ports); the wallet's --network must match",
    network,
    _dataDir: "data directory: the chain database (chain/), the RPC cookie, the p2p key (p2p/peer.key)",
    dataDir: home,
    _genesis: network === "devnet" ? "genesis file; null = the built-in devnet genesis" : `the published ${network} genesis file: put it at this path before the first start`,
    genesisPath: network === "devnet" ? null : join(home, "genesis.json"),
    _rpcHost: "JSON-RPC listen host (keep 127.0.0.1 unless a reverse proxy or --restricted-rpc serves the public)",
    rpcHost: "127.0.0.1",
    _rpcPort: `JSON-RPC listen port: the ${network} default (README §Default ports), where \`baios --network ${network} wallet …\` looks by default`,
    rpcPort: ports.rpc,
    _p2pListen: "p2p listen multiaddrs (libp2p TCP); the port other nodes dial",
    p2pListen: [p2pListenAddr(ports.p2p)],
    _bootstrap: "peers to dial at start: <multiaddr>/p2p/<peerId> (each node prints its own as `p2p …`)",
    bootstrap: [],
    _maxPeers: "most p2p connections",
    maxPeers: 50,
    _validator: "produce and sign blocks (needs validatorKeyFile and payout)",
    validator: false,
    _validatorKeyFile: "the validator's Ed25519 seed (hex, 0600); `baios node show-validator` prints its public key and address",
    validatorKeyFile: join(home, "validator.key"),
    _payout: "validator rewards go to this address (a baios1… address, or <viewPublicHex>:<spendPublicHex>); null until you set it",
    payout: null,
    _logLevel: "fatal | error | warn | info | debug | trace | silent",
    logLevel: "info",
  };
}

/** `baios init`: writes `<home>/config.json`, `<home>/p2p/peer.key` and `<home>/validator.key`; refuses to overwrite any of them. */
export function initCommand(): Command {
  return new Command("init")
    .description("create a node home: a commented config.json, the p2p node key and a validator key (like `cometbft init`)")
    .option("--home <dir>", "node home / data directory", join(homedir(), ".baios"))
    .addOption(new Option("--network <net>", "network the config is for: its default ports go into the config").choices(INIT_NETWORKS).env("BAIOS_NETWORK").default("devnet"))
    .action(async (o: { home: string; network: NetworkName }, cmd: Command) => {
      // `baios --network testnet init`: the root's shared option counts when `init --network` / BAIOS_NETWORK did not set it
      const outer = (cmd.parent?.opts() as { network?: string } | undefined)?.network;
      if (cmd.getOptionValueSource("network") === "default" && outer !== undefined) {
        if (!(INIT_NETWORKS as readonly string[]).includes(outer)) throw new Error(`--network must be one of ${INIT_NETWORKS.join(", ")}`);
        o.network = outer as NetworkName;
      }
      const network = o.network;
      const home = resolve(o.home);
      const configPath = join(home, "config.json");
      const keyPath = join(home, "validator.key");
      for (const p of [configPath, keyPath]) if (existsSync(p)) throw new Error(`${p} exists; refusing to overwrite (move it away or pick another --home)`);
      mkdirSync(home, { recursive: true, mode: 0o700 });
      const cfg = initConfig(home, network);
      writeFileSync(configPath, JSON.stringify(cfg, null, 2) + "\n", { mode: 0o600 });
      writeFileSync(keyPath, bytesToHex(randomBytes(32)) + "\n", { mode: 0o600 });
      const { peerIdentity } = await import("@baios/node");
      const peer = await peerIdentity(home);
      const v = await validatorIdentity(readFileSync(keyPath, "utf8").trim());
      out(`home       ${home}`);
      out(`config     ${configPath}   (${network}: JSON-RPC 127.0.0.1:${NETWORK_PORTS[network].rpc}, p2p ${NETWORK_PORTS[network].p2p}; "_…" keys are comments)`);
      out(`node key   ${peer.path}   peer id ${peer.peerId}`);
      out(`validator  ${keyPath}   public key ${v.publicKey}   address ${v.address}`);
      out("");
      out(`start:     baios node --data-dir ${home}`);
      out(`validator: baios node --data-dir ${home} --validator --payout <your baios address>`);
      out(`wallet:    baios --network ${network} wallet balance${home === join(homedir(), ".baios") ? "" : ` --rpc-token-file ${join(home, "rpc.cookie")}`}`);
    });
}

/** `baios node show-validator`: the public key and address of the validator key in `--home` (or `--validator-key-file`). */
export function showValidatorCommand(): Command {
  return new Command("show-validator")
    .description("print the validator's public key and address (from <home>/validator.key)")
    .option("--home <dir>", "node home / data directory", join(homedir(), ".baios"))
    .option("--validator-key-file <file>", "the validator key file (default <home>/validator.key)")
    .option("--json", "print JSON")
    .action(async (o: { home: string; validatorKeyFile?: string; json?: boolean }) => {
      const file = o.validatorKeyFile ?? join(resolve(o.home), "validator.key");
      if (!existsSync(file)) throw new Error(`no validator key at ${file} (run \`baios init\` or pass --validator-key-file)`);
      const v = await validatorIdentity(readFileSync(file, "utf8").trim());
      out(o.json === true ? JSON.stringify(v) : `public key ${v.publicKey}\naddress    ${v.address}`);
    });
}
