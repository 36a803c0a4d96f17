/**
 * The validator-set chain of a fast sync (docs/sync.md §3.4): the certified headers from genesis
 * up to the window start b + 1 (b = the cascade tip) at which the validator set changes, then
 * block b + 1, each with its finality certificate by the set in force, the new set, and a
 * header-MMR link to the step before — the light client's update (docs/light-client.md §2–§3), so a fast-synced node trusts only the
 * genesis and its validator set (plus weak subjectivity), not the snapshot peer's set.
 *
 * `set-chain` request protocol (next to `snapshot`, docs/sync.md §5):
 * - request, 16 bytes: `u64be from ‖ u64be to` (heights, `from < to`);
 * - response: UTF-8 JSON of `get_light_update { from, to }` (`LightUpdateResult` of `@baios/api`:
 *   hex of `encodeHeader` / `encodeCertificate` / `validatorSetBytes` / `encodeInclusionProof`),
 *   at most {@link SET_CHAIN_RESPONSE_MAX} bytes and `LIGHT_UPDATE_MAX_STEPS` steps (`complete`
 *   false: ask again from the last step). Built by `buildLightUpdate` over `chainLightSource`
 *   (node/src/rpc/light.ts). A height the node does not keep (pruned): `NOT_FOUND`. Archive, pruned
 *   and fast-synced nodes serve it from genesis (a fast-synced one from the set chain it verified
 *   and kept: set-chain-records.ts), so a node can fast-sync from a fast-synced node.
 * @module
 */
import { ProtocolError, type P2P } from "@baios/p2p";
import { decodeLightStep, equalBytes, genesisLightHead, isConsensusError, verifyLightStep, type BlockHeader, type LightHead, type LightStep, type Validator } from "@baios/consensus";
import type { LightUpdateResult } from "@baios/api";
import { buildLightUpdate } from "@baios/api/light-update";
import type { Chain } from "../chain.ts";
import { chainLightSource } from "../rpc/light.ts";
import { FastSyncError } from "./snapshot.ts";

/** Largest `set-chain` response: 4 MiB. */
export const SET_CHAIN_RESPONSE_MAX = 4 << 20;

/**
 * Where a verified set chain ends: block `header` (hash recomputed) and the set that finalizes the
 * next block (`LightHead` of `@baios/consensus`), with the verified steps from genesis that led
 * there, in order (the fast-synced node stores them: set-chain-records.ts).
 */
export interface SetChainHead extends LightHead {
  readonly steps: readonly LightStep[];
}

export function encodeSetChainRequest(from: number, to: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(from));
  v.setBigUint64(8, BigInt(to));
  return out;
}

/** Answers one `set-chain` request from `chain`. @throws ProtocolError `BAD_REQUEST` (REJECT), `NOT_FOUND` */
export async function serveSetChain(chain: Chain, req: Uint8Array): Promise<Uint8Array> {
  if (req.length !== 16) throw new ProtocolError("BAD_REQUEST", "set-chain request is 16 bytes", "REJECT");
  const v = new DataView(req.buffer, req.byteOffset, 16);
  const [from, to] = [Number(v.getBigUint64(0)), Number(v.getBigUint64(8))];
  if (from >= to || to > chain.tip.height) throw new ProtocolError("NOT_FOUND", `no set chain (${from}, ${to}] at tip ${chain.tip.height}`);
  let r: LightUpdateResult;
  try {
    r = await buildLightUpdate(chainLightSource(chain), from, to);
  } catch (e) {
    throw new ProtocolError("NOT_FOUND", `set chain (${from}, ${to}]: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = new TextEncoder().encode(JSON.stringify(r));
  if (out.length > SET_CHAIN_RESPONSE_MAX) throw new ProtocolError("NOT_FOUND", `set chain (${from}, ${to}] is ${out.length} bytes`);
  return out;
}

/** Registers the `set-chain` protocol on `p2p`, served from `chain`. */
export function registerSetChainProtocol(p2p: Pick<P2P, "registerProtocol">, chain: Chain): void {
  p2p.registerProtocol({ name: "set-chain", maxRequestBytes: 16, maxResponseBytes: SET_CHAIN_RESPONSE_MAX, maxInboundStreams: 2, handler: (b) => serveSetChain(chain, b) });
}

const bad = (m: string): never => {
  throw new FastSyncError("SET_CHAIN_INVALID", m);
};

/** Runs a step of the shared check (`@baios/consensus` light/step.ts), its `LIGHT_*` refusal as `SET_CHAIN_INVALID` (reason: the consensus code and reason). */
function asSetChain<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isConsensusError(e)) return bad(`${e.code}: ${e.reason}`);
    throw e;
  }
}

/**
 * Verifies one step against the verified head `t`: `decodeLightStep` and `verifyLightStep` of
 * `@baios/consensus` (the light client's step, docs/light-client.md §2.2): chain id, height above
 * `t`, `validatorsHash` = the set in force (a set change was not skipped), the finality certificate
 * by that set (> 2/3 of its stake), `link` proves `t`'s hash at leaf `t.header.height` of this header's
 * `headerRoot` (it extends the verified chain), a set change comes with the next set hashing to
 * `nextValidatorsHash`.
 * @throws FastSyncError `SET_CHAIN_INVALID`
 */
export function verifySetChainStep(t: SetChainHead, s: unknown, chainId: number): SetChainHead {
  return verifySetChainSteps(t, [s], chainId);
}

/** Folds {@link verifySetChainStep} over `steps` from `t`; the result's `steps` are `t.steps` and these. @throws FastSyncError `SET_CHAIN_INVALID` */
export function verifySetChainSteps(t: SetChainHead, steps: readonly unknown[], chainId: number): SetChainHead {
  let head: LightHead = t;
  const done: LightStep[] = [...t.steps];
  for (const s of steps) {
    const step = asSetChain(() => decodeLightStep(s, `set chain step above ${head.header.height}`));
    head = asSetChain(() => verifyLightStep(head, step, chainId));
    done.push(step);
  }
  return { ...head, steps: done };
}

/** The start of every set chain: genesis and its set (`genesisLightHead`). @throws FastSyncError `SET_CHAIN_INVALID` */
export function genesisSetChainHead(genesis: BlockHeader, validators: readonly Validator[]): SetChainHead {
  return { ...asSetChain(() => genesisLightHead(genesis, validators)), steps: [] };
}

/**
 * Fetches and verifies the set chain from genesis to block `to` (the window start b + 1): from `peers` in
 * order (the snapshot's peer first), the next on `NOT_FOUND` or a failed request. Every answer is
 * verified step by step from genesis; it must end at `to`.
 * @returns the verified head at `to` with the set that finalizes `to + 1`
 * @throws FastSyncError `SET_CHAIN_INVALID` (no peer served one that verifies; each that served a
 *   failing one is reported `REJECT`), `SET_CHAIN_UNAVAILABLE` (no peer served it)
 */
export async function fetchSetChain(p2p: Pick<P2P, "request" | "reportPeer">, peers: readonly string[], o: { chainId: number; genesis: BlockHeader; genesisValidators: readonly Validator[] }, to: number): Promise<SetChainHead> {
  const why: string[] = [];
  let invalid: FastSyncError | undefined;
  for (const peer of peers) {
    let t = genesisSetChainHead(o.genesis, o.genesisValidators);
    try {
      while (t.header.height < BigInt(to)) {
        const raw = await p2p.request(peer, "set-chain", encodeSetChainRequest(Number(t.header.height), to), { timeoutMs: 30_000 });
        let r: LightUpdateResult | undefined;
        try {
          r = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) as LightUpdateResult;
        } catch {
          bad("the answer is not JSON");
        }
        const steps = (r as LightUpdateResult).steps;
        if (!Array.isArray(steps) || steps.length === 0) bad(`no steps above ${t.header.height}`);
        t = verifySetChainSteps(t, steps, o.chainId);
        if (t.header.height > BigInt(to)) bad(`the set chain passes ${to}`);
      }
      return t;
    } catch (e) {
      if (e instanceof FastSyncError) {
        p2p.reportPeer(peer, "REJECT", `set chain: ${e.message}`);
        invalid = e;
        continue;
      }
      why.push(`${peer}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (invalid !== undefined) throw invalid;
  throw new FastSyncError("SET_CHAIN_UNAVAILABLE", `no peer served the set chain to ${to}: ${why.join("; ") || "no peers"}`);
}

/**
 * Ties a verified window to the set chain, which ends at the window's first header b + 1: the same
 * height and hash. The set chain's last step checked that header's `validatorsHash` against the
 * set reached from genesis, its certificate by that set, and (its link) that the last set-change
 * header is a leaf of its `headerRoot`; so the set the window's certificates were checked against
 * is the certified one.
 * @throws FastSyncError `SET_CHAIN_MISMATCH`
 */
export function checkWindowStart(head: SetChainHead, first: { header: BlockHeader; hash: Uint8Array }): void {
  if (head.header.height !== first.header.height) throw new FastSyncError("SET_CHAIN_MISMATCH", `the set chain ends at ${head.header.height}, the window starts at ${first.header.height}`);
  if (!equalBytes(first.hash, head.hash)) throw new FastSyncError("SET_CHAIN_MISMATCH", `the window's first header (${first.header.height}) is not the one the certified set changes from genesis lead to: its validator set is not the certified one`);
}
