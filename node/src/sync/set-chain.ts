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
 *   (node/src/rpc/light.ts). A height the node does not keep (pruned): `NOT_FOUND`.
 * @module
 */
import { ProtocolError, type P2P } from "@baios/p2p";
import {
  blockHash,
  decodeCertificate,
  decodeHeader,
  decodeInclusionProof,
  equalBytes,
  fromHex,
  headerLeafHash,
  makeValidatorSet,
  validatorSetBytes,
  verifyFinalityCertificate,
  verifyInclusionProof,
  type BlockHeader,
  type Validator,
  type ValidatorSet,
} from "@baios/consensus";
import type { LightStepJson, LightUpdateResult } from "@baios/api";
import { buildLightUpdate } from "@baios/api/light-update";
import type { Chain } from "../chain.ts";
import { chainLightSource } from "../rpc/light.ts";
import { FastSyncError } from "./snapshot.ts";

/** Largest `set-chain` response: 4 MiB. */
export const SET_CHAIN_RESPONSE_MAX = 4 << 20;

/** Where a verified set chain ends: block `height` (hash recomputed) and the set that finalizes `height + 1`. */
export interface SetChainHead {
  height: bigint;
  hash: Uint8Array;
  header: BlockHeader;
  set: ValidatorSet;
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
const hex = (v: unknown, what: string): Uint8Array => (typeof v === "string" && /^(?:[0-9a-f]{2})*$/.test(v) ? fromHex(v) : bad(`${what}: not lowercase hex`));

/** `validatorSetBytes` back to a set; the bytes must be the set's own encoding. */
function decodeSet(b: Uint8Array, what: string): ValidatorSet {
  const n = b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : -1;
  if (b.length !== 4 + 40 * n) bad(`${what}: ${b.length} bytes of validator set`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const list: Validator[] = Array.from({ length: n }, (_, i) => ({ publicKey: b.slice(4 + 40 * i, 36 + 40 * i), stake: v.getBigUint64(36 + 40 * i, true) }));
  let set: ValidatorSet | undefined;
  try {
    set = makeValidatorSet(list);
  } catch (e) {
    bad(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!equalBytes(validatorSetBytes((set as ValidatorSet).validators), b)) bad(`${what}: not the canonical encoding`);
  return set as ValidatorSet;
}

/**
 * Verifies one step against the verified head `t` (the light client's step, docs/light-client.md
 * §2.2): chain id, height above `t`, `validatorsHash` = the set in force (a set change was not
 * skipped), the finality certificate by that set (`verifyFinalityCertificate`, > 2/3 of its stake),
 * `link` proves `t`'s hash at leaf `t.height` of this header's `headerRoot` (it extends the
 * verified chain), and a set change comes with the next set hashing to `nextValidatorsHash`.
 * @throws FastSyncError `SET_CHAIN_INVALID`
 */
export function verifySetChainStep(t: SetChainHead, s: LightStepJson, chainId: number): SetChainHead {
  let header: BlockHeader | undefined;
  try {
    header = decodeHeader(hex(s.header, "header"));
  } catch (e) {
    if (e instanceof FastSyncError) throw e;
    bad(`header: ${e instanceof Error ? e.message : String(e)}`);
  }
  const h = header as BlockHeader;
  const at = `set chain block ${h.height}`;
  if (h.chainId !== chainId) bad(`${at}: chain id ${h.chainId}`);
  if (h.height <= t.height) bad(`${at} is not above ${t.height}`);
  if (!equalBytes(h.validatorsHash, t.set.hash)) bad(`${at} names a validator set other than the one in force: a set change was skipped`);
  const hash = blockHash(h);
  try {
    verifyFinalityCertificate(decodeCertificate(hex(s.certificate, "certificate")), { chainId, height: h.height, blockHash: hash, validatorSet: t.set });
  } catch (e) {
    if (e instanceof FastSyncError) throw e;
    bad(`${at}: certificate: ${e instanceof Error ? e.message : String(e)}`);
  }
  const link = decodeInclusionProof(hex(s.link, "link"));
  if (link === undefined || link.leafIndex !== t.height || !verifyInclusionProof(h.headerRoot, h.height, headerLeafHash(t.height, t.hash), link)) bad(`${at}: its headerRoot does not commit to block ${t.height}`);
  if (equalBytes(h.nextValidatorsHash, h.validatorsHash)) {
    if (s.nextValidators !== undefined) bad(`${at}: a next set is served but the header changes no set`);
    return { height: h.height, hash, header: h, set: t.set };
  }
  if (s.nextValidators === undefined) bad(`${at} changes the validator set but no next set is served`);
  const next = decodeSet(hex(s.nextValidators, "nextValidators"), at);
  if (!equalBytes(next.hash, h.nextValidatorsHash)) bad(`${at}: the next set does not hash to nextValidatorsHash`);
  return { height: h.height, hash, header: h, set: next };
}

/** Folds {@link verifySetChainStep} over `steps` from `t`. @throws FastSyncError `SET_CHAIN_INVALID` */
export function verifySetChainSteps(t: SetChainHead, steps: readonly LightStepJson[], chainId: number): SetChainHead {
  for (const s of steps) t = verifySetChainStep(t, s, chainId);
  return t;
}

/** The start of every set chain: genesis and its set. @throws FastSyncError `SET_CHAIN_INVALID` */
export function genesisSetChainHead(genesis: BlockHeader, validators: readonly Validator[]): SetChainHead {
  let set: ValidatorSet | undefined;
  try {
    set = makeValidatorSet(validators);
  } catch (e) {
    bad(`genesis set: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!equalBytes((set as ValidatorSet).hash, genesis.validatorsHash)) bad("the genesis validators do not hash to the genesis validatorsHash");
  return { height: 0n, hash: blockHash(genesis), header: genesis, set: set as ValidatorSet };
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
      while (t.height < BigInt(to)) {
        const raw = await p2p.request(peer, "set-chain", encodeSetChainRequest(Number(t.height), to), { timeoutMs: 30_000 });
        let r: LightUpdateResult | undefined;
        try {
          r = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) as LightUpdateResult;
        } catch {
          bad("the answer is not JSON");
        }
        const steps = (r as LightUpdateResult).steps;
        if (!Array.isArray(steps) || steps.length === 0) bad(`no steps above ${t.height}`);
        t = verifySetChainSteps(t, steps, o.chainId);
        if (t.height > BigInt(to)) bad(`the set chain passes ${to}`);
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
  if (head.height !== first.header.height) throw new FastSyncError("SET_CHAIN_MISMATCH", `the set chain ends at ${head.height}, the window starts at ${first.header.height}`);
  if (!equalBytes(first.hash, head.hash)) throw new FastSyncError("SET_CHAIN_MISMATCH", `the window's first header (${first.header.height}) is not the one the certified set changes from genesis lead to: its validator set is not the certified one`);
}
