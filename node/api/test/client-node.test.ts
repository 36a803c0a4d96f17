/**
 * `@baios/api` against a real node (started in process with the node tests' fixture): the
 * browser-safe {@link NodeRpcClient} with a string or a function token, the JSON-RPC error codes
 * it surfaces, HTTP refusals, and the Node entry's `tokenFile` / {@link readRpcCookie}.
 */
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRpcClient, RPC_ERRORS, RpcError } from "../src/index.ts";
import { hexOf } from "../src/hex.ts";
import { NodeRpcClient as FileTokenClient, readRpcCookie } from "../src/node.ts";
import { startNode, type NodeHandle } from "../../src/node.ts";
import { PREMINE_OUTPUTS, testConfig, testGenesis, tmpDir } from "../../test/helpers/fixture.ts";

const rpcErr = (e: unknown): RpcError => {
  expect(e).toBeInstanceOf(RpcError);
  return e as RpcError;
};

describe("hexOf", () => {
  it("is the lowercase hex of the bytes, two characters per byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(hexOf(b)).toBe(Buffer.from(b).toString("hex"));
      }),
    );
    expect(hexOf("AbC0")).toBe("AbC0");
  });
});

describe("@baios/api client against a started node", () => {
  let node: NodeHandle;
  let dir: string;

  beforeAll(async () => {
    dir = tmpDir("baios-api-");
    node = await startNode(testConfig(dir), { genesis: await testGenesis(), manualBlocks: true });
    await node.produceBlock();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("reads status, params, headers, blocks and key images with a string token", async () => {
    const c = new NodeRpcClient(node.rpcUrl, { token: node.rpcToken, timeoutMs: 5000 });
    const s = await c.status();
    expect(s.height).toBe(1);
    expect(s.tipHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await c.getParams()).minRingSize).toBe(11);
    const h = await c.getHeader({ height: 1 });
    expect(h.hash).toBe(s.tipHash);
    expect(await c.getHeader({ hash: h.hash })).toEqual(h);
    const range = await c.getBlocksRange(0, 5);
    expect(range.tip).toBe(1);
    expect(range.blocks.map((b) => b.height)).toEqual([0, 1]);
    expect(range.blocks[0]!.coinbase.outputs).toHaveLength(PREMINE_OUTPUTS);
    const ki = new Uint8Array(32).fill(9);
    const [asBytes, asHex] = await Promise.all([c.isKeyImageSpent([ki]), c.isKeyImageSpent([hexOf(ki)])]);
    expect(asBytes).toEqual({ statuses: ["unspent"], heights: [null] });
    expect(asHex).toEqual(asBytes);
  });

  it("surfaces JSON-RPC error codes and HTTP refusals as RpcError", async () => {
    const c = new NodeRpcClient(node.rpcUrl, { token: () => node.rpcToken as string });
    expect(rpcErr(await c.getHeader({ height: 99 }).catch((e: unknown) => e)).code).toBe(RPC_ERRORS.NOT_FOUND);
    expect(rpcErr(await c.getTx(new Uint8Array(31)).catch((e: unknown) => e)).code).toBe(RPC_ERRORS.INVALID_PARAMS);
    expect(rpcErr(await c.call("no_such_method").catch((e: unknown) => e)).code).toBe(RPC_ERRORS.METHOD_NOT_FOUND);
    const noToken = new NodeRpcClient(node.rpcUrl);
    expect(rpcErr(await noToken.status().catch((e: unknown) => e)).code).toBe(RPC_ERRORS.UNAUTHORIZED);
    const failing = new NodeRpcClient(node.rpcUrl, {
      token: () => {
        throw new Error("no token here");
      },
    });
    const e = rpcErr(await failing.status().catch((x: unknown) => x));
    expect(e.code).toBe(0);
    expect(e.message).toBe("no token here");
  });

  it("the Node entry reads the cookie file before every request", async () => {
    const cookie = join(dir, "rpc.cookie");
    expect(readRpcCookie(cookie)).toBe(node.rpcToken);
    expect((await new FileTokenClient(node.rpcUrl, { tokenFile: cookie }).status()).height).toBe(1);
    const missing = new FileTokenClient(node.rpcUrl, { tokenFile: join(dir, "missing.cookie") });
    const e = rpcErr(await missing.status().catch((x: unknown) => x));
    expect(e.code).toBe(0);
    expect(e.message).toMatch(/cannot read the RPC token file/);
    expect(() => readRpcCookie(join(dir, "missing.cookie"))).toThrow(RpcError);
  });
});
