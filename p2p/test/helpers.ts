/** Test helpers: real libp2p nodes on loopback TCP. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createP2P, type P2P, type P2POptions } from "../src/index.ts";

export const CHAIN = 0xba105;

/** Tracks nodes and temp dirs so `cleanup()` stops/removes them all. */
export class Nodes {
  readonly #nodes: P2P[] = [];
  readonly #dirs: string[] = [];
  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), "baios-p2p-"));
    this.#dirs.push(d);
    return d;
  }
  /** Creates (not started) a node with a fresh data dir listening on a free loopback port. */
  async create(opts: Partial<P2POptions> = {}): Promise<P2P> {
    const p = await createP2P({ chainId: CHAIN, dataDir: await this.dir(), listen: ["/ip4/127.0.0.1/tcp/0"], bootstrap: [], ...opts });
    this.#nodes.push(p);
    return p;
  }
  async cleanup(): Promise<void> {
    await Promise.allSettled(this.#nodes.map((n) => n.stop()));
    await Promise.allSettled(this.#dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Polls `f` every 50 ms until it returns true or `ms` passes; returns its last value. */
export async function until(f: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await f()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
