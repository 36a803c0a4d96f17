/**
 * {@link createP2P}: the libp2p implementation of {@link P2P} (docs/p2p.md).
 * TCP + noise + yamux; gossipsub (StrictNoSign, message id = SHA-256 of the payload) with each
 * topic's validator hooked as gossipsub's topic validator; identify; peer exchange; the score
 * table of ./scores.ts fed to gossipsub as the app-specific score, and a connection gater that
 * refuses banned peers, a 3rd connection from one peer and too many connections from one IP.
 * @module
 */
import { createHash } from "node:crypto";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { privateKeyFromProtobuf } from "@libp2p/crypto/keys";
import { gossipsub, TopicValidatorResult, type GossipSub } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import type { Connection, Libp2p, PrivateKey } from "@libp2p/interface";
import { peerIdFromPrivateKey, peerIdFromString } from "@libp2p/peer-id";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { Emitter } from "./emitter.ts";
import { loadOrCreatePeerKey } from "./peer-key.ts";
import { PEX_PROTOCOL, parsePex, pexProtocol, type PexEntry } from "./pex.ts";
import { request, serve } from "./reqresp.ts";
import { Scores } from "./scores.ts";
import { P2PError, protocolId, splitVerdict, topicId, type BanInfo, type P2P, type P2PEvents, type P2POptions, type PeerId, type PeerInfo, type ProtocolSpec, type RequestOptions, type TopicSpec, type Verdict } from "./types.ts";

/** Resolved transport limits (defaults documented in docs/p2p.md §Limits). */
interface Limits {
  maxConnections: number;
  maxConnectionsPerIp: number;
  maxConnectionsPerPeer: number;
  maxStreamsPerConnection: number;
}

/** How often peer exchange and bootstrap re-dials run, ms. */
const MAINTAIN_MS = 5_000;
/** Gossipsub RPC frames carry one message plus framing; cap = largest topic cap + this. */
const RPC_OVERHEAD = 4096;

const VERDICT: Record<Verdict, TopicValidatorResult> = { ACCEPT: TopicValidatorResult.Accept, IGNORE: TopicValidatorResult.Ignore, REJECT: TopicValidatorResult.Reject };

/**
 * Creates (does not start) a libp2p node. The key comes from `opts.privateKey`, else
 * `<dataDir>/p2p/peer.key` (created on first start, 0600).
 * @throws Error if neither `dataDir` nor `privateKey` is given, or the key file is corrupt
 */
export async function createP2P(opts: P2POptions): Promise<P2P> {
  let key: PrivateKey;
  if (opts.privateKey !== undefined) key = privateKeyFromProtobuf(opts.privateKey);
  else if (opts.dataDir !== undefined) key = await loadOrCreatePeerKey(opts.dataDir);
  else throw new Error("createP2P: give dataDir or privateKey");
  return new Libp2pP2P(opts, key);
}

function ipOf(addr: string): string {
  const m = /^\/ip[46]\/([^/]+)/.exec(addr);
  return m?.[1] ?? addr;
}

class Libp2pP2P implements P2P {
  readonly peerId: PeerId;
  readonly #opts: P2POptions;
  readonly #key: PrivateKey;
  readonly #limits: Limits;
  readonly #scores: Scores;
  readonly #topics = new Map<string, TopicSpec>();
  readonly #protocols = new Map<string, ProtocolSpec>();
  readonly #events = new Emitter<P2PEvents>();
  #node: Libp2p<{ pubsub: GossipSub }> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #maintaining = false;

  constructor(opts: P2POptions, key: PrivateKey) {
    this.#opts = opts;
    this.#key = key;
    const l = opts.limits ?? {};
    this.#limits = {
      maxConnections: l.maxConnections ?? 64,
      maxConnectionsPerIp: l.maxConnectionsPerIp ?? 16,
      maxConnectionsPerPeer: 2,
      maxStreamsPerConnection: l.maxStreamsPerConnection ?? 64,
    };
    this.#scores = new Scores(l);
    this.peerId = peerIdFromPrivateKey(key).toString();
    this.registerProtocol(pexProtocol(async (from) => this.#known(from)));
  }

  registerTopic(spec: TopicSpec): void {
    if (this.#node !== undefined) throw new P2PError("NOT_STARTED", "register topics before start()");
    if (!/^[a-z0-9-]+$/.test(spec.name)) throw new RangeError(`bad topic name ${spec.name}`);
    this.#topics.set(spec.name, spec);
  }
  registerProtocol(spec: ProtocolSpec): void {
    if (this.#node !== undefined) throw new P2PError("NOT_STARTED", "register protocols before start()");
    if (spec.name === PEX_PROTOCOL && this.#protocols.has(PEX_PROTOCOL)) throw new RangeError(`protocol name ${PEX_PROTOCOL} is reserved (peer exchange)`);
    if (!/^[a-z0-9-]+$/.test(spec.name)) throw new RangeError(`bad protocol name ${spec.name}`);
    this.#protocols.set(spec.name, spec);
  }

  #gater() {
    const denyPeer = (id: { toString(): string }): boolean => this.#scores.banned(id.toString());
    const tooManyForPeer = (id: { toString(): string }): boolean => (this.#node?.getConnections(peerIdFromString(id.toString())).length ?? 0) >= this.#limits.maxConnectionsPerPeer;
    return {
      denyDialPeer: denyPeer,
      denyInboundConnection: (maConn: { remoteAddr: { toString(): string } }) => {
        const ip = ipOf(maConn.remoteAddr.toString());
        const n = (this.#node?.getConnections() ?? []).filter((c) => ipOf(c.remoteAddr.toString()) === ip).length;
        return n >= this.#limits.maxConnectionsPerIp;
      },
      denyInboundEncryptedConnection: (id: { toString(): string }) => denyPeer(id) || tooManyForPeer(id),
      denyOutboundEncryptedConnection: (id: { toString(): string }) => denyPeer(id) || tooManyForPeer(id),
    };
  }

  async start(): Promise<void> {
    if (this.#node !== undefined) return;
    const chainId = this.#opts.chainId;
    const maxTopic = Math.max(1024, ...[...this.#topics.values()].map((t) => t.maxBytes));
    const L = this.#limits;
    const node = await createLibp2p({
      privateKey: this.#key,
      addresses: { listen: this.#opts.listen },
      transports: [tcp({ maxConnections: L.maxConnections + 16, inboundSocketInactivityTimeout: 120_000, outboundSocketInactivityTimeout: 120_000 })],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux({ maxInboundStreams: L.maxStreamsPerConnection, maxOutboundStreams: L.maxStreamsPerConnection, maxEarlyStreams: 10 })],
      connectionGater: this.#gater(),
      connectionManager: { maxConnections: L.maxConnections, maxIncomingPendingConnections: 16, inboundConnectionThreshold: 20, inboundUpgradeTimeout: 10_000, dialTimeout: 10_000 },
      services: {
        identify: identify({ maxInboundStreams: 2, maxOutboundStreams: 2 }),
        pubsub: gossipsub({
          globalSignaturePolicy: "StrictNoSign",
          msgIdFn: (m) => createHash("sha256").update(m.topic).update(m.data).digest(),
          allowPublishToZeroTopicPeers: true,
          ignoreDuplicatePublishError: true,
          emitSelf: false,
          floodPublish: true,
          doPX: false,
          maxInboundDataLength: maxTopic + RPC_OVERHEAD,
          // a peer that does not read its gossip costs at most two of the largest messages
          maxOutboundBufferSize: 2 * (maxTopic + RPC_OVERHEAD),
          maxInboundStreams: 2,
          maxOutboundStreams: 2,
          allowedTopics: [...this.#topics.values()].map((t) => topicId(chainId, t.name, t.version)),
          scoreParams: { appSpecificScore: (p: string) => this.#scores.get(p), appSpecificWeight: 1 },
          scoreThresholds: { gossipThreshold: -50, publishThreshold: -75, graylistThreshold: -90, acceptPXThreshold: 10, opportunisticGraftThreshold: 5 },
        }),
      },
    });
    this.#node = node as unknown as Libp2p<{ pubsub: GossipSub }>;
    const ps = this.#node.services.pubsub;
    for (const spec of this.#topics.values()) {
      const id = topicId(chainId, spec.name, spec.version);
      ps.topicValidators.set(id, async (peer, msg) => {
        const from = peer.toString();
        if (msg.data.length > spec.maxBytes) {
          this.reportPeer(from, "REJECT", `oversized ${spec.name} message (${msg.data.length} > ${spec.maxBytes})`);
          return TopicValidatorResult.Reject;
        }
        let v: Verdict;
        let reason: string | undefined;
        try {
          ({ verdict: v, reason } = splitVerdict(await spec.validate(msg.data, from)));
        } catch {
          v = "IGNORE";
        }
        if (v === "REJECT") this.reportPeer(from, "REJECT", `invalid ${spec.name} message${reason === undefined ? "" : `: ${reason}`}`);
        return VERDICT[v];
      });
      ps.subscribe(id);
    }
    for (const spec of this.#protocols.values()) {
      await serve(node, protocolId(chainId, spec.name, spec.version), spec, L.maxStreamsPerConnection, (p, r) => this.reportPeer(p, "REJECT", r));
    }
    node.addEventListener("peer:connect", (e) => {
      const info = this.#info(e.detail.toString());
      if (info !== undefined) this.#events.emit("peer:connect", info);
    });
    node.addEventListener("peer:disconnect", (e) => this.#events.emit("peer:disconnect", { id: e.detail.toString() }));
    await node.start();
    this.#timer = setInterval(() => void this.#maintain(), MAINTAIN_MS);
    this.#timer.unref();
    await Promise.allSettled(this.#opts.bootstrap.map((a) => this.dial(a)));
    void this.#maintain();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const node = this.#node;
    this.#node = undefined;
    await node?.stop();
  }

  #started(): Libp2p<{ pubsub: GossipSub }> {
    if (this.#node === undefined) throw new P2PError("NOT_STARTED", "p2p not started");
    return this.#node;
  }

  addresses(): string[] {
    return this.#node?.getMultiaddrs().map((m) => m.toString()) ?? [];
  }

  async dial(addr: string): Promise<void> {
    const node = this.#started();
    try {
      await node.dial(multiaddr(addr), { signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new P2PError("NOT_CONNECTED", `dial ${addr}: ${(e as Error).message}`);
    }
  }

  #info(id: PeerId): PeerInfo | undefined {
    const conns: Connection[] = this.#node?.getConnections(peerIdFromString(id)) ?? [];
    const c = conns.find((x) => x.status === "open") ?? conns[0];
    if (c === undefined) return undefined;
    return { id, direction: c.direction, address: c.remoteAddr.toString(), score: this.#scores.get(id) };
  }

  peers(): PeerInfo[] {
    const ids = new Set((this.#node?.getConnections() ?? []).map((c) => c.remotePeer.toString()));
    return [...ids].map((id) => this.#info(id)).filter((p): p is PeerInfo => p !== undefined);
  }

  bans(): BanInfo[] {
    return this.#scores.bans();
  }

  reportPeer(peer: PeerId, action: "IGNORE" | "REJECT", reason: string): void {
    if (action !== "REJECT") return;
    const ban = this.#scores.penalise(peer, reason);
    if (ban === undefined) return;
    this.#events.emit("peer:ban", ban);
    const node = this.#node;
    if (node !== undefined) void node.hangUp(peerIdFromString(peer)).catch(() => undefined);
  }

  on<K extends keyof P2PEvents>(event: K, fn: (e: P2PEvents[K]) => void): () => void {
    return this.#events.on(event, fn);
  }

  async publish(topic: string, bytes: Uint8Array): Promise<number> {
    const spec = this.#topics.get(topic);
    if (spec === undefined) throw new P2PError("UNKNOWN_PROTOCOL", `topic ${topic} not registered`);
    if (bytes.length > spec.maxBytes) throw new P2PError("TOO_LARGE", `${bytes.length} > ${spec.maxBytes} bytes on ${topic}`);
    const r = await this.#started().services.pubsub.publish(topicId(this.#opts.chainId, spec.name, spec.version), bytes);
    return r.recipients.length;
  }

  async request(peer: PeerId, protocol: string, bytes: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array> {
    const spec = this.#protocols.get(protocol);
    if (spec === undefined) throw new P2PError("UNKNOWN_PROTOCOL", `protocol ${protocol} not registered`);
    if (bytes.length > spec.maxRequestBytes) throw new P2PError("TOO_LARGE", `request ${bytes.length} > ${spec.maxRequestBytes} bytes`);
    const node = this.#started();
    let id;
    try {
      id = peerIdFromString(peer);
    } catch {
      throw new P2PError("NOT_CONNECTED", `bad peer id ${peer}`);
    }
    return request(node, id, protocolId(this.#opts.chainId, spec.name, spec.version), spec, bytes, opts.timeoutMs ?? 10_000);
  }

  /** Connected peers (except `from`) with the listen addresses they announced via identify. */
  async #known(from: PeerId): Promise<PexEntry[]> {
    const node = this.#node;
    if (node === undefined) return [];
    const out: PexEntry[] = [];
    for (const p of this.peers()) {
      if (p.id === from) continue;
      try {
        const rec = await node.peerStore.get(peerIdFromString(p.id));
        const addrs = rec.addresses.map((a) => a.multiaddr.toString()).filter((a) => a.startsWith("/ip4/") || a.startsWith("/ip6/") || a.startsWith("/dns"));
        if (addrs.length > 0) out.push({ id: p.id, addrs: addrs.map((a) => (a.includes("/p2p/") ? a : `${a}/p2p/${p.id}`)) });
      } catch {
        /* not in the peer store */
      }
    }
    return out;
  }

  /** Below the target peer count: re-dials the bootstrap peers and asks a random peer for more peers. */
  async #maintain(): Promise<void> {
    if (this.#maintaining) return; // one round at a time (dials can take up to 10 s)
    this.#maintaining = true;
    try {
      await this.#maintainOnce();
    } finally {
      this.#maintaining = false;
    }
  }

  async #maintainOnce(): Promise<void> {
    const node = this.#node;
    if (node === undefined) return;
    const peers = this.peers();
    const target = this.#opts.targetPeers ?? 8;
    // below target, the bootstrap peers are re-dialled too (not only when alone: a node left with one
    // peer that serves nothing — e.g. after the others restarted on it — would otherwise starve)
    if (peers.length < target) await Promise.allSettled(this.#opts.bootstrap.map((a) => this.dial(a)));
    if (peers.length === 0 || peers.length >= target) return;
    const ask = peers[Math.floor(Math.random() * peers.length)] as PeerInfo;
    let list: PexEntry[] | undefined;
    try {
      list = parsePex(await this.request(ask.id, PEX_PROTOCOL, new Uint8Array(0), { timeoutMs: 5_000 }));
    } catch {
      return;
    }
    if (list === undefined) return this.reportPeer(ask.id, "REJECT", "malformed peer-exchange answer");
    const have = new Set(this.peers().map((p) => p.id));
    let room = target - have.size;
    for (const e of list) {
      if (room <= 0) break;
      if (e.id === this.peerId || have.has(e.id) || this.#scores.banned(e.id)) continue;
      for (const a of e.addrs) {
        try {
          await this.dial(a);
          room--;
          break;
        } catch {
          /* try the next address */
        }
      }
    }
  }
}
