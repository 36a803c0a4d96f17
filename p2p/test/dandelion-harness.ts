/** Test harness: a DandelionRouter over a recording fake transport with a manual clock. */
import { DandelionRouter, SeededRandom, type DandelionEvent, type DandelionParams } from "../src/dandelion/index.ts";

export interface Harness {
  router: DandelionRouter;
  peers: string[];
  sent: Array<{ peer: string; txid: string; at: number }>;
  fluffs: string[];
  events: DandelionEvent[];
  failing: Set<string>;
  now(): number;
  advance(ms: number): void;
}

export const TX = new Uint8Array(1758);

export function harness(opts: { peers?: string[]; seed?: number; params?: Partial<DandelionParams> } = {}): Harness {
  let now = 1_000;
  const peers = opts.peers ?? ["a", "b", "c", "d", "e", "f", "g", "h"];
  const sent: Harness["sent"] = [];
  const fluffs: string[] = [];
  const events: DandelionEvent[] = [];
  const failing = new Set<string>();
  const router = new DandelionRouter({
    random: new SeededRandom(opts.seed ?? 1),
    clock: () => now,
    params: opts.params ?? {},
    onEvent: (e) => events.push(e),
    transport: {
      outboundPeers: () => peers,
      sendStem: (peer, txid) => {
        if (failing.has(peer)) return false;
        sent.push({ peer, txid, at: now });
        return true;
      },
      fluff: (txid) => {
        fluffs.push(txid);
      },
    },
  });
  return {
    router,
    peers,
    sent,
    fluffs,
    events,
    failing,
    now: () => now,
    advance(ms: number) {
      now += ms;
      router.tick(now);
    },
  };
}
