/**
 * Peer exchange (docs/p2p.md §Discovery): the request protocol `/baios/<chainIdHex>/req/peers/1`.
 * The request body is empty; the response is UTF-8 JSON `[{ "id": PeerId, "addrs": [multiaddr…] }]`
 * for at most {@link PEX_MAX_PEERS} of the server's connected peers (the requester excluded),
 * with the listen addresses each peer announced through identify. At most 16 KiB.
 * @module
 */
import type { ProtocolSpec } from "./types.ts";

/** Name of the peer-exchange protocol. */
export const PEX_PROTOCOL = "peers";
/** Max peers in one answer. */
export const PEX_MAX_PEERS = 16;
/** Max addresses per peer in one answer. */
export const PEX_MAX_ADDRS = 4;
/** Response cap, bytes. */
export const PEX_MAX_BYTES = 16 * 1024;

/** One entry of a peer-exchange answer. */
export interface PexEntry {
  id: string;
  addrs: string[];
}

/** Builds the protocol spec around a function listing known peers (excluding `from`). */
export function pexProtocol(known: (from: string) => Promise<PexEntry[]>): ProtocolSpec {
  return {
    name: PEX_PROTOCOL,
    maxRequestBytes: 0,
    maxResponseBytes: PEX_MAX_BYTES,
    maxInboundStreams: 2,
    async handler(_bytes, from) {
      const list = (await known(from)).slice(0, PEX_MAX_PEERS).map((p) => ({ id: p.id, addrs: p.addrs.slice(0, PEX_MAX_ADDRS) }));
      let out = new TextEncoder().encode(JSON.stringify(list));
      while (out.length > PEX_MAX_BYTES && list.length > 0) {
        list.pop();
        out = new TextEncoder().encode(JSON.stringify(list));
      }
      return out;
    },
  };
}

/**
 * Parses a peer-exchange answer strictly: an array of `{id: string ≤ 128, addrs: string[] ≤ 4 of ≤ 256}`,
 * at most {@link PEX_MAX_PEERS} entries. Returns undefined on any deviation (the caller penalises).
 */
export function parsePex(bytes: Uint8Array): PexEntry[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length > PEX_MAX_PEERS) return undefined;
  const out: PexEntry[] = [];
  for (const e of v) {
    if (typeof e !== "object" || e === null) return undefined;
    const { id, addrs } = e as Record<string, unknown>;
    if (typeof id !== "string" || id.length > 128 || !Array.isArray(addrs) || addrs.length > PEX_MAX_ADDRS) return undefined;
    if (!addrs.every((a): a is string => typeof a === "string" && a.length <= 256)) return undefined;
    out.push({ id, addrs });
  }
  return out;
}
