// `baios light` (wallet/src/cli/light.ts) against a real node on the built-in devnet genesis (the
// CLI's default trust root): serves the built page, trust.json from the genesis (not from the
// node), and a forwarder that reaches the node with its cookie for read-only methods only;
// refuses a non-loopback listen address and a foreign Host.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeHeader, toHex } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, builtinDevnetGenesis, defaultConfig, startNode, type NodeHandle } from "@baios/node";
import { lightPageStale, lightTrustingPeriod, startLight, type LightOpts } from "../src/cli/light.ts";
import { LIGHT_PAGE_METHODS, forwardLightRpc, type LightPageServer } from "../src/light-page.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { bytesToHex } from "../src/hex.ts";
import { post } from "../../node/test/helpers/http.ts";

describe("baios light", () => {
  let dir: string;
  let node: NodeHandle;
  let server: LightPageServer;
  let opts: LightOpts;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "baios-cli-light-"));
    const payout = Wallet.restore(devnetMnemonic(9), "devnet").state;
    node = await startNode(
      { ...defaultConfig(), dataDir: dir, rpcPort: 0, logLevel: "silent", workers: 0, syncWrites: false, validator: true, validatorKey: bytesToHex(DEVNET_VALIDATOR_SEED), payout: { viewPublic: bytesToHex(payout.viewPublic), spendPublic: bytesToHex(payout.spendPublic) } },
      { genesis: await builtinDevnetGenesis(), manualBlocks: true },
    );
    for (let i = 0; i < 3; i++) await node.produceBlock();
    opts = { rpc: node.rpcUrl, rpcTokenFile: join(dir, "rpc.cookie"), host: "127.0.0.1", port: "0", cascadePerLevel: "64" };
    server = await startLight(opts);
    // startLight built the page if it was missing or older than its sources; now it is current
    expect(lightPageStale()).toBe(false);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("--trusting-period: ms below the unbonding period or off; default derived from a non-devnet genesis file, off for a devnet genesis", () => {
    const params = { unbondingDelay: 20n, blockTimeMs: 1000 };
    expect(lightTrustingPeriod({}, params)).toBe("off");
    // a genesis file with devnet parameters (20 blocks × 1 s: a derived period of 13 s) is off too,
    // or a page could not start from a devnet a few seconds old (CI: the devnet-commands page test)
    expect(lightTrustingPeriod({ genesis: "g.json" }, params)).toBe("off");
    const mainnetLike = { unbondingDelay: 8640n, blockTimeMs: 10_000 };
    expect(lightTrustingPeriod({ genesis: "g.json" }, mainnetLike)).toBeUndefined(); // derived: 16 h
    expect(lightTrustingPeriod({ genesis: "g.json" }, { unbondingDelay: 8639n, blockTimeMs: 10_000 })).toBe("off");
    expect(lightTrustingPeriod({ genesis: "g.json", trustingPeriod: "3600000" }, mainnetLike)).toBe(3_600_000);
    expect(lightTrustingPeriod({ genesis: "g.json", trustingPeriod: "off" }, params)).toBe("off");
    expect(lightTrustingPeriod({ trustingPeriod: "19999" }, params)).toBe(19_999);
    for (const bad of ["20000", "0", "-5", "1e4", "soon"]) expect(() => lightTrustingPeriod({ trustingPeriod: bad }, params), bad).toThrow(/--trusting-period/);
  });

  it("serves the page, the genesis trust root and the read-only forwarder", async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain("BAIOS light client");
    const trust = (await (await fetch(new URL("trust.json", server.url))).json()) as { genesisHeader: string; cascade: { perLevel: number }; chain: unknown; trustingPeriodMs?: unknown };
    expect(trust.genesisHeader).toBe(toHex(encodeHeader((await builtinDevnetGenesis()).block.header)));
    expect(trust.cascade.perLevel).toBe(64);
    // the built-in devnet genesis (fabricated time 2026-01-01): the trusting period is off by name
    expect(trust.chain).toEqual({ unbondingDelay: "20", blockTimeMs: 1000 });
    expect(trust.trustingPeriodMs).toBe("off");
    const rpc = async (method: string, params: Record<string, unknown> = {}): Promise<{ result?: Record<string, unknown>; error?: { code: number } }> =>
      (await fetch(new URL("rpc", server.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json() as Promise<{ result?: Record<string, unknown>; error?: { code: number } }>;
    expect((await rpc("status")).result?.["height"]).toBe(3);
    const update = (await rpc("get_light_update", { from: 0 })).result as { to: number; steps: unknown[] };
    expect(update.to).toBe(3);
    expect(update.steps.length).toBeGreaterThan(0);
    expect((await rpc("submit_tx", { tx: "00" })).error?.code).toBe(-32601);
    expect((await rpc("stop")).error?.code).toBe(-32601);
    // DNS rebinding: a page of another name resolved to 127.0.0.1 (fetch cannot set Host; raw HTTP can)
    const rebinding = await post(new URL("trust.json", server.url).href, "", { host: `attacker.example:${new URL(server.url).port}` }, "GET");
    expect(rebinding.status).toBe(403);
    const own = await post(new URL("trust.json", server.url).href, "", {}, "GET");
    expect(own.status).toBe(200);
    // a cross-origin "simple" POST (text/plain, no preflight) from another page is refused before the forwarder
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "status", params: {} });
    const crossText = await post(new URL("rpc", server.url).href, body, { origin: "http://attacker.example", "content-type": "text/plain" });
    expect([403, 415]).toContain(crossText.status);
    const plain = await post(new URL("rpc", server.url).href, body, { "content-type": "text/plain" });
    expect(plain.status).toBe(415);
  });

  it("listens on loopback only", async () => {
    await expect(startLight({ ...opts, host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
  });

  it("forwards exactly the listed methods: any other name never reaches the node (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom(...LIGHT_PAGE_METHODS, "submit_tx", "submit_unbond", "stop", "get_block")), fc.oneof(fc.integer(), fc.string(), fc.constant(null)), async (method, id) => {
        const called: string[] = [];
        const upstream = { call: async <T>(m: string): Promise<T> => (called.push(m), { ok: m }) as T };
        const r = await forwardLightRpc({ jsonrpc: "2.0", id, method, params: {} }, upstream);
        const listed = (LIGHT_PAGE_METHODS as readonly string[]).includes(method);
        expect(called).toEqual(listed ? [method] : []);
        expect(r.id).toBe(id);
        if (listed) expect(r).toMatchObject({ result: { ok: method } });
        else expect(r).toMatchObject({ error: { code: -32601 } });
      }),
      { numRuns: 300 },
    );
  });
});
