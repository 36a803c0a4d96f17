/**
 * Raw HTTP for RPC security tests: `node:http` requests whose every header (Host, Origin,
 * Content-Type, Authorization) the test controls, and a plain TCP socket for what a normal client
 * library hides (pipelining, a 10 MB body, reading the answer after a reset).
 */
import { request } from "node:http";
import { connect } from "node:net";

/** An HTTP answer: status, headers, body text and the body parsed as JSON (undefined when it is not JSON). */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** POSTs `body` to `url` with exactly `headers` (plus Content-Length; Host unless given). */
export function post(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = "POST"): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port, path: u.pathname, method, headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `post` with `Content-Type: application/json`, the host's own Host header and, when given, the bearer token. */
export function rpcPost(url: string, body: unknown, token?: string, extra: Record<string, string> = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
  return post(url, typeof body === "string" ? body : JSON.stringify(body), headers);
}

/**
 * Writes `head` then `body` (in 64 KiB chunks, respecting back-pressure) on a fresh TCP connection
 * and collects what the server sends. Resolves once the body is written and `until(data)` holds,
 * or the connection closes or fails, or `waitMs` passes. `error` is the socket error (e.g.
 * ECONNRESET, EPIPE) if one happened; `written` how many body bytes went out.
 */
export function rawExchange(
  port: number,
  head: string,
  body: Buffer = Buffer.alloc(0),
  until: (data: string) => boolean = () => false,
  waitMs = 10_000,
): Promise<{ data: string; error: string | undefined; written: number }> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    const got: Buffer[] = [];
    let error: string | undefined;
    let done = false;
    let written = 0;
    let allWritten = body.length === 0;
    const text = (): string => Buffer.concat(got).toString("latin1");
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: text(), error, written });
    };
    const check = (): void => {
      if (allWritten && until(text())) finish();
    };
    const timer = setTimeout(finish, waitMs);
    sock.on("data", (c: Buffer) => {
      got.push(c);
      check();
    });
    sock.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      finish();
    });
    sock.on("close", finish);
    sock.on("connect", async () => {
      sock.write(head);
      for (let off = 0; off < body.length && !done; off += 65536) {
        const chunk = body.subarray(off, off + 65536);
        const ok = sock.write(chunk);
        written += chunk.length;
        if (!ok) await new Promise((r) => sock.once("drain", r).once("close", r));
      }
      allWritten = true;
      check();
    });
  });
}

/** True once `data` holds a complete HTTP response (status line, headers, Content-Length bytes of body). */
export function responseComplete(data: string): boolean {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const len = /\r\ncontent-length: *(\d+)/i.exec(data.slice(0, end));
  return len === null || data.length >= end + 4 + Number(len[1]);
}
