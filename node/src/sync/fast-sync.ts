/**
 * Verified fast sync from the cascade (docs/sync.md §3–§4): a fresh node downloads a peer's
 * latest snapshot (`snapshot` protocol), which carries the peer's cascade (the headers ≤ H − D at
 * rising levels), the header-MMR peaks and output counts up to its tip, the recent window of
 * headers with their finality certificates and the body of block H; checks the cascade and the
 * window (window.ts), ties the window's first validator set to the certified set changes from
 * genesis (set-chain.ts: the light client's chain, so only the genesis set is trusted), then the
 * snapshot against header H; writes the store (snapshot-write.ts).
 * Neither the headers 1 ..= H − D nor any block is downloaded or replayed. A peer whose data fails
 * a check is reported (`REJECT`) and the next peer is tried.
 * @module
 */
import { ProtocolError, type P2P } from "@baios/p2p";
import { blockHash, verifyFinalityCertificate, type Block, type CascadeParams, type FinalityCertificate, type Validator } from "@baios/consensus";
import { decodeStatus } from "../net/wire.ts";
import { checkUnlockHeights, decodeSnapshot, FastSyncError, verifySnapshot } from "./snapshot.ts";
import { verifyCascadeWindow } from "./window.ts";
import { decodeSnapshotChunk, encodeSnapshotRequest, SNAPSHOT_CHUNK_BYTES, SNAPSHOT_RESPONSE_PREFIX } from "./snapshot-protocol.ts";
import { writeSnapshotStore } from "./snapshot-write.ts";
import { checkWindowStart, fetchSetChain, SET_CHAIN_RESPONSE_MAX, type SetChainHead } from "./set-chain.ts";

/**
 * Registers the request protocols a fast-syncing node asks for (`status`, `headers`, `blocks`,
 * `snapshot`, `set-chain`) on a bare P2P that has no chain yet, with the response caps of node/src/net/p2pnode.ts;
 * it serves nothing (`NOT_FOUND`).
 * @param maxBlockBytes the chain's `maxBlockBytes` (the `blocks` cap is `max(8 MiB, maxBlockBytes + 65 536 + 64)`)
 */
export function registerClientProtocols(p2p: Pick<P2P, "registerProtocol">, maxBlockBytes: number): void {
  const none = async (): Promise<Uint8Array> => {
    throw new ProtocolError("NOT_FOUND", "this node is fast-syncing and serves nothing yet");
  };
  p2p.registerProtocol({ name: "status", maxRequestBytes: 0, maxResponseBytes: 48, handler: none });
  p2p.registerProtocol({ name: "headers", maxRequestBytes: 12, maxResponseBytes: 1 << 20, handler: none });
  p2p.registerProtocol({ name: "blocks", maxRequestBytes: 12, maxResponseBytes: Math.max(8 << 20, maxBlockBytes + 65_536 + 64), handler: none });
  p2p.registerProtocol({ name: "snapshot", maxRequestBytes: 12, maxResponseBytes: SNAPSHOT_RESPONSE_PREFIX + SNAPSHOT_CHUNK_BYTES, handler: none });
  p2p.registerProtocol({ name: "set-chain", maxRequestBytes: 16, maxResponseBytes: SET_CHAIN_RESPONSE_MAX, handler: none });
}

/** Inputs of {@link fastSync}. */
export interface FastSyncOptions {
  p2p: Pick<P2P, "peers" | "request" | "reportPeer">;
  /** `<dataDir>/chain`; must not exist yet. */
  chainDir: string;
  chainId: number;
  genesis: Block;
  genesisCertificate: FinalityCertificate;
  genesisValidators: readonly Validator[];
  /** The chain's `coinbaseMaturity` (blocks): bounds the unlock heights (docs/sync.md §1). */
  coinbaseMaturity: bigint;
  /** The chain's cascade parameters (levels, K, D = unbondingDelay + epochLength; cascade-store.ts `nodeCascadeParams`). */
  cascadeParams: CascadeParams;
  /** The chain's `blockTargetMax`: enables the cascade's work checks (window.ts; docs/sync.md §3.4). */
  blockTargetMax?: Uint8Array;
  /**
   * The verified set chain from genesis to block `to` (the window start b + 1; set-chain.ts). {@link fastSync}
   * fetches it from its peers; without it a snapshot whose window starts above genesis is refused.
   */
  setChain?: (to: number) => Promise<SetChainHead>;
  /** Called after each store batch (tests crash here). */
  onBatch?: (written: number) => void | Promise<void>;
}

/** What a fast sync did, with timings in ms. */
export interface FastSyncResult {
  peer: string;
  height: number;
  snapshotBytes: number;
  timings: { download: number; verify: number; write: number };
}

/**
 * Bootstraps `chainDir` from the first peer that serves a snapshot that verifies.
 * @throws FastSyncError from the last peer tried when none verified; Error when no peer answered
 */
export async function fastSync(o: FastSyncOptions): Promise<FastSyncResult> {
  let last: unknown = new Error("no peers");
  for (const peer of o.p2p.peers().map((p) => p.id)) {
    try {
      return await fromPeer(o, peer);
    } catch (e) {
      last = e;
      if (e instanceof FastSyncError) o.p2p.reportPeer(peer, "REJECT", `fast sync: ${e.message}`);
    }
  }
  throw last;
}

async function fromPeer(o: FastSyncOptions, peer: string): Promise<FastSyncResult> {
  const t0 = performance.now();
  await decodeStatus(await o.p2p.request(peer, "status", new Uint8Array(0), { timeoutMs: 5000 }));
  // the snapshot, chunk by chunk (height fixed by the first answer)
  const first = decodeSnapshotChunk(await o.p2p.request(peer, "snapshot", encodeSnapshotRequest(0n, 0), { timeoutMs: 60_000 }));
  const bytes = new Uint8Array(first.totalBytes);
  bytes.set(first.data, 0);
  for (let c = 1; c < first.nChunks; c++) {
    const ch = decodeSnapshotChunk(await o.p2p.request(peer, "snapshot", encodeSnapshotRequest(first.height, c), { timeoutMs: 60_000 }));
    if (ch.height !== first.height || ch.chunk !== c || ch.totalBytes !== first.totalBytes) throw new FastSyncError("SNAPSHOT_MALFORMED", `chunk ${c} does not continue the snapshot`);
    bytes.set(ch.data, c * SNAPSHOT_CHUNK_BYTES);
  }
  const H = Number(first.height);
  const t1 = performance.now();
  const others = o.p2p.peers().map((p) => p.id).filter((id) => id !== peer);
  const t = await installSnapshot({ setChain: (to) => fetchSetChain(o.p2p, [peer, ...others], { chainId: o.chainId, genesis: o.genesis.header, genesisValidators: o.genesisValidators }, to), ...o }, bytes);
  return { peer, height: H, snapshotBytes: bytes.length, timings: { download: t1 - t0, ...t } };
}

/**
 * Verifies a downloaded snapshot (with its cascade, window and block H) and writes the store (no network).
 * @returns the verify and write times (ms)
 * @throws FastSyncError on the first failed check (`SET_CHAIN_*` for the set chain)
 */
export async function installSnapshot(o: Omit<FastSyncOptions, "p2p"> & { batchOps?: number }, bytes: Uint8Array): Promise<{ verify: number; write: number }> {
  const t1 = performance.now();
  const snapshot = decodeSnapshot(bytes);
  if (snapshot.height < 1n) throw new FastSyncError("SNAPSHOT_WRONG_BLOCK", "a snapshot of genesis");
  const trust = { chainId: o.chainId, genesis: o.genesis.header, genesisHash: blockHash(o.genesis.header), genesisValidators: o.genesisValidators, cascadeParams: o.cascadeParams, ...(o.blockTargetMax === undefined ? {} : { blockTargetMax: o.blockTargetMax }) };
  const window = await verifyCascadeWindow(trust, snapshot, (c, set) => verifyFinalityCertificate(c.certificate, { chainId: o.chainId, height: c.header.height, blockHash: c.hash, validatorSet: set }));
  const top = window.headers.at(-1);
  if (top === undefined) throw new FastSyncError("SNAPSHOT_WRONG_BLOCK", "an empty window");
  // the window's first set must be the one the certified set changes from genesis reach (docs/sync.md §3.4)
  let setChain: SetChainHead | undefined;
  if (window.base > 0) {
    if (o.setChain === undefined) throw new FastSyncError("SET_CHAIN_UNAVAILABLE", `no set chain to the window start ${window.base + 1}`);
    setChain = await o.setChain(window.base + 1);
    checkWindowStart(setChain, window.headers[0] as (typeof window.headers)[0]);
  }
  const verified = await verifySnapshot(snapshot, top.header, top.hash);
  checkUnlockHeights(snapshot, o.genesis, window.cumulativeOutputs, o.coinbaseMaturity);
  const t2 = performance.now();
  await writeSnapshotStore({ chainDir: o.chainDir, genesis: o.genesis, genesisCertificate: o.genesisCertificate, window, verified, setChainSteps: setChain?.steps ?? [], ...(o.onBatch === undefined ? {} : { onBatch: o.onBatch }), ...(o.batchOps === undefined ? {} : { batchOps: o.batchOps }) });
  const t3 = performance.now();
  return { verify: t2 - t1, write: t3 - t2 };
}
