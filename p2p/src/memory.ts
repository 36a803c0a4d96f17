/**
 * {@link MemoryP2P}: an in-process {@link P2P} for unit tests. Same registry semantics as the
 * libp2p implementation (size caps before validation, ACCEPT relays, REJECT lowers the
 * relayer's score and bans it below the threshold, request/response with typed errors),
 * without sockets. Messages are delivered asynchronously (next microtask), flooded to every
 * connected peer, deduplicated by SHA-256 of topic and payload.
 * @module
 */
import { createHash } from "node:crypto";
import { Scores } from "./scores.ts";
import { P2PError, ProtocolError, splitVerdict, type BanInfo, type P2P, type P2PEvents, type P2PLimits, type PeerId, type PeerInfo, type ProtocolSpec, type RequestOptions, type TopicSpec, type Verdict } from "./types.ts";
import { Emitter } from "./emitter.ts";

/** Registry of in-process nodes; `dial("/memory/<peerId>")` connects two of them. */
export class MemoryHub {
  readonly nodes = new Map<PeerId, MemoryP2P>();
}

/** In-process implementation of {@link P2P} (see module doc). */
export class MemoryP2P implements P2P {
  readonly peerId: PeerId;
  readonly #hub: MemoryHub;
  readonly #topics = new Map<string, TopicSpec>();
  readonly #protocols = new Map<string, ProtocolSpec>();
  readonly #conns = new Map<PeerId, "inbound" | "outbound">();
  readonly #seen = new Set<string>();
  readonly #events = new Emitter<P2PEvents>();
  readonly #scores: Scores;
  #started = false;

  constructor(hub: MemoryHub, peerId: PeerId, limits: P2PLimits = {}) {
    this.#hub = hub;
    this.peerId = peerId;
    this.#scores = new Scores(limits);
  }
  registerTopic(spec: TopicSpec): void {
    if (this.#started) throw new P2PError("NOT_STARTED", "register topics before start()");
    this.#topics.set(spec.name, spec);
  }
  registerProtocol(spec: ProtocolSpec): void {
    if (this.#started) throw new P2PError("NOT_STARTED", "register protocols before start()");
    this.#protocols.set(spec.name, spec);
  }
  async start(): Promise<void> {
    this.#started = true;
    this.#hub.nodes.set(this.peerId, this);
  }
  async stop(): Promise<void> {
    for (const p of [...this.#conns.keys()]) this.#disconnect(p);
    this.#hub.nodes.delete(this.peerId);
    this.#started = false;
  }
  addresses(): string[] {
    return [`/memory/${this.peerId}`];
  }
  async dial(addr: string): Promise<void> {
    const id = addr.replace(/^\/memory\//, "");
    const other = this.#hub.nodes.get(id);
    if (other === undefined || id === this.peerId) throw new P2PError("NOT_CONNECTED", `no node at ${addr}`);
    if (this.#scores.banned(id) || other.#scores.banned(this.peerId)) throw new P2PError("NOT_CONNECTED", `${id}: banned`);
    if (this.#conns.has(id)) return;
    this.#conns.set(id, "outbound");
    other.#conns.set(this.peerId, "inbound");
    this.#events.emit("peer:connect", this.#info(id));
    other.#events.emit("peer:connect", other.#info(this.peerId));
  }
  #info(id: PeerId): PeerInfo {
    return { id, direction: this.#conns.get(id) ?? "outbound", address: `/memory/${id}`, score: this.#scores.get(id) };
  }
  #disconnect(id: PeerId): void {
    if (!this.#conns.delete(id)) return;
    this.#events.emit("peer:disconnect", { id });
    const other = this.#hub.nodes.get(id);
    if (other !== undefined && other.#conns.delete(this.peerId)) other.#events.emit("peer:disconnect", { id: this.peerId });
  }
  peers(): PeerInfo[] {
    return [...this.#conns.keys()].map((id) => this.#info(id));
  }
  bans(): BanInfo[] {
    return this.#scores.bans();
  }
  reportPeer(peer: PeerId, action: "IGNORE" | "REJECT", reason: string): void {
    if (action !== "REJECT") return;
    const ban = this.#scores.penalise(peer, reason);
    if (ban !== undefined) {
      this.#disconnect(peer);
      this.#events.emit("peer:ban", ban);
    }
  }
  on<K extends keyof P2PEvents>(event: K, fn: (e: P2PEvents[K]) => void): () => void {
    return this.#events.on(event, fn);
  }
  async publish(topic: string, bytes: Uint8Array): Promise<number> {
    const spec = this.#topics.get(topic);
    if (spec === undefined) throw new P2PError("UNKNOWN_PROTOCOL", `topic ${topic} not registered`);
    if (!this.#started) throw new P2PError("NOT_STARTED", "not started");
    if (bytes.length > spec.maxBytes) throw new P2PError("TOO_LARGE", `${bytes.length} > ${spec.maxBytes} bytes on ${topic}`);
    this.#seen.add(msgId(topic, bytes));
    return this.#relay(topic, bytes, undefined);
  }
  #relay(topic: string, bytes: Uint8Array, except: PeerId | undefined): number {
    let n = 0;
    for (const id of this.#conns.keys()) {
      if (id === except) continue;
      const other = this.#hub.nodes.get(id);
      if (other === undefined) continue;
      n++;
      queueMicrotask(() => void other.#receive(topic, bytes.slice(), this.peerId));
    }
    return n;
  }
  async #receive(topic: string, bytes: Uint8Array, from: PeerId): Promise<void> {
    const spec = this.#topics.get(topic);
    if (spec === undefined || !this.#conns.has(from)) return;
    const id = msgId(topic, bytes);
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    if (bytes.length > spec.maxBytes) return this.reportPeer(from, "REJECT", `oversized ${topic} message`);
    let verdict: Verdict;
    let reason: string | undefined;
    try {
      ({ verdict, reason } = splitVerdict(await spec.validate(bytes, from)));
    } catch {
      verdict = "IGNORE";
    }
    if (verdict === "ACCEPT") this.#relay(topic, bytes, from);
    else if (verdict === "REJECT") this.reportPeer(from, "REJECT", `invalid ${topic} message${reason === undefined ? "" : `: ${reason}`}`);
  }
  async request(peer: PeerId, protocol: string, bytes: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array> {
    const spec = this.#protocols.get(protocol);
    if (spec === undefined) throw new P2PError("UNKNOWN_PROTOCOL", `protocol ${protocol} not registered`);
    if (bytes.length > spec.maxRequestBytes) throw new P2PError("TOO_LARGE", `request ${bytes.length} > ${spec.maxRequestBytes} bytes`);
    const other = this.#hub.nodes.get(peer);
    if (other === undefined || !this.#conns.has(peer)) throw new P2PError("NOT_CONNECTED", `not connected to ${peer}`);
    const remote = other.#protocols.get(protocol);
    if (remote === undefined) throw new P2PError("UNKNOWN_PROTOCOL", `${peer} does not serve ${protocol}`);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new P2PError("TIMEOUT", `${protocol} to ${peer}: no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const res = await Promise.race([remote.handler(bytes.slice(), this.peerId), timeout]);
      if (res.length > spec.maxResponseBytes) throw new P2PError("BAD_RESPONSE", `response ${res.length} > ${spec.maxResponseBytes} bytes`);
      return res.slice();
    } catch (e) {
      if (e instanceof P2PError) throw e;
      if (e instanceof ProtocolError) {
        if (e.action === "REJECT") other.reportPeer(this.peerId, "REJECT", `bad ${protocol} request: ${e.code}`);
        throw new P2PError("REMOTE_ERROR", e.message, e.code);
      }
      throw new P2PError("REMOTE_ERROR", "internal error", "INTERNAL");
    } finally {
      clearTimeout(timer);
    }
  }
}

function msgId(topic: string, bytes: Uint8Array): string {
  return createHash("sha256").update(topic).update(bytes).digest("hex");
}
