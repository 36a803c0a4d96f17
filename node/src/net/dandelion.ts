/**
 * Dandelion++ in the node (docs/node.md §Dandelion++): runs @baios/p2p's transport-independent
 * `DandelionRouter` and `Stempool` over the node's {@link P2P} and its transaction pipeline.
 *
 * - **Own transactions** (`submit_tx` on this node) are checked in full and handed to
 *   `router.onOwnTx`: always stemmed, never put in the public mempool by this node until they
 *   are fluffed (by the embargo here, or seen fluffed on gossip).
 * - **Stem relay** is the `stem` request protocol (tx wire bytes → empty answer). A received
 *   stem tx is checked in full BEFORE it is relayed (an invalid one is answered with a
 *   `REJECT` ProtocolError: the sender's score drops); it also must not spend a key image held by
 *   another stem tx. Then `router.onStemTx` stems, fluffs (fluff epoch, loop) or holds it.
 * - **The stempool is private**: nothing in `get_mempool`, `get_tx`, `status` or `/metrics`
 *   shows a stem transaction or the stempool's size. When a tx is fluffed (by us) it enters the
 *   mempool and is gossiped on `tx`; when it arrives fluffed from a peer, or in a block, it leaves
 *   the stempool and its embargo stops.
 * - **Timers**: `router.tick` runs at `router.nextDeadline()` (epoch end, embargo deadlines),
 *   at least once a second.
 * - **Hop delay**: the time of each stem request (send → the relay checked the tx and answered)
 *   is kept (last 256) for the embargo derivation ({@link NodeDandelion.hopDelays}); it is logged
 *   at debug level, never exported as a metric.
 * @module
 */
import { ProtocolError, type P2P, type Verdict } from "@baios/p2p";
import { CryptoRandom, DandelionRouter, type DandelionParams, type RouteOutcome } from "@baios/p2p/dandelion";
import { isConsensusError } from "@baios/consensus";
import type { Chain, CommittedBlock } from "../chain.ts";
import type { Logger } from "../log.ts";
import type { Mempool } from "../mempool.ts";
import { AlreadyInPoolError } from "../mempool.ts";
import type { TxRouter } from "./p2pnode.ts";
import type { CheckedTx, TxIntake } from "./txrelay.ts";
import { toHex as hex } from "@baios/consensus";


/** A stem tx spends a key image another stem tx already spends (`IGNORE`: a race, not proof of malice). */
export class StemConflictError extends Error {
  override name = "StemConflictError";
  readonly action = "IGNORE" as const;
}

/** Construction options of {@link NodeDandelion}. */
export interface NodeDandelionOptions {
  p2p: P2P;
  chain: Chain;
  mempool: Mempool;
  intake: TxIntake;
  maxTxBytes: number;
  log: Logger;
  /** Overrides of the router's parameters (devnet: shorter epochs; a derived embargo). */
  params?: Partial<DandelionParams>;
}

/** The node's {@link TxRouter}: Dandelion++ over P2P (see the module doc). */
export class NodeDandelion implements TxRouter {
  readonly router: DandelionRouter;
  readonly #o: NodeDandelionOptions;
  /** Checked stem txs by txid hex (same keys as the stempool). */
  readonly #checked = new Map<string, CheckedTx>();
  /** Key image hex → txid hex of the stem tx spending it. */
  readonly #spends = new Map<string, string>();
  readonly #off: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Recent fluffs by this node (txid hex, reason, own?), newest last, at most 256: tests and logs, never RPC. */
  readonly fluffLog: { txid: string; reason: string; own: boolean }[] = [];
  /** Recent stem request durations in ms (send → relay answered), newest last, at most 256. */
  readonly hopDelays: number[] = [];

  constructor(o: NodeDandelionOptions) {
    this.#o = o;
    const p2p = o.p2p;
    this.router = new DandelionRouter({
      transport: {
        // stem relays come from peers WE dialled (paper §4.2); a node nobody lets it dial (only
        // inbound peers, e.g. everybody's bootstrap node) falls back to its inbound peers rather
        // than holding its own txs until the embargo (docs/node.md §Dandelion++)
        outboundPeers: () => {
          const all = p2p.peers();
          const out = all.filter((x) => x.direction === "outbound").map((x) => x.id);
          return out.length > 0 ? out : all.map((x) => x.id);
        },
        sendStem: (peer, txid, bytes) => this.#sendStem(peer, txid, bytes),
        fluff: (txid, bytes) => void this.#fluff(txid, bytes),
      },
      random: new CryptoRandom(),
      clock: () => Date.now(),
      ...(o.params === undefined ? {} : { params: o.params }),
      onEvent: (e) => {
        if (e.kind === "fluff") {
          this.fluffLog.push({ txid: e.txid, reason: e.reason, own: e.own });
          if (this.fluffLog.length > 256) this.fluffLog.shift();
          o.log.debug({ txid: e.txid, reason: e.reason, own: e.own }, "fluff");
        }
        if (e.kind === "epoch") o.log.debug({ epoch: e.index, relays: e.relays.length }, "dandelion epoch");
      },
    });
    p2p.registerProtocol({
      name: "stem",
      maxRequestBytes: o.maxTxBytes,
      maxResponseBytes: 0,
      maxInboundStreams: 16,
      handler: async (bytes, from) => {
        const v = await this.onStem(bytes, from);
        if (v === "REJECT") throw new ProtocolError("INVALID_TX", "stem transaction failed validation", "REJECT");
        return new Uint8Array(0);
      },
    });
  }

  /** Is `txid` held in the stempool (not public)? */
  holds(txid: Uint8Array): boolean {
    return this.router.stempool.has(hex(txid));
  }

  start(): void {
    const { p2p, chain } = this.#o;
    this.#off.push(p2p.on("peer:connect", (e) => this.router.onPeerConnected(e.id)));
    this.#off.push(p2p.on("peer:disconnect", (e) => this.router.onPeerDisconnected(e.id)));
    const onBlock = (b: CommittedBlock): void => {
      for (const id of b.txids) this.#seen(hex(id));
      for (const ki of b.keyImages) {
        const t = this.#spends.get(hex(ki));
        if (t !== undefined) this.#seen(t); // a conflicting tx won: drop the stem copy
      }
    };
    chain.listeners.add(onBlock);
    this.#off.push(() => void chain.listeners.delete(onBlock));
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    for (const f of this.#off.splice(0)) f();
  }

  info(): Record<string, number> {
    const e = this.router.epoch();
    return { epoch: e.index, stemRelays: e.relays.length };
  }

  /**
   * `submit_tx` with Dandelion++: full check (also against the stempool's key images), then the
   * router stems it. The tx is NOT in this node's mempool until it is fluffed.
   * @returns the txid (32 bytes)
   * @throws ConsensusError, AlreadyInPoolError, StemConflictError, NodeBusyError
   */
  async submitOwn(bytes: Uint8Array): Promise<Uint8Array> {
    const v = await this.#o.intake.check(bytes, { own: true });
    const id = hex(v.txid);
    this.#hold(id, v);
    const r = this.router.onOwnTx(id, v.bytes);
    this.#afterRoute(id, r);
    this.#o.log.debug({ txid: id, action: r.action }, "own tx routed");
    this.#schedule();
    return v.txid;
  }

  /** A stem tx from a peer: checked in full, then routed. */
  async onStem(bytes: Uint8Array, from: string): Promise<Verdict> {
    let id: string;
    try {
      id = hex(this.#o.intake.idOf(bytes));
    } catch (e) {
      return isConsensusError(e) ? e.action : "IGNORE";
    }
    if (this.router.stempool.has(id)) {
      // came back to us: the router detects the loop (no validation needed, we checked it)
      this.#afterRoute(id, this.router.onStemTx(from, id, bytes));
      return "ACCEPT";
    }
    if (this.#o.mempool.has(Buffer.from(id, "hex"))) return "IGNORE"; // already public
    let v: CheckedTx;
    try {
      v = await this.#o.intake.check(bytes);
      this.#hold(id, v);
    } catch (e) {
      if (!(e instanceof AlreadyInPoolError)) this.#o.log.debug({ peer: from, err: (e as Error).message }, "stem tx refused");
      return isConsensusError(e) ? e.action : "IGNORE";
    }
    this.#afterRoute(id, this.router.onStemTx(from, id, v.bytes));
    this.#schedule();
    return "ACCEPT";
  }

  /**
   * A fluffed tx seen on gossip. When the stempool holds the very same bytes, the checked copy
   * leaves the stempool (its embargo stops) and is returned for the mempool; otherwise nothing
   * changes here (a copy with another Tx-PoW nonce has the same txid but must not cancel ours).
   */
  takeFluffed(txid: Uint8Array, bytes: Uint8Array): CheckedTx | undefined {
    const id = hex(txid);
    const v = this.#checked.get(id);
    if (v === undefined || !this.router.stempool.has(id) || Buffer.compare(Buffer.from(v.bytes), Buffer.from(bytes)) !== 0) return undefined;
    this.#seen(id);
    return v;
  }

  #seen(id: string): void {
    this.router.onFluffSeen(id);
    this.#forget(id, false);
  }

  #hold(id: string, v: CheckedTx): void {
    for (const [i, input] of v.tx.inputs.entries()) {
      const other = this.#spends.get(hex(input.keyImage));
      if (other !== undefined && other !== id) throw new StemConflictError(`inputs[${i}].keyImage: used by a stem transaction`);
    }
    this.#checked.set(id, v);
    for (const input of v.tx.inputs) this.#spends.set(hex(input.keyImage), id);
  }

  #forget(id: string, keepChecked: boolean): void {
    const v = this.#checked.get(id);
    if (v === undefined) return;
    if (!keepChecked) this.#checked.delete(id);
    for (const input of v.tx.inputs) if (this.#spends.get(hex(input.keyImage)) === id) this.#spends.delete(hex(input.keyImage));
  }

  #afterRoute(id: string, r: RouteOutcome): void {
    if (r.action === "rejected") this.#forget(id, false);
    // "duplicate": already held or fluffed; "fluffed": #fluff ran (it used the checked copy)
  }

  #sendStem(peer: string, txid: string, bytes: Uint8Array): boolean {
    const { p2p, log } = this.#o;
    if (!p2p.peers().some((x) => x.id === peer)) return false;
    const t0 = performance.now();
    // a refused stream (the relay's inbound stream limit under a burst) is retried twice after a
    // short pause; a relay that stays silent is covered by the embargo
    const send = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          await p2p.request(peer, "stem", bytes, { timeoutMs: 10_000 });
          return;
        } catch (e) {
          const remote = (e as { code?: string }).code === "REMOTE_ERROR";
          if (remote || attempt >= 2 || this.#stopped || !p2p.peers().some((x) => x.id === peer)) throw e;
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        }
      }
    };
    void send().then(
      () => {
        const ms = performance.now() - t0;
        this.hopDelays.push(ms);
        if (this.hopDelays.length > 256) this.hopDelays.shift();
        log.debug({ txid, hopMs: Math.round(ms * 100) / 100 }, "stem hop");
      },
      (e: unknown) => log.debug({ txid, peer, err: (e as Error).message }, "stem relay failed (the embargo covers it)"),
    );
    return true;
  }

  /** The router fluffs: the tx becomes public (mempool) and is gossiped. */
  async #fluff(txid: string, bytes: Uint8Array): Promise<void> {
    const { intake, p2p, log } = this.#o;
    const v = this.#checked.get(txid);
    this.#forget(txid, false);
    try {
      if (v !== undefined) {
        await intake.recheckAgainstChain(v.tx);
        intake.accept(v);
      } else await intake.submit(bytes);
    } catch (e) {
      if (!(e instanceof AlreadyInPoolError)) {
        log.debug({ txid, err: (e as Error).message }, "fluff: tx no longer valid, dropped");
        return;
      }
    }
    await p2p.publish("tx", bytes).catch((e: unknown) => log.debug({ txid, err: (e as Error).message }, "fluff publish failed"));
  }

  #schedule(): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const wait = Math.max(5, Math.min(1000, this.router.nextDeadline() - Date.now()));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      try {
        this.router.tick();
      } catch (e) {
        this.#o.log.warn({ err: (e as Error).message }, "dandelion tick failed");
      }
      this.#schedule();
    }, wait);
    this.#timer.unref();
  }
}
