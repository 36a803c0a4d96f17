/**
 * The generic p2p interface (docs/p2p.md, docs/protocol.md §14): a registry of gossip topics and
 * request/response protocols instead of one method per message. Implementations:
 * {@link createP2P} (libp2p over TCP, noise, yamux, gossipsub) and `MemoryP2P` (in-process, tests).
 *
 * Every payload is opaque bytes; its size is checked against the topic's / protocol's cap
 * BEFORE any decoding; the registered validator or handler decodes strictly.
 * @module
 */

/** A peer's identifier: the libp2p PeerId as a base58btc string (`12D3KooW…`). */
export type PeerId = string;

/**
 * A receiver's decision about a message (gossipsub's accept/ignore/reject):
 * `ACCEPT` relay further; `IGNORE` drop without penalty (e.g. we are behind, duplicate);
 * `REJECT` drop and lower the sender's score (invalid data; enough of them ban the peer).
 */
export type Verdict = "ACCEPT" | "IGNORE" | "REJECT";

/**
 * A verdict with the reason it is logged and, for REJECT, scored under (e.g. a ConsensusError
 * code and reason: `BLOCK_UNBOND_INVALID: unbonds[0].signature: …`). The reason ends up in the
 * peer's {@link BanInfo.reason} when that REJECT bans it.
 */
export interface ReasonedVerdict {
  verdict: Verdict;
  reason: string;
}

/** The plain verdict and the optional reason of a topic validator's answer. */
export function splitVerdict(r: Verdict | ReasonedVerdict): { verdict: Verdict; reason: string | undefined } {
  return typeof r === "string" ? { verdict: r, reason: undefined } : r;
}

/**
 * A gossip topic. The wire topic string is `/baios/<chainIdHex>/<name>/<version>`
 * (see {@link protocolId}). Registered before `start()`.
 */
export interface TopicSpec {
  /** Short name, `[a-z0-9-]+`, e.g. `tx`, `block`, `vote`. */
  name: string;
  /** Version number in the topic string (≥ 1). Default 1. */
  version?: number;
  /** Maximum message size in bytes; larger messages are dropped before `validate` (REJECT). */
  maxBytes: number;
  /**
   * Decodes strictly, validates and (on ACCEPT) processes the message. Called once per
   * message id (duplicates are dropped by the transport). A thrown error counts as IGNORE.
   * Also called for nothing we publish ourselves.
   * @param bytes the message payload, `length ≤ maxBytes`
   * @param from the peer that relayed it to us (not necessarily the author)
   * @returns a verdict, or a {@link ReasonedVerdict} whose reason is put on a REJECT's penalty
   */
  validate(bytes: Uint8Array, from: PeerId): Promise<Verdict | ReasonedVerdict>;
}

/** Thrown from a request handler to answer with a typed error (the requester gets a {@link P2PError} `REMOTE_ERROR`). */
export class ProtocolError extends Error {
  /** Short machine code, e.g. `BAD_REQUEST`, `NOT_FOUND`, `LIMIT_EXCEEDED`. */
  readonly code: string;
  /** `"REJECT"`: the serving node also lowers the requester's score (malformed request). */
  readonly action: "IGNORE" | "REJECT";
  constructor(code: string, message: string, action: "IGNORE" | "REJECT" = "IGNORE") {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.action = action;
  }
}

/**
 * A request/response protocol, wire id `/baios/<chainIdHex>/req/<name>/<version>`. One stream per
 * request: the requester writes one length-prefixed request (≤ maxRequestBytes), the server one
 * status byte + length-prefixed response (≤ maxResponseBytes) or an error. Lengths are read and
 * checked before the body is buffered.
 */
export interface ProtocolSpec {
  /** Short name, `[a-z0-9-]+`, e.g. `blocks`, `headers`, `status`, `stem` (`peers` is reserved for peer exchange). */
  name: string;
  /** Version (≥ 1). Default 1. */
  version?: number;
  /** Cap on a request body, bytes. */
  maxRequestBytes: number;
  /** Cap on a response body, bytes (the requester enforces it too). */
  maxResponseBytes: number;
  /** Max concurrent inbound streams of this protocol per connection. Default 4. */
  maxInboundStreams?: number;
  /**
   * Serves one request. Throw a {@link ProtocolError} to answer with an error code; a
   * `ProtocolError` with action `REJECT` also lowers the requester's score.
   * For one-way protocols (Dandelion++ stem relay) return an empty array.
   */
  handler(bytes: Uint8Array, from: PeerId): Promise<Uint8Array>;
}

/** Options of {@link P2P.request}. */
export interface RequestOptions {
  /** Whole-request deadline in ms (dial + write + read). Default 10 000. */
  timeoutMs?: number;
}

/** Error codes raised by {@link P2P} calls. */
export type P2PErrorCode =
  | "NOT_STARTED"
  | "UNKNOWN_PROTOCOL"
  | "TOO_LARGE"
  | "TIMEOUT"
  | "NOT_CONNECTED"
  | "REMOTE_ERROR"
  | "BAD_RESPONSE"
  | "CLOSED";

/** A typed transport error. `remoteCode` is set for `REMOTE_ERROR` (the server's {@link ProtocolError} code). */
export class P2PError extends Error {
  readonly code: P2PErrorCode;
  readonly remoteCode: string | undefined;
  constructor(code: P2PErrorCode, message: string, remoteCode?: string) {
    super(message);
    this.name = "P2PError";
    this.code = code;
    this.remoteCode = remoteCode;
  }
}

/** One connected peer as the node sees it. */
export interface PeerInfo {
  id: PeerId;
  /** Who dialled: `outbound` = we did (Dandelion++ picks stem relays among these). */
  direction: "inbound" | "outbound";
  /** Remote multiaddr of the (first) open connection, e.g. `/ip4/127.0.0.1/tcp/30333`. */
  address: string;
  /** Our application score of the peer (starts at 0; REJECTs subtract; ban below the threshold). */
  score: number;
}

/** A peer that is currently banned (connection gater denies it). */
export interface BanInfo {
  id: PeerId;
  /** Unix ms when the ban ends. */
  until: number;
  reason: string;
}

/** Events emitted by a {@link P2P}. */
export interface P2PEvents {
  "peer:connect": PeerInfo;
  "peer:disconnect": { id: PeerId };
  /** A peer was banned (score below threshold). */
  "peer:ban": BanInfo;
}

/** Limits of the transport (all optional; defaults in docs/p2p.md). */
export interface P2PLimits {
  /** Max open connections in total. Default 64. */
  maxConnections?: number;
  /** Max inbound connections from one IP address. Default 8. */
  maxConnectionsPerIp?: number;
  /** Max concurrent yamux streams per connection (all protocols). Default 64. */
  maxStreamsPerConnection?: number;
  /** Score at or below which a peer is disconnected and banned. Default −100. */
  banThreshold?: number;
  /** Ban duration in ms. Default 600 000 (10 min). */
  banMs?: number;
  /** Score lost per REJECT. Default 25 (four REJECTs ban). */
  rejectPenalty?: number;
}

/** Options of {@link createP2P}. */
export interface P2POptions {
  /** Chain id (u32): goes into every topic and protocol id, so chains do not mix. */
  chainId: number;
  /** Node data directory: the peer key is `<dataDir>/p2p/peer.key` (0600, created on first start). */
  dataDir?: string;
  /** Alternatively a protobuf-encoded libp2p private key (tests). */
  privateKey?: Uint8Array;
  /** Listen multiaddrs, e.g. `/ip4/127.0.0.1/tcp/30333` (`/tcp/0` = any free port). */
  listen: string[];
  /** Bootstrap multiaddrs with `/p2p/<peerId>`, dialled at start and re-dialled when few peers. */
  bootstrap: string[];
  limits?: P2PLimits;
  /** Target number of peers the node tries to keep via peer exchange. Default 8. */
  targetPeers?: number;
}

/** The node's handle on the network. */
export interface P2P {
  /** Our peer id (valid after construction). */
  readonly peerId: PeerId;
  /** Registers a gossip topic (before `start`). */
  registerTopic(spec: TopicSpec): void;
  /** Registers a request/response protocol (before `start`). */
  registerProtocol(spec: ProtocolSpec): void;
  /** Starts listening, subscribes to topics, dials bootstrap peers. */
  start(): Promise<void>;
  /** Closes every connection and stops. */
  stop(): Promise<void>;
  /** Our listening multiaddrs including `/p2p/<peerId>` (after start). */
  addresses(): string[];
  /**
   * Gossips `bytes` on a registered topic (by its {@link TopicSpec.name}). Returns the number of
   * peers it was sent to (0 when nobody is subscribed: not an error).
   * @throws P2PError `UNKNOWN_PROTOCOL`, `TOO_LARGE` (over the topic's maxBytes), `NOT_STARTED`
   */
  publish(topic: string, bytes: Uint8Array): Promise<number>;
  /**
   * Sends one request on a registered protocol (by its {@link ProtocolSpec.name}) to one peer and
   * returns the response body. Also the point-to-point send for Dandelion++ stem relays
   * (a `stem` protocol whose handler returns an empty body).
   * @throws P2PError `UNKNOWN_PROTOCOL`, `TOO_LARGE`, `TIMEOUT`, `NOT_CONNECTED`, `REMOTE_ERROR`, `BAD_RESPONSE`
   */
  request(peer: PeerId, protocol: string, bytes: Uint8Array, opts?: RequestOptions): Promise<Uint8Array>;
  /** Connected peers with direction, address and score. */
  peers(): PeerInfo[];
  /** Currently banned peers. */
  bans(): BanInfo[];
  /** Lowers (REJECT) a peer's score, e.g. after it served a bad block; IGNORE is a no-op. */
  reportPeer(peer: PeerId, action: "IGNORE" | "REJECT", reason: string): void;
  /** Dials a multiaddr (with `/p2p/<id>`). */
  dial(addr: string): Promise<void>;
  /** Subscribes to events; returns an unsubscribe function. */
  on<K extends keyof P2PEvents>(event: K, fn: (e: P2PEvents[K]) => void): () => void;
}

/** `chainId` as 8 lower-case hex digits (u32 big-endian), e.g. 1 → `00000001`. */
export function chainIdHex(chainId: number): string {
  if (!Number.isInteger(chainId) || chainId < 0 || chainId > 0xffffffff) throw new RangeError(`chainId must be a u32, got ${chainId}`);
  return chainId.toString(16).padStart(8, "0");
}

/** Gossip topic id: `/baios/<chainIdHex>/<name>/<version>`. */
export function topicId(chainId: number, name: string, version = 1): string {
  return `/baios/${chainIdHex(chainId)}/${name}/${version}`;
}

/** Request/response protocol id: `/baios/<chainIdHex>/req/<name>/<version>`. */
export function protocolId(chainId: number, name: string, version = 1): string {
  return `/baios/${chainIdHex(chainId)}/req/${name}/${version}`;
}
