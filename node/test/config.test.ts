import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, OPTIONS, defaultConfig, loadConfig, parseCommandLine, parseConfigObject, readValidatorSeed, redactConfig } from "../src/config.ts";
import { NETWORK_PORTS, NETWORKS, defaultP2pListen } from "../src/ports.ts";

const tmp = (): string => mkdtempSync(join(tmpdir(), "baios-cfg-"));
const K = "11".repeat(32);
const V = "22".repeat(32);

describe("config", () => {
  it("defaults", () => {
    const dir = tmp();
    const c = loadConfig({ argv: ["--data-dir", dir] });
    expect(c).toEqual({ ...defaultConfig(), dataDir: dir });
  });

  it("precedence: flags > env > file > base > defaults", () => {
    const dir = tmp();
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ rpcPort: 1, mempoolMaxBytes: 1000, logLevel: "debug", mempoolMaxTxs: 7 }));
    const c = loadConfig({
      argv: ["--config", file, "--rpc-port=3", "--data-dir", dir],
      env: { BAIOS_RPC_PORT: "2", BAIOS_MEMPOOL_MAX_BYTES: "2000" },
      base: { mempoolMaxBytes: 500, mempoolMaxTxs: 1, workers: 1 },
    });
    expect(c.rpcPort).toBe(3);
    expect(c.mempoolMaxBytes).toBe(2000);
    expect(c.logLevel).toBe("debug");
    expect(c.mempoolMaxTxs).toBe(7);
    expect(c.workers).toBe(1);
  });

  it("finds <dataDir>/config.json and BAIOS_CONFIG", () => {
    const dir = tmp();
    writeFileSync(join(dir, "config.json"), JSON.stringify({ rpcPort: 99 }));
    expect(loadConfig({ argv: ["--data-dir", dir] }).rpcPort).toBe(99);
    const other = join(tmp(), "x.json");
    writeFileSync(other, JSON.stringify({ rpcPort: 98 }));
    expect(loadConfig({ env: { BAIOS_CONFIG: other, BAIOS_DATA_DIR: dir } }).rpcPort).toBe(98);
  });

  it("bool flags and payout", () => {
    const dir = tmp();
    const c = loadConfig({ argv: ["--data-dir", dir, "--validator", "--validator-key", K, "--payout", `${K}:${V}`, "--no-empty-blocks", "--no-metrics"] });
    expect(c.validator).toBe(true);
    expect(c.emptyBlocks).toBe(false);
    expect(c.metrics).toBe(false);
    expect(c.payout).toEqual({ viewPublic: K, spendPublic: V });
    expect(Buffer.from(readValidatorSeed(c)).toString("hex")).toBe(K);
    const r = redactConfig(c);
    expect(JSON.stringify(r)).not.toContain(K);
    expect(JSON.stringify(r)).not.toContain(V);
  });

  it("an option never set is not logged as <redacted> (issue 12)", async () => {
    const c = loadConfig({ argv: ["--data-dir", tmp()] });
    const r = redactConfig(c);
    expect("validatorKey" in r).toBe(false);
    expect("payout" in r).toBe(false);
    const { createLogger } = await import("../src/log.ts");
    const lines: string[] = [];
    const log = createLogger("info", { write: (l: string) => void lines.push(l) });
    log.info({ config: r }, "starting node");
    expect(lines.join("")).not.toContain("<redacted>");
  });

  it("validator key file", () => {
    const dir = tmp();
    writeFileSync(join(dir, "key"), `${K}\n`);
    const c = loadConfig({ argv: ["--data-dir", dir, "--validator", "--validator-key-file", join(dir, "key"), "--payout", `${K}:${V}`] });
    expect(readValidatorSeed(c)).toEqual(new Uint8Array(32).fill(0x11));
  });

  it("errors", () => {
    const dir = tmp();
    expect(() => loadConfig({ argv: ["--nope"] })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--rpc-port", "x"] })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--data-dir", dir, "--validator"] })).toThrow(/validator/);
    expect(() => loadConfig({ env: { BAIOS_LOG_LEVEL: "loud" } })).toThrow(ConfigError);
    writeFileSync(join(dir, "bad.json"), "{");
    expect(() => loadConfig({ argv: ["--config", join(dir, "bad.json")] })).toThrow(/invalid JSON/);
    writeFileSync(join(dir, "unk.json"), JSON.stringify({ foo: 1 }));
    expect(() => loadConfig({ argv: ["--config", join(dir, "unk.json")] })).toThrow(/unknown key/);
  });

  it("the block interval is not a node option: it comes from genesis (issue 6)", () => {
    const dir = tmp();
    expect(() => loadConfig({ argv: ["--block-time-ms", "40", "--data-dir", dir] })).toThrow(/genesis file's params.blockTimeMs/);
    writeFileSync(join(dir, "bt.json"), JSON.stringify({ blockTimeMs: 40 }));
    expect(() => loadConfig({ argv: ["--config", join(dir, "bt.json")] })).toThrow(/genesis file's params.blockTimeMs/);
    expect(defaultConfig()).not.toHaveProperty("blockTimeMs");
  });

  it("every option round-trips through flag, env and file (property)", () => {
    const ints = OPTIONS.filter((o) => o.kind === "int" && o.key !== "rpcPort" && o.key !== "metricsPort");
    fc.assert(
      fc.property(fc.constantFrom(...ints), fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom("flag", "env", "file"), (spec, n, src) => {
        const dir = tmp();
        let c;
        if (src === "flag") c = loadConfig({ argv: [`--${spec.flag}`, String(n), "--data-dir", dir] });
        else if (src === "env") c = loadConfig({ env: { [spec.env]: String(n), BAIOS_DATA_DIR: dir } });
        else {
          writeFileSync(join(dir, "config.json"), JSON.stringify({ [spec.key]: n }));
          c = loadConfig({ argv: ["--data-dir", dir] });
        }
        expect(c[spec.key]).toBe(n);
      }),
      { numRuns: 60 },
    );
    // 0 is a valid value for most counts, but not for the worker queue bound (validateConfig)
    expect(() => loadConfig({ argv: ["--worker-queue-max", "0", "--data-dir", tmp()] })).toThrow(/--worker-queue-max \(workerQueueMax\) must be at least 1/);
    expect(() => loadConfig({ argv: ["--prune-depth", "0", "--data-dir", tmp()] })).toThrow(/--prune-depth \(pruneDepth\) must be at least 1/);
  });

  it("parseCommandLine rejects positional arguments, unknown flags (with commander's suggestion) and missing values", () => {
    expect(() => parseCommandLine(["x"])).toThrow(/unexpected argument "x"/);
    expect(() => parseCommandLine(["--rpc-prot", "1"])).toThrow(/^unknown flag --rpc-prot\n\(Did you mean --rpc-port\?\)$/);
    expect(() => parseCommandLine(["--rpc-port"])).toThrow(/^--rpc-port needs a value$/);
    expect(() => parseCommandLine(["--rpc-port", "abc"])).toThrow(/^flag --rpc-port: expected a non-negative integer$/);
    expect(() => parseCommandLine([], { BAIOS_RPC_PORT: "abc" })).toThrow(/^env BAIOS_RPC_PORT: expected a non-negative integer$/);
  });

  it("switches: --x, --x=false, --no-x, and BAIOS_X=false|0|no really mean false (commander's env for a switch alone would mean true)", () => {
    const d = tmp();
    expect(loadConfig({ argv: ["--data-dir", d], env: { BAIOS_METRICS: "false", BAIOS_SYNC_WRITES: "0", BAIOS_EMPTY_BLOCKS: "no" } })).toMatchObject({ metrics: false, syncWrites: false, emptyBlocks: false });
    expect(loadConfig({ argv: ["--data-dir", d, "--metrics=false", "--no-sync-writes", "--restricted-rpc"], env: { BAIOS_METRICS: "true" } })).toMatchObject({ metrics: false, syncWrites: false, restrictedRpc: true });
    expect(() => loadConfig({ env: { BAIOS_METRICS: "maybe" } })).toThrow(/^env BAIOS_METRICS: expected true or false$/);
    // the process environment is restored after parsing
    expect(process.env["BAIOS_METRICS"]).toBeUndefined();
  });

  it("the config file is checked by the valibot schema of the table: key and reason named, _comments and nulls skipped", () => {
    const where = "config file f.json";
    expect(parseConfigObject({ _comment: ["x"], _rpcPort: "c", rpcPort: 7, payout: null, genesisPath: null, bootstrap: [], logLevel: "warn" }, where)).toEqual({ rpcPort: 7, bootstrap: [], logLevel: "warn" });
    expect(() => parseConfigObject({ rpcPort: "x" }, where)).toThrow(/^config file f\.json: rpcPort: expected a non-negative integer$/);
    expect(() => parseConfigObject({ rpcPort: -1 }, where)).toThrow(/rpcPort: expected a non-negative integer/);
    expect(() => parseConfigObject({ validator: "perhaps" }, where)).toThrow(/validator: expected true or false/);
    expect(() => parseConfigObject({ rpcPorts: 1 }, where)).toThrow(/^config file f\.json: unknown key "rpcPorts"$/);
    expect(() => parseConfigObject({ network: "moon" }, where)).toThrow(/network: expected one of mainnet\|testnet\|devnet/);
    expect(() => parseConfigObject([], where)).toThrow(/expected a JSON object/);
    expect(parseConfigObject({ payout: { viewPublic: K, spendPublic: V } })).toEqual({ payout: { viewPublic: K, spendPublic: V } });
    expect(parseConfigObject({ payout: `${K}:${V}` })).toEqual({ payout: { viewPublic: K, spendPublic: V } });
    expect(() => parseConfigObject({ payout: { viewPublic: K } })).toThrow(/payout: /);
    // a baios… address needs the caller's decoder (the wallet CLI); its error is passed through
    expect(() => parseConfigObject({ payout: "baios1xyz" })).toThrow(/payout: a baios… address is read by the baios CLI/);
    const decodeAddress = (t: string) => (t === "baios1good" ? { viewPublic: K, spendPublic: V } : (() => { throw new Error("bad checksum"); })());
    expect(parseConfigObject({ payout: "baios1good" }, where, { decodeAddress })).toEqual({ payout: { viewPublic: K, spendPublic: V } });
    expect(() => parseConfigObject({ payout: "baios1bad" }, where, { decodeAddress })).toThrow(/payout: bad checksum$/);
    expect(loadConfig({ argv: ["--data-dir", tmp(), "--payout", "baios1good"], decodeAddress }).payout).toEqual({ viewPublic: K, spendPublic: V });
  });

  it("--network picks the default RPC port (flag > env > file > devnet); an explicit port wins; base may depend on the network", () => {
    for (const n of NETWORKS) {
      const extra = n === "devnet" ? [] : ["--genesis", "/g.json"];
      expect(loadConfig({ argv: ["--data-dir", tmp(), "--network", n, ...extra] }).rpcPort).toBe(NETWORK_PORTS[n].rpc);
      expect(loadConfig({ argv: ["--data-dir", tmp(), ...extra], env: { BAIOS_NETWORK: n } }).rpcPort).toBe(NETWORK_PORTS[n].rpc);
      const d = tmp();
      writeFileSync(join(d, "config.json"), JSON.stringify({ network: n, genesisPath: "/g.json" }));
      const c = loadConfig({ argv: ["--data-dir", d], base: (net) => ({ p2pListen: defaultP2pListen(net) }) });
      expect([c.network, c.rpcPort, c.p2pListen]).toEqual([n, NETWORK_PORTS[n].rpc, [`/ip4/0.0.0.0/tcp/${NETWORK_PORTS[n].p2p}`]]);
    }
    expect(defaultConfig().network).toBe("devnet");
    expect(defaultConfig().rpcPort).toBe(48545);
    expect(loadConfig({ argv: ["--data-dir", tmp(), "--network", "testnet", "--genesis", "/g", "--rpc-port", "5"], env: { BAIOS_NETWORK: "mainnet" } })).toMatchObject({ network: "testnet", rpcPort: 5 });
    // off the devnet the built-in (devnet) genesis is refused
    expect(() => loadConfig({ argv: ["--data-dir", tmp(), "--network", "mainnet"] })).toThrow(/^--network mainnet needs --genesis <file>/);
    expect(() => loadConfig({ argv: ["--network", "moon"] })).toThrow(/^flag --network: expected one of mainnet\|testnet\|devnet$/);
  });
});
