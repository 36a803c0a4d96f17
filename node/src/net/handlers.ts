/**
 * The node's network handlers (docs/node.md §Network): what the node does with each gossip
 * message, and which verdict it reports back for relaying and peer scoring.
 *
 * - transactions → {@link TxIntake} (the `submit_tx` pipeline); the verdict is `ACCEPT` or the
 *   `ConsensusError`'s action (`REJECT` penalises the sender, `IGNORE` does not);
 * - finalized blocks → {@link BlockImporter.onBlock} (certificate first, bounded catch-up);
 * - votes → the consensus engine (BFT issue; a placeholder until then).
 * @module
 */
import type { BlockMessage, Network, NetworkHandlers, Verdict } from "@baios/p2p";
import { isConsensusError } from "@baios/consensus";
import type { Chain, CommittedBlock } from "../chain.ts";
import type { BlockImporter } from "../import.ts";
import type { Logger } from "../log.ts";
import { AlreadyInPoolError } from "../mempool.ts";
import { NodeBusyError } from "../workers/busy.ts";
import type { TxIntake } from "./txrelay.ts";

/**
 * The verdict on a message whose handling threw `e`: a ConsensusError's own action
 * (`REJECT`/`IGNORE`), `IGNORE` for everything that is not the peer's fault (already known,
 * our queue is full, the tip moved).
 */
export function verdictOf(e: unknown): Verdict {
  if (isConsensusError(e)) return e.action;
  if (e instanceof NodeBusyError) return e.action; // our queue is full: not the peer's fault
  if (e instanceof AlreadyInPoolError) return "IGNORE";
  return "IGNORE";
}

/** The finalized block at `height` with its certificate as a network message, or undefined when not stored. */
export async function blockMessageAt(chain: Chain, height: number): Promise<BlockMessage | undefined> {
  const b = await chain.store.getBlock(height);
  const c = await chain.store.getCertificate(height);
  return b === undefined || c === undefined ? undefined : { block: b, certificate: c, round: 0 };
}

/** What {@link createHandlers} needs. */
export interface HandlerDeps {
  network: Network;
  intake: TxIntake;
  importer: BlockImporter;
  log: Logger;
  /** Fluffed transactions go through here (Dandelion++ takes a stem copy out of its stempool first). */
  onFluffTx?: (bytes: Uint8Array) => Promise<Verdict>;
  /** Stem-phase transactions (Dandelion++): checked in full, kept out of the mempool. */
  onStemTx?: (bytes: Uint8Array, from: string) => Promise<Verdict>;
}

/** The handlers the node registers on its {@link Network}. */
export function createHandlers(d: HandlerDeps): NetworkHandlers {
  const fluff =
    d.onFluffTx ??
    (async (bytes: Uint8Array): Promise<Verdict> => {
      try {
        await d.intake.submit(bytes);
        return "ACCEPT";
      } catch (e) {
        return verdictOf(e);
      }
    });
  return {
    onTx: async (msg, from) => (msg.phase === "stem" && d.onStemTx !== undefined ? d.onStemTx(msg.bytes, from) : fluff(msg.bytes)),
    onBlock: (msg, from) => d.importer.onBlock(msg, from, d.network),
    // votes travel on the libp2p `vote` topic (consensus/topics.ts); this legacy transport carries none
    onVote: async () => "IGNORE",
  };
}

/** Publishes each block this node commits as a validator (with its certificate); returns the unsubscribe function. */
export function announceOwnBlocks(chain: Chain, network: Network, log: Logger): () => void {
  const listener = (b: CommittedBlock): void => {
    void (async () => {
      const m = await blockMessageAt(chain, Number(b.height));
      if (m !== undefined) await network.publishBlock(m);
    })().catch((e: unknown) => log.warn({ err: (e as Error).message }, "block publish failed"));
  };
  chain.listeners.add(listener);
  return () => void chain.listeners.delete(listener);
}
