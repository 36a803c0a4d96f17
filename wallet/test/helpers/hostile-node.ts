/**
 * A real devnet node (in-process, real HTTP JSON-RPC, manual block production) behind a
 * tampering JSON-RPC proxy: tests make the proxy rewrite chosen answers, the way a malicious
 * node would, and check what the wallet does with them.
 */
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { NodeRpcClient, type NodeHandle } from "@baios/node";
import { BAI, startWalletTestNode } from "./devnode.ts";

export { BAI };

/** Rewrites the result of `method` (return it changed, or a new value). */
export type Tamper = (method: string, params: Record<string, unknown>, result: unknown) => unknown;

export interface HostileNode {
  node: NodeHandle;
  /** Talks through the proxy (honest while `tamper` is undefined). */
  client: NodeRpcClient;
  proxyUrl: string;
  /** The tampering in force (undefined: pass through). */
  tamper: Tamper | undefined;
  dir: string;
  stop(): Promise<void>;
}

/** Authorization header for the node's RPC cookie, when the node writes one. */
function authHeaders(dir: string): Record<string, string> {
  const cookie = join(dir, "rpc.cookie");
  return existsSync(cookie) ? { authorization: `Bearer ${readFileSync(cookie, "utf8").trim()}` } : {};
}

/** Starts a devnet node whose premine pays `premineTo` (12 × 1000 BAI to devnet wallet 0 by default), 3 blocks produced, and the proxy. */
export async function startHostileNode(): Promise<HostileNode> {
  const dir = mkdtempSync(join(tmpdir(), "baios-hostile-"));
  const node = await startWalletTestNode({ dataDir: dir, premineOutputs: 12, premineAmount: 1000n * BAI });
  for (let i = 0; i < 3; i++) await node.produceBlock();

  const h = { tamper: undefined as Tamper | undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const up = await fetch(node.rpcUrl, { method: "POST", headers: { "content-type": "application/json", ...authHeaders(dir) }, body });
        const text = await up.text();
        let out = text;
        const t = h.tamper;
        if (t !== undefined && up.status === 200) {
          const reqJson = JSON.parse(body) as { method: string; params?: Record<string, unknown> };
          const resJson = JSON.parse(text) as { result?: unknown };
          if (resJson.result !== undefined) {
            resJson.result = t(reqJson.method, reqJson.params ?? {}, resJson.result);
            out = JSON.stringify(resJson);
          }
        }
        res.writeHead(up.status, { "content-type": "application/json" });
        res.end(out);
      })().catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hn: HostileNode = {
    node,
    client: new NodeRpcClient(proxyUrl),
    proxyUrl,
    get tamper() {
      return h.tamper;
    },
    set tamper(t) {
      h.tamper = t;
    },
    dir,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return hn;
}
