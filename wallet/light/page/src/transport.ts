/**
 * The page's way to the node: JSON-RPC 2.0 over `fetch` to `./rpc`, the same-origin forwarder of
 * `baios light` (wallet/src/light-page.ts), which adds the node's credentials and passes only
 * read-only methods. Satisfies the light client's `LightTransport`; keeps the last
 * `get_light_update` answer so the page can show who signed the head's certificate (after the
 * client verified it).
 * @module
 */
import type { LightTransport, LightUpdateResult } from "@baios/light-client";

/** The node (or the forwarder) answered with a JSON-RPC error, or could not be reached (`code` 0). */
export class NodeCallError extends Error {
  override name = "NodeCallError";
  readonly code: number;
  readonly method: string;
  constructor(method: string, code: number, message: string) {
    super(message);
    this.code = code;
    this.method = method;
  }
}

/** JSON-RPC over `fetch` (module doc). */
export class PageTransport implements LightTransport {
  readonly url: string;
  /** The last `get_light_update` result, as received (unverified until the client accepted it). */
  lastUpdate: LightUpdateResult | undefined;
  /** The last result of every method, as received (unverified). */
  readonly last = new Map<string, unknown>();
  #id = 0;

  constructor(url = "./rpc") {
    this.url = url;
  }

  /** @throws NodeCallError */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params }) });
    } catch (e) {
      throw new NodeCallError(method, 0, `cannot reach ${this.url}: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => undefined)) as { result?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    if (body?.error !== undefined) throw new NodeCallError(method, typeof body.error.code === "number" ? body.error.code : 0, String(body.error.message));
    if (!res.ok || body === undefined || !("result" in body)) throw new NodeCallError(method, 0, `HTTP ${res.status} from ${this.url}`);
    if (method === "get_light_update") this.lastUpdate = body.result as LightUpdateResult;
    this.last.set(method, body.result);
    return body.result as T;
  }
}
