// The light-client web page (wallet/light/page) in real headless Chromium against a real node:
// an in-process validator (real LevelDB, real HTTP JSON-RPC with its cookie token) whose chain has
// a premine spend (block 5) and two bonds that change the validator set (epochs end at 7 and 15).
// The page is bundled by Vite and served by the harness (@baios/crypto/testing/browser) behind the
// same routes `baios light` serves (wallet/src/light-page.ts: trust.json + the read-only RPC
// forwarder). It must verify the head from genesis, show validators and the cascade, and verify a
// real output's MMR proof in the browser; a tampered proof, a forged certificate and a header from
// a fork, injected between the forwarder and the node, are each rejected with a clear message.
// A page selects the injection with `?case=…` (read from the Referer of its RPC requests).
// Takes a screenshot; `BAIOS_UPDATE_SCREENSHOT=1` writes it to docs/img/light-client.png (the README's).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { h32 } from "@baios/crypto";
import { blockHash, decodeCertificate, decodeHeader, encodeCertificate, encodeHeader, fromHex, signVote, toHex } from "@baios/consensus";
import { openInBrowser, type BrowserSession } from "@baios/crypto/testing/browser";
import { startNode, type NodeHandle } from "../../../node/src/node.ts";
import { fastSyncGenesis } from "../../../node/test/helpers/fast-sync-genesis.ts";
import { bondTx } from "../../../node/test/helpers/bond.ts";
import { VALIDATOR_SEED, buildTx, testConfig } from "../../../node/test/helpers/fixture.ts";
import type { NodeGenesis } from "../../../node/src/genesis.ts";
import { LIGHT_PAGE_METHODS, lightPageRoutes, lightTrustJson, type LightUpstream } from "../../src/light-page.ts";
import type { LightUpdateResult } from "../src/wire.ts";

const PAGE_ROOT = fileURLToPath(new URL("../page/", import.meta.url));
const SCREENSHOT = fileURLToPath(new URL("../../../docs/img/light-client.png", import.meta.url));
/** K of the test node's cascade: small, so a 24-block chain fills several levels. */
const PER_LEVEL = 4;
const ATTACKER_SEED = h32("BAIOS/v1/test/attacker", new Uint8Array(0));

/** The three injections, between the forwarder and the node. */
type Case = "tamper-proof" | "forge-cert" | "fork";

/** A node client that rewrites one kind of answer. */
function tampering(inner: LightUpstream, c: Case, chainId: number): LightUpstream {
  return {
    async call<T>(method: string, params?: Record<string, unknown>): Promise<T> {
      const r = await inner.call<Record<string, unknown>>(method, params);
      if (c === "tamper-proof" && method === "get_mmr_proof") {
        const p = fromHex(r["proof"] as string);
        p[p.length - 1]! ^= 0x01; // the last hash of the proof (a sibling or another peak)
        return { ...r, proof: toHex(p) } as T;
      }
      if (method !== "get_light_update" || c === "tamper-proof") return r as T;
      const u = r as unknown as LightUpdateResult;
      if (c === "forge-cert") {
        // every certificate re-signed by a key outside the validator set: valid Ed25519, wrong signers
        const steps = u.steps.map((s) => {
          const cert = decodeCertificate(fromHex(s.certificate));
          const v = signVote(ATTACKER_SEED, "precommit", chainId, cert.height, cert.round, cert.blockHash);
          return { ...s, certificate: toHex(encodeCertificate({ ...cert, votes: [{ validator: v.validator, signature: v.signature }] })) };
        });
        return { ...u, steps } as T;
      }
      // fork: the head replaced by another header at its height whose headerRoot commits to another
      // history, certified by the real validator key (an equivocating validator)
      const last = u.steps[u.steps.length - 1];
      if (last === undefined) return r as T;
      const h = decodeHeader(fromHex(last.header));
      const fork = { ...h, timeMs: h.timeMs + 1n, headerRoot: h32("BAIOS/v1/test/fork", h.headerRoot) };
      const cert = decodeCertificate(fromHex(last.certificate));
      const hash = blockHash(fork);
      const v = signVote(VALIDATOR_SEED, "precommit", chainId, fork.height, cert.round, hash);
      const forged = { ...last, header: toHex(encodeHeader(fork)), certificate: toHex(encodeCertificate({ height: fork.height, round: cert.round, blockHash: hash, votes: [{ validator: v.validator, signature: v.signature }] })) };
      return { ...u, steps: [...u.steps.slice(0, -1), forged] } as T;
    },
  };
}

/** Opens `path` of the served page in a fresh context (empty localStorage) and records its errors. */
async function openPage(session: BrowserSession, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
  page.on("pageerror", (e) => void errors.push(`pageerror: ${e.message}`));
  await page.goto(session.url + path, { waitUntil: "load" });
  return { page, errors };
}

/** Waits until the page has finished its first verification (verified, rejected or error). */
async function settled(page: Page): Promise<string> {
  await page.waitForFunction('["verified", "rejected", "error"].includes(document.body.dataset.state)', undefined, { timeout: 20_000 });
  return page.evaluate<string>("document.body.dataset.state");
}

/** Types `globalIndex` into the output box, submits, waits for the verdict. */
async function proveOutput(page: Page, globalIndex: number): Promise<{ state: string; code: string; text: string }> {
  await page.fill("#output-ref", String(globalIndex));
  await page.click("#prove");
  await page.waitForFunction('["ok", "rejected", "error"].includes(document.getElementById("proof-result").dataset.state)', undefined, { timeout: 10_000 });
  return page.evaluate<{ state: string; code: string; text: string }>('(() => { const r = document.getElementById("proof-result"); return { state: r.dataset.state ?? "", code: r.dataset.code ?? "", text: r.textContent ?? "" }; })()');
}

describe("light-client web page in headless Chromium against a real node", () => {
  let dir: string;
  let node: NodeHandle;
  let genesis: NodeGenesis;
  let session: BrowserSession;
  let realOutput: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "baios-light-page-"));
    genesis = await fastSyncGenesis();
    node = await startNode(testConfig(join(dir, "node")), { genesis, manualBlocks: true, cascadePerLevel: PER_LEVEL });
    let txid = "";
    for (let i = 1; i <= 24; i++) {
      if (i === 3) await node.submitTx(bondTx(genesis, 20, 5n, VALIDATOR_SEED));
      else if (i === 11) await node.submitTx(bondTx(genesis, 21, 7n, VALIDATOR_SEED));
      else if (i === 5) txid = toHex(await node.submitTx(buildTx(genesis, 2).bytes));
      await node.produceBlock();
    }
    const tx = await node.client.call<{ height: number; tx: { outputs: { globalIndex: number }[] } }>("get_tx", { txid });
    expect(tx.height).toBe(5);
    realOutput = tx.tx.outputs[0]!.globalIndex;

    // the test genesis has the fabricated time 2026-01-01 (devnetGenesis) and a 3 × 1 000 ms
    // unbonding period: the page opts out of the trusting period by name; `?case=strict` serves the
    // default (derived from the params) to show that it refuses this genesis
    const trust = lightTrustJson({ header: genesis.block.header, validators: genesis.validators, params: genesis.params }, PER_LEVEL, "off");
    const real = lightPageRoutes({ upstream: node.client, trust });
    const strict = lightPageRoutes({ upstream: node.client, trust: lightTrustJson({ header: genesis.block.header, validators: genesis.validators, params: genesis.params }, PER_LEVEL) });
    const injected = Object.fromEntries((["tamper-proof", "forge-cert", "fork"] as const).map((c) => [c, lightPageRoutes({ upstream: tampering(node.client, c, genesis.params.chainId), trust })]));
    session = await openInBrowser({
      root: PAGE_ROOT,
      routes: (req, res) => {
        const c = /[?&]case=([a-z-]+)/.exec(req.headers.referer ?? "")?.[1];
        return (c === "strict" ? strict : c !== undefined ? injected[c] : undefined)?.(req, res) ?? real(req, res);
      },
      beforeLoad: (page) => page.setViewportSize({ width: 1280, height: 760 }),
    });
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads, verifies the head from genesis across both set changes, shows validators and the cascade, and verifies a real output's proof", async () => {
    const page = session.page;
    expect(await settled(page)).toBe("verified");
    expect(await page.evaluate<string>("document.body.dataset.height")).toBe(String(node.chain.tip.height));
    const head = await page.textContent("#head-kv");
    expect(head).toContain(toHex(node.chain.tipHash));
    expect(head).toContain("2 set changes followed");
    expect(head).toMatch(/age\d+ (ms|s|min \d+ s) old · trusting period off \(unsafe: devnet or test only\)/);
    expect(head).toMatch(/precommits of 1 validator, .* \(100\.0 %, > 2\/3 needed\)/);
    // the verified set: the validator with 1 + 5 + 7 stake after both bonds
    expect(await page.textContent("#validators tbody")).toContain("13");
    expect(await page.textContent("#cascade-tag")).toBe("verified");
    expect(await page.locator("#levels .lv:not(.empty)").count()).toBeGreaterThan(1);

    const ok = await proveOutput(page, realOutput);
    expect(ok.state, ok.text).toBe("ok");
    expect(ok.text).toContain(`Verified: output ${realOutput} is in the verified chain`);
    expect(await page.textContent("#proof-kv")).toMatch(/verify time\d+\.\d{3} ms/);
    // an index above the verified head's outputs is refused before any proof is asked for
    const above = await proveOutput(page, Number(node.chain.tip.outputs) + 5);
    expect(above).toMatchObject({ state: "rejected", code: "NOT_VERIFIED" });
    await proveOutput(page, realOutput);

    // the README's picture: written to docs/img only with BAIOS_UPDATE_SCREENSHOT=1 (hashes and times change every run)
    const shot = process.env["BAIOS_UPDATE_SCREENSHOT"] === "1" ? SCREENSHOT : join(dir, "light-client.png");
    mkdirSync(join(shot, ".."), { recursive: true });
    const png = await page.screenshot({ path: shot, fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1280); // IHDR width: the full layout was rendered
    expect(session.errors).toEqual([]);
    const wasm = session.responses.filter((r) => r.url.endsWith(".wasm"));
    expect(wasm.map((r) => [r.status, r.contentType])).toEqual([[200, "application/wasm"]]);
  });

  it("with the trusting period derived from the chain params (the default), the old genesis is refused as TRUST_EXPIRED and its age shown", async () => {
    const { page, errors } = await openPage(session, "?case=strict");
    expect(await settled(page)).toBe("rejected");
    expect(await page.evaluate<string>("document.body.dataset.code")).toBe("TRUST_EXPIRED");
    expect(await page.textContent("#banner")).toContain("Rejected: the trusted checkpoint is older than the trusting period");
    expect(await page.textContent("#head-kv")).toMatch(/age\d+ d \d+ h old · trusting period 2 s — expired/);
    expect(await page.textContent("#head-height")).toBe("#0");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("rejects a tampered MMR proof of the same output", async () => {
    const { page, errors } = await openPage(session, "?case=tamper-proof");
    expect(await settled(page)).toBe("verified");
    const r = await proveOutput(page, realOutput);
    expect(r).toMatchObject({ state: "rejected", code: "BAD_INCLUSION_PROOF" });
    expect(r.text).toContain("Rejected: the proof does not verify");
    expect(r.text).toContain("the MMR inclusion proof does not verify against outputRoot");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("rejects a forged finality certificate and keeps the genesis as the verified head", async () => {
    const { page, errors } = await openPage(session, "?case=forge-cert");
    expect(await settled(page)).toBe("rejected");
    expect(await page.evaluate<string>("document.body.dataset.code")).toBe("BAD_CERTIFICATE");
    const banner = await page.textContent("#banner");
    expect(banner).toContain("Rejected: forged finality certificate");
    expect(banner).toMatch(/BAD_CERTIFICATE: block \d+:/);
    expect(await page.textContent("#head-height")).toBe("#0");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("rejects a certified header from a fork", async () => {
    const { page, errors } = await openPage(session, "?case=fork");
    expect(await settled(page)).toBe("rejected");
    expect(await page.evaluate<string>("document.body.dataset.code")).toBe("FORK");
    const banner = await page.textContent("#banner");
    expect(banner).toContain("Rejected: header from a fork");
    expect(banner).toContain(`FORK: block ${node.chain.tip.height}: its headerRoot does not commit to the verified block`);
    expect(await page.textContent("#head-tag")).toBe("rejected");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the forwarder passes only the light client's read-only methods, and only same-origin", async () => {
    const rpc = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(new URL("rpc", session.url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const ok = (await (await rpc({ jsonrpc: "2.0", id: 1, method: "status" })).json()) as { result: { height: number } };
    expect(ok.result.height).toBe(node.chain.tip.height);
    const refused = (await (await rpc({ jsonrpc: "2.0", id: 2, method: "submit_tx", params: { tx: "00" } })).json()) as { error: { code: number; message: string } };
    expect(refused.error.code).toBe(-32601);
    expect(refused.error.message).toContain("not forwarded");
    expect(LIGHT_PAGE_METHODS).not.toContain("submit_tx");
    const foreign = await rpc({ jsonrpc: "2.0", id: 3, method: "status" }, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    const own = await rpc({ jsonrpc: "2.0", id: 4, method: "status" }, { origin: session.url.replace(/\/$/, "") });
    expect(own.status).toBe(200);
  });
});
