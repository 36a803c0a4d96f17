/**
 * The BFT driver (docs/consensus.md §6): runs the pure {@link TendermintEngine} against the real
 * world. It feeds the engine proposals and votes from the p2p topics, timeouts from timers,
 * validation verdicts from the executor and values (block candidates) from the candidate pool,
 * and carries out the engine's effects:
 *
 * | effect | what the driver does |
 * |---|---|
 * | `sign` | signs through the {@link SignerGuard} (fsync'ed last-signed record first), logs it in the WAL (fsync), publishes it, feeds it back |
 * | `scheduleTimeout` | a timer that feeds a `timeout` event |
 * | `requestValue` | the lowest-hash candidate for the height that passes full validation, now or as soon as one arrives |
 * | `validate` | full validation of the proposed candidate by the executor (waits for the candidate's bytes if needed) |
 * | `commit` | the executor commits block + finality certificate; the WAL ends the height; the next height starts |
 * | `evidence` | the evidence pool keeps it; it is gossiped on `evidence` |
 *
 * Every event goes through one queue, so the engine sees them one at a time, in order.
 * A node without a validator key runs the same driver as an observer: it never signs, and it
 * commits from the precommits it sees.
 * @module
 */
import { ed25519Sign } from "@baios/crypto";
import {
  ConsensusError,
  decodeProposal,
  decodeVoteMessage,
  encodeVoteMessage,
  encodeProposal,
  proposalMessage,
  toHex,
  voteMessage,
  type BftEffect,
  type BftEvent,
  type DuplicateVoteEvidence,
  type Evidence,
  type FinalityCertificate,
  type InvalidAttestationEvidence,
  type SignedProposal,
  type SignedVote,
  type TendermintEngine,
  type UnsignedMessage,
  type ValidatorSet,
} from "@baios/consensus";
import type { Logger } from "../log.ts";
import type { Candidate, CandidatePool } from "./candidates.ts";
import { SignStep, SignerGuardError, type SignerGuard } from "./signer-guard.ts";
import { WalRecordType, type ConsensusWal } from "./wal.ts";

/** What the driver needs from the node: the finalized chain, the set in force, validation and commit. */
export interface ConsensusExecutor {
  /** Height of the finalized tip (u64). */
  tipHeight(): bigint;
  /** The validator set that finalizes `height` (the tip's nextValidatorsHash) and the first height it was in force. */
  setFor(height: bigint): { set: ValidatorSet; startHeight: bigint };
  /** Full validation of a candidate against the tip state (cached on the candidate by the caller). */
  validate(c: Candidate): Promise<boolean>;
  /** Commits a decided candidate with its certificate (one atomic batch). */
  commit(c: Candidate, cert: FinalityCertificate): Promise<void>;
}

/** Where the driver's own messages go (the p2p topics; docs/consensus.md §6). */
export interface ConsensusPublisher {
  /** `relay`: re-broadcast counter (0 the first time; consensus/topics.ts). */
  proposal(p: SignedProposal, c: Candidate, relay?: number): Promise<void>;
  vote(v: SignedVote, relay?: number): Promise<void>;
  /** A block candidate (wire bytes). */
  candidate(bytes: Uint8Array): Promise<void>;
  evidence(e: Evidence): Promise<void>;
  /** A signed unbond request's 169 wire bytes on the `unbond` topic (unbond-gossip.ts); absent: not relayed. */
  unbond?(bytes: Uint8Array): Promise<void>;
}

/** Construction options of {@link BftDriver}. */
export interface BftDriverOptions {
  chainId: number;
  engine: TendermintEngine;
  executor: ConsensusExecutor;
  candidates: CandidatePool;
  publish: ConsensusPublisher;
  /** The validator's 32-byte Ed25519 seed and key; absent for an observer. */
  signer?: { seed: Uint8Array; publicKey: Uint8Array; guard: SignerGuard };
  /** The consensus WAL (replayed by {@link BftDriver.start}). */
  wal?: ConsensusWal;
  /**
   * Keeps the block of this validator's own signed proposal on disk (fsync) before the proposal
   * leaves, and gives it back at start: a validator killed between signing and committing
   * re-proposes the same block after a restart instead of waiting out the round (its signer guard
   * forbids proposing another). The WAL record limit (1 MiB) is below a block's, hence a file.
   */
  ownProposalStore?: { save(bytes: Uint8Array): Promise<void>; load(): Promise<Uint8Array | undefined>; restore(bytes: Uint8Array): Promise<void> };
  /** Asks peers for a candidate by hash (the `candidate` protocol); resolves true once it is in the pool. */
  fetchCandidate?: (hash: Uint8Array) => Promise<boolean>;
  /** Re-broadcast period of this validator's messages of the undecided height (ms, default 1 000; 0 = off). */
  rebroadcastMs?: number;
  /** Keeps evidence (the node's evidence pool). */
  onEvidence?: (e: DuplicateVoteEvidence) => void;
  /**
   * A validator's non-nil vote for a candidate this node found invalid with a REJECT-class error
   * (docs/consensus.md §6.3); the receiver verifies it (historical re-validation), pools and gossips it.
   */
  onInvalidAttestation?: (e: InvalidAttestationEvidence) => void;
  /** Observes each commit: height, round, ms from the decided candidate's arrival to the certificate. */
  onCommit?: (info: { height: bigint; round: number; latencyMs: number }) => void;
  log?: Logger;
}

const STEP_OF = { proposal: SignStep.PROPOSAL, prevote: SignStep.PREVOTE, precommit: SignStep.PRECOMMIT } as const;
/** OWN_MESSAGE payload kinds in the WAL. */
const OWN_PROPOSAL = 1;
const OWN_VOTE = 2;
/** Block hashes whose non-nil votes are kept (oldest dropped first), and votes kept per hash. */
const VOTE_MEMORY_HASHES = 1024;
const VOTE_MEMORY_PER_HASH = 256;
/** Candidates kept after a REJECT-class verdict (their bytes make the evidence). */
const INVALID_MEMORY = 64;

/** See the module docs. */
export class BftDriver {
  readonly #o: BftDriverOptions;
  #queue: Promise<void> = Promise.resolve();
  readonly #timers = new Set<NodeJS.Timeout>();
  #wantValue: { height: bigint; round: number } | undefined;
  /** validate effects waiting for the candidate's bytes, by hash hex. */
  readonly #waiting = new Map<string, { height: bigint; hash: Uint8Array }>();
  #stopped = false;
  #offCandidates: () => void;
  /** This validator's signed messages of the current height, re-broadcast until it is decided. */
  #own: { proposal?: { p: SignedProposal; c: Candidate }; votes: SignedVote[] } = { votes: [] };
  #relay = 0;
  /** A height decided from precommits whose block this node does not hold yet (fetched from peers). */
  #pendingDecision: { height: bigint; round: number; hash: Uint8Array; cert: FinalityCertificate } | undefined;
  #rebroadcast: NodeJS.Timeout | undefined;
  /** Recent non-nil votes by block hash hex, whatever the order of vote and verdict (bounded). */
  readonly #votesFor = new Map<string, SignedVote[]>();
  /** Recent candidates found invalid with a REJECT-class error, by hash hex (bounded). */
  readonly #invalid = new Map<string, Candidate>();

  constructor(opts: BftDriverOptions) {
    this.#o = opts;
    this.#offCandidates = opts.candidates.onAdd((c) => this.#onCandidate(c));
    const every = opts.rebroadcastMs ?? 1000;
    if (every > 0 && opts.signer !== undefined) {
      this.#rebroadcast = setInterval(() => this.#republish(), every);
      this.#rebroadcast.unref();
    }
  }

  #republish(): void {
    if (this.#stopped) return;
    const r = ++this.#relay;
    const own = this.#own;
    if (own.proposal !== undefined) void this.#o.publish.proposal(own.proposal.p, own.proposal.c, r).catch(() => undefined);
    for (const v of own.votes) void this.#o.publish.vote(v, r).catch(() => undefined);
  }

  /** The engine's current height (u64), or undefined before start. */
  get height(): bigint | undefined {
    return this.#o.engine.height;
  }

  /** Starts at the tip's next height, then replays the WAL's records of the height in progress. */
  async start(): Promise<void> {
    const own = await this.#o.ownProposalStore?.load().catch(() => undefined);
    if (own !== undefined) await this.#o.ownProposalStore?.restore(own).catch(() => undefined);
    await this.#startHeight(this.#o.executor.tipHeight() + 1n);
    const wal = this.#o.wal;
    if (wal === undefined) return;
    let n = 0;
    for await (const r of wal.replay()) {
      const ev = this.#walEvent(r.type, r.payload);
      if (ev !== undefined) {
        n++;
        this.#enqueue(ev);
      }
    }
    if (n > 0) this.#o.log?.info({ records: n, height: this.height }, "consensus WAL replayed");
    await this.#queue;
  }

  /** Stops the timers; pending events are dropped. */
  stop(): void {
    this.#stopped = true;
    this.#offCandidates();
    if (this.#rebroadcast !== undefined) clearInterval(this.#rebroadcast);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** A verified proposal from the network (the candidate it carries is already in the pool). */
  onProposal(p: SignedProposal): void {
    void this.#o.wal?.append({ type: WalRecordType.PROPOSAL, payload: encodeProposal(this.#o.chainId, p) }).catch(() => undefined);
    this.#enqueue({ type: "proposal", proposal: p });
  }

  /** A verified vote from the network. */
  onVote(v: SignedVote): void {
    void this.#o.wal?.append({ type: WalRecordType.VOTE, payload: this.#voteBytes(v) }).catch(() => undefined);
    this.#enqueue({ type: "vote", vote: v });
  }

  /** The finalized tip moved without this driver (a block from sync): jump to the next height. */
  onExternalCommit(height: bigint): void {
    this.#queue = this.#queue.then(async () => {
      const cur = this.#o.engine.height;
      if (this.#stopped || (cur !== undefined && cur > height)) return;
      await this.#startHeight(height + 1n);
    });
  }

  /** The certificate of the last decided height with every precommit seen so far (the next block's lastCertificate). */
  lastCertificate(): FinalityCertificate | undefined {
    return this.#o.engine.lastCertificate();
  }

  /** Waits until every queued event has been handled (tests). */
  idle(): Promise<void> {
    return this.#queue;
  }

  #enqueue(ev: BftEvent): void {
    this.#queue = this.#queue.then(() => this.#handle(ev)).catch((e: unknown) => {
      this.#o.log?.warn({ err: e instanceof Error ? e.message : String(e), event: ev.type }, "consensus event failed");
    });
  }

  async #handle(ev: BftEvent): Promise<void> {
    if (this.#stopped) return;
    if (ev.type === "vote") this.#noteVote(ev.vote);
    let fx: BftEffect[];
    try {
      fx = this.#o.engine.handle(ev);
    } catch (e) {
      if (e instanceof ConsensusError) {
        this.#o.log?.debug({ code: e.code, reason: e.message, event: ev.type }, "consensus event refused");
        return;
      }
      throw e;
    }
    for (const f of fx) await this.#effect(f);
  }

  async #startHeight(height: bigint): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#wantValue = undefined;
    this.#waiting.clear();
    this.#own = { votes: [] };
    this.#pendingDecision = undefined;
    this.#o.candidates.setTip(height - 1n);
    const { set, startHeight } = this.#o.executor.setFor(height);
    const localKey = this.#o.signer?.publicKey;
    await this.#handle({ type: "start", height, validatorSet: set, setStartHeight: startHeight, ...(localKey === undefined ? {} : { localKey }) });
    // candidates that arrived before this height started
    if (this.#wantValue !== undefined) void this.#offerValue();
  }

  async #effect(f: BftEffect): Promise<void> {
    switch (f.type) {
      case "sign":
        await this.#sign(f.message);
        return;
      case "scheduleTimeout": {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          this.#enqueue({ type: "timeout", height: f.height, round: f.round, step: f.step });
        }, f.ms);
        this.#timers.add(t);
        return;
      }
      case "requestValue":
        this.#wantValue = { height: f.height, round: f.round };
        void this.#offerValue();
        return;
      case "validate": {
        const c = this.#o.candidates.get(f.blockHash);
        if (c === undefined) this.#waiting.set(toHex(f.blockHash), { height: f.height, hash: f.blockHash });
        else void this.#validate(f.height, c);
        return;
      }
      case "commit":
        await this.#commit(f.height, f.round, f.blockHash, f.certificate);
        return;
      case "evidence":
        this.#o.onEvidence?.(f.evidence);
        await this.#o.publish.evidence(f.evidence).catch(() => undefined);
        return;
    }
  }

  async #sign(msg: UnsignedMessage): Promise<void> {
    const s = this.#o.signer;
    if (s === undefined) return;
    const chainId = this.#o.chainId;
    const hash = msg.type === "proposal" ? proposalMessage(chainId, msg) : voteMessage(msg.kind, chainId, msg.height, msg.round, msg.blockHash);
    const step = msg.type === "proposal" ? STEP_OF.proposal : STEP_OF[msg.kind];
    if (msg.type === "proposal") {
      // the block first, then the signature: a restart can always re-propose what it signed
      const held = this.#o.candidates.get(msg.blockHash);
      if (held !== undefined) await this.#o.ownProposalStore?.save(held.bytes);
    }
    let signature: Uint8Array;
    try {
      signature = await s.guard.sign({ height: msg.height, round: msg.round, step }, hash, () => ed25519Sign(s.seed, hash));
    } catch (e) {
      if (e instanceof SignerGuardError) {
        this.#o.log?.warn({ code: e.code, height: msg.height, round: msg.round, step }, "signature refused by the double-sign guard");
        return;
      }
      throw e;
    }
    if (msg.type === "proposal") {
      const p: SignedProposal = { height: msg.height, round: msg.round, polRound: msg.polRound, blockHash: msg.blockHash.slice(), proposer: s.publicKey, signature };
      await this.#o.wal?.append({ type: WalRecordType.OWN_MESSAGE, payload: Uint8Array.of(OWN_PROPOSAL, ...encodeProposal(chainId, p)) }, { sync: true });
      const c = this.#o.candidates.get(p.blockHash);
      if (c !== undefined) {
        this.#own.proposal = { p, c };
        await this.#o.publish.proposal(p, c).catch((e: unknown) => this.#o.log?.debug({ err: String(e) }, "proposal publish failed"));
      }
      await this.#handle({ type: "proposal", proposal: p });
    } else {
      const v: SignedVote = { kind: msg.kind, height: msg.height, round: msg.round, blockHash: msg.blockHash.slice(), validator: s.publicKey, signature };
      await this.#o.wal?.append({ type: WalRecordType.OWN_MESSAGE, payload: Uint8Array.of(OWN_VOTE, ...this.#voteBytes(v)) }, { sync: true });
      this.#own.votes.push(v);
      await this.#o.publish.vote(v).catch((e: unknown) => this.#o.log?.debug({ err: String(e) }, "vote publish failed"));
      await this.#handle({ type: "vote", vote: v });
    }
  }

  #voteBytes(v: SignedVote): Uint8Array {
    return encodeVoteMessage({ ...v, chainId: this.#o.chainId });
  }

  #walEvent(type: number, payload: Uint8Array): BftEvent | undefined {
    try {
      const kind = type === WalRecordType.OWN_MESSAGE ? payload[0] : type === WalRecordType.PROPOSAL ? OWN_PROPOSAL : type === WalRecordType.VOTE ? OWN_VOTE : 0;
      const body = type === WalRecordType.OWN_MESSAGE ? payload.subarray(1) : payload;
      if (kind === OWN_PROPOSAL) return { type: "proposal", proposal: decodeProposalWire(body) };
      if (kind === OWN_VOTE) return { type: "vote", vote: decodeVoteWire(body) };
    } catch (e) {
      this.#o.log?.warn({ err: String(e) }, "unreadable WAL record skipped");
    }
    return undefined;
  }

  /** Retries fetching a decided block until it arrives, the height passes, or the driver stops. */
  async #fetchDecided(p: { height: bigint; hash: Uint8Array }): Promise<void> {
    const fetch = this.#o.fetchCandidate;
    if (fetch === undefined) return;
    // give the proposal in flight a moment before asking peers
    await new Promise((r) => setTimeout(r, 250));
    for (let attempt = 0; !this.#stopped && this.#pendingDecision === p && this.#o.executor.tipHeight() < p.height; attempt++) {
      if (attempt === 4) this.#o.log?.warn({ height: p.height, hash: toHex(p.hash) }, "decided block still not held after 4 requests to peers");
      if (await fetch(p.hash).catch(() => false)) return; // #onCandidate commits it
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * (attempt + 1))));
    }
  }

  #onCandidate(c: Candidate): void {
    const pd = this.#pendingDecision;
    if (pd !== undefined && toHex(pd.hash) === toHex(c.hash)) {
      this.#pendingDecision = undefined;
      this.#queue = this.#queue.then(() => this.#commit(pd.height, pd.round, pd.hash, pd.cert)).catch((e: unknown) => {
        this.#o.log?.warn({ err: e instanceof Error ? e.message : String(e), height: pd.height }, "commit of a fetched decided block failed");
      });
    }
    const w = this.#waiting.get(toHex(c.hash));
    if (w !== undefined) {
      this.#waiting.delete(toHex(c.hash));
      void this.#validate(w.height, c);
    }
    if (this.#wantValue !== undefined && c.block.header.height === this.#wantValue.height) void this.#offerValue();
  }

  async #checked(c: Candidate): Promise<boolean> {
    if (c.valid === undefined) c.valid = this.#o.executor.validate(c).catch(() => false);
    const v = await c.valid;
    c.valid = v;
    return v;
  }

  async #validate(height: bigint, c: Candidate): Promise<void> {
    const valid = await this.#checked(c);
    if (!valid) this.#noteInvalid(c);
    this.#enqueue({ type: "validated", height, blockHash: c.hash, valid });
  }

  /** Remembers a non-nil vote; one for a block known invalid becomes evidence. */
  #noteVote(v: SignedVote): void {
    if (this.#o.onInvalidAttestation === undefined || v.blockHash.every((b) => b === 0)) return;
    const key = toHex(v.blockHash);
    const bad = this.#invalid.get(key);
    if (bad !== undefined) return this.#attest(v, bad);
    let list = this.#votesFor.get(key);
    if (list === undefined) {
      if (this.#votesFor.size >= VOTE_MEMORY_HASHES) this.#votesFor.delete(this.#votesFor.keys().next().value as string);
      list = [];
      this.#votesFor.set(key, list);
    }
    if (list.length < VOTE_MEMORY_PER_HASH) list.push(v);
  }

  /** A candidate failed full validation: with a REJECT-class error, the votes for it are provable. */
  #noteInvalid(c: Candidate): void {
    if (this.#o.onInvalidAttestation === undefined || c.rejected?.action !== "REJECT") return;
    const key = toHex(c.hash);
    if (this.#invalid.has(key)) return;
    if (this.#invalid.size >= INVALID_MEMORY) this.#invalid.delete(this.#invalid.keys().next().value as string);
    this.#invalid.set(key, c);
    for (const v of this.#votesFor.get(key) ?? []) this.#attest(v, c);
    this.#votesFor.delete(key);
  }

  #attest(v: SignedVote, c: Candidate): void {
    this.#o.log?.info({ height: v.height, round: v.round, kind: v.kind, validator: toHex(v.validator), code: c.rejected?.code }, "vote for an invalid block: invalid-attestation evidence");
    this.#o.onInvalidAttestation?.({ kind: "invalid-attestation", vote: { ...v, chainId: this.#o.chainId }, block: c.bytes });
  }

  /** Answers an open requestValue with the lowest-hash valid candidate, if there is one. */
  async #offerValue(): Promise<void> {
    const want = this.#wantValue;
    if (want === undefined) return;
    for (const c of this.#o.candidates.at(want.height)) {
      if (!(await this.#checked(c))) {
        this.#noteInvalid(c);
        continue;
      }
      if (this.#wantValue !== want) return; // answered meanwhile, or the round moved on
      this.#wantValue = undefined;
      this.#enqueue({ type: "value", height: want.height, round: want.round, blockHash: c.hash });
      return;
    }
  }

  async #commit(height: bigint, round: number, hash: Uint8Array, cert: FinalityCertificate): Promise<void> {
    const c = this.#o.candidates.get(hash);
    if (c === undefined) {
      // decided from precommits without the block's bytes: ask the peers for it (and sync may bring it meanwhile)
      // usually the proposal carrying it is still being checked (votes are smaller and faster): debug, not warn
      this.#o.log?.debug({ height, hash: toHex(hash) }, "decided block not held yet; fetching it from peers");
      const pending = { height, round, hash: hash.slice(), cert };
      this.#pendingDecision = pending;
      void this.#fetchDecided(pending);
      return;
    }
    // the importer (sync) may commit this height meanwhile: a commit that no longer extends the tip is not a failure then
    if (this.#o.executor.tipHeight() < height) await this.#o.executor.commit(c, cert).catch((e: unknown) => {
      if (this.#o.executor.tipHeight() < height) throw e;
    });
    await this.#o.wal?.endHeight(height).catch(() => undefined);
    this.#o.onCommit?.({ height, round, latencyMs: Date.now() - c.receivedMs });
    await this.#startHeight(height + 1n);
  }
}

function decodeProposalWire(b: Uint8Array): SignedProposal {
  return decodeProposal(b).proposal;
}

function decodeVoteWire(b: Uint8Array): SignedVote {
  const v = decodeVoteMessage(b);
  return { kind: v.kind, height: v.height, round: v.round, blockHash: v.blockHash, validator: v.validator, signature: v.signature };
}
