/**
 * Request/response over one libp2p stream per request (docs/p2p.md §Request/response).
 *
 * Requester: `u32be len ‖ request` then half-close. Server: `status u8 ‖ u32be len ‖ body`
 * (status 0 = ok, body = response; 1 = error, body = `CODE message` ≤ 512 bytes), then close.
 * Every length is checked against its cap before the body is read.
 * @module
 */
import type { Libp2p, PeerId as Libp2pPeerId, Stream } from "@libp2p/interface";
import { FrameReader, MAX_ERROR_BYTES, STATUS_ERROR, STATUS_OK, errorBody, frame } from "./frames.ts";
import { P2PError, ProtocolError, type PeerId, type ProtocolSpec } from "./types.ts";

/** How long a server waits for the request and its handler, ms. */
export const SERVER_TIMEOUT_MS = 15_000;

async function write(stream: Stream, bytes: Uint8Array): Promise<void> {
  if (!stream.send(bytes)) await stream.onDrain();
}

/**
 * Registers `spec` under `id` on the node. `penalise(peer, reason)` is called for protocol
 * violations (oversized request) and handler errors with action `REJECT`.
 */
export async function serve(node: Libp2p, id: string, spec: ProtocolSpec, maxStreamsPerConnection: number, penalise: (peer: PeerId, reason: string) => void): Promise<void> {
  await node.handle(
    id,
    async (stream, connection) => {
      const from = connection.remotePeer.toString();
      const timer = setTimeout(() => stream.abort(new Error("request timeout")), SERVER_TIMEOUT_MS);
      try {
        let req: Uint8Array;
        try {
          req = await new FrameReader(stream).frame(spec.maxRequestBytes);
        } catch (e) {
          if (e instanceof P2PError && e.code === "TOO_LARGE") {
            penalise(from, `oversized ${spec.name} request`);
            await write(stream, Uint8Array.of(STATUS_ERROR, ...frame(errorBody("LIMIT_EXCEEDED", e.message))));
            await stream.close();
          } else stream.abort(e as Error);
          return;
        }
        let status = STATUS_OK;
        let body: Uint8Array;
        try {
          body = await spec.handler(req, from);
          if (body.length > spec.maxResponseBytes) [status, body] = [STATUS_ERROR, errorBody("INTERNAL", "response over the protocol's cap")];
        } catch (e) {
          status = STATUS_ERROR;
          if (e instanceof ProtocolError) {
            if (e.action === "REJECT") penalise(from, `bad ${spec.name} request: ${e.code}`);
            body = errorBody(e.code, e.message);
          } else body = errorBody("INTERNAL", "internal error");
        }
        await write(stream, Uint8Array.of(status));
        await write(stream, frame(body));
        await stream.close();
      } catch (e) {
        stream.abort(e as Error);
      } finally {
        clearTimeout(timer);
      }
    },
    { maxInboundStreams: spec.maxInboundStreams ?? 4, maxOutboundStreams: maxStreamsPerConnection },
  );
}

/**
 * Sends one request and reads the answer.
 * @throws P2PError `TIMEOUT`, `NOT_CONNECTED` (dial/negotiation failed), `REMOTE_ERROR` (with
 * `remoteCode`), `BAD_RESPONSE` (malformed or over `maxResponseBytes`)
 */
export async function request(node: Libp2p, peer: Libp2pPeerId, id: string, spec: ProtocolSpec, bytes: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  let stream: Stream;
  try {
    stream = await node.dialProtocol(peer, id, { signal });
  } catch (e) {
    if (signal.aborted) throw new P2PError("TIMEOUT", `${spec.name} to ${peer.toString()}: dial timed out after ${timeoutMs} ms`);
    throw new P2PError("NOT_CONNECTED", `${spec.name} to ${peer.toString()}: ${(e as Error).message}`);
  }
  const onAbort = (): void => stream.abort(new Error("timeout"));
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await write(stream, frame(bytes));
    await stream.close({ signal });
    const reader = new FrameReader(stream);
    const [status] = await reader.bytes(1);
    if (status === STATUS_OK) return await reader.frame(spec.maxResponseBytes);
    if (status !== STATUS_ERROR) throw new P2PError("BAD_RESPONSE", `unknown status byte ${status}`);
    const text = new TextDecoder().decode(await reader.frame(MAX_ERROR_BYTES));
    const sp = text.indexOf(" ");
    const code = sp < 0 ? text : text.slice(0, sp);
    throw new P2PError("REMOTE_ERROR", `${spec.name} to ${peer.toString()}: ${text}`, code);
  } catch (e) {
    if (signal.aborted) throw new P2PError("TIMEOUT", `${spec.name} to ${peer.toString()}: no answer in ${timeoutMs} ms`);
    if (e instanceof P2PError) throw e.code === "TOO_LARGE" ? new P2PError("BAD_RESPONSE", e.message) : e;
    throw new P2PError("BAD_RESPONSE", `${spec.name} to ${peer.toString()}: ${(e as Error).message}`);
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (stream.status === "open") stream.abort(new Error("done"));
  }
}
