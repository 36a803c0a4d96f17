/**
 * `get_light_update { from, to? }` (docs/light-client.md §3): the certified headers a light client
 * needs to move its verified head from `from` to `to` — every validator-set change in between, with
 * the new set, then block `to` — built by `buildLightUpdate` of `@baios/light-client/serve` over
 * this node's store.
 *
 * Finding the changes costs O(changes), not O(blocks): the staking record of height h starts with
 * `setStart` (the first height of the set that finalizes h + 1, node/src/consensus/executor.ts),
 * so the change before h is at `setStart − 1`; the walk goes back from `to` record by record. Where
 * a record is missing the headers are read one by one instead. A pruned node keeps the records at
 * c − 1 and c of every set change c (node/src/prune.ts), so the walk also works below its state tail.
 * A fast-synced node has no staking records below its snapshot height H; it has the `L` records of
 * every change ≤ H (node/src/store/set-change-records.ts): the changes in `(from, min(to, H)]` are
 * one key-range scan of them, the walk above covers `(H, to]`, and the set after a change is read
 * from `S` or else `L`.
 * @module
 */
import { decodeStakingState, equalBytes, type Validator } from "@baios/consensus";
import { buildLightUpdate, type LightUpdateSource } from "@baios/api/light-update";
import type { LightUpdateResult } from "@baios/api";
import type { Chain } from "../chain.ts";
import { setChangeCover, setChangeHeights, setChangeValidators } from "../store/set-change-records.ts";
import { parseUint, paramsObject } from "./convert.ts";
import { rpcError } from "./errors.ts";

export type { LightUpdateResult };

/** Most staking records or headers one call reads to find set changes (bounds the work of a call). */
export const LIGHT_UPDATE_MAX_READS = 100_000;

const setStartOf = (rec: Uint8Array): number => Number(new DataView(rec.buffer, rec.byteOffset, 8).getBigUint64(0, true));

/** Set-change heights in `(from, to]`, ascending: the `L` records up to their cover, the walk above it (module doc). @throws JSON-RPC PRUNED / LIMIT_EXCEEDED */
async function setChanges(chain: Chain, from: number, to: number): Promise<number[]> {
  const cover = await setChangeCover(chain.store);
  if (cover === undefined || from >= cover) return walkSetChanges(chain, from, to);
  const below = await setChangeHeights(chain.store, from, Math.min(to, cover));
  return to > cover ? [...below, ...(await walkSetChanges(chain, cover, to))] : below;
}

/** Set-change heights in `(from, to]` by the staking-record walk (module doc). @throws JSON-RPC PRUNED / LIMIT_EXCEEDED */
async function walkSetChanges(chain: Chain, from: number, to: number): Promise<number[]> {
  const found: number[] = [];
  let reads = 0;
  let h = to;
  while (h > from) {
    if (++reads > LIGHT_UPDATE_MAX_READS) throw rpcError("LIMIT_EXCEEDED", `more than ${LIGHT_UPDATE_MAX_READS} reads to find the set changes in (${from}, ${to}]; ask with a lower to`);
    const rec = await chain.store.getStaking(h);
    if (rec === undefined) {
      // record pruned: read the headers of (from, h]
      for (let x = h; x > from; x--) {
        if (++reads > LIGHT_UPDATE_MAX_READS) throw rpcError("LIMIT_EXCEEDED", `more than ${LIGHT_UPDATE_MAX_READS} reads to find the set changes in (${from}, ${to}]; ask with a lower to`);
        const hd = await chain.header(x);
        if (hd === undefined) throw rpcError("PRUNED", `header ${x} is pruned on this node: a light client starting below it needs an archive node`, { code: "PRUNED", tail: chain.store.tail });
        if (!equalBytes(hd.nextValidatorsHash, hd.validatorsHash)) found.push(x);
      }
      break;
    }
    const change = setStartOf(rec) - 1;
    if (change <= from) break;
    found.push(change);
    h = change - 1;
  }
  return found.sort((a, b) => a - b);
}

/** The {@link LightUpdateSource} of a node's chain. */
export function chainLightSource(chain: Chain): LightUpdateSource {
  const need = <T>(v: T | undefined, what: string, height: number): T => {
    if (v === undefined) throw rpcError("PRUNED", `${what} ${height} is not kept on this node: ask an archive node`, { code: "PRUNED", tail: chain.store.tail });
    return v;
  };
  return {
    tipHeight: () => chain.tip.height,
    header: async (h) => need(await chain.header(h), "header", h),
    certificate: async (h) => need(await chain.certificate(h), "certificate", h),
    nextValidators: async (h): Promise<readonly Validator[]> => {
      const rec = await chain.store.getStaking(h);
      if (rec !== undefined) return decodeStakingState(rec.subarray(8)).nextValidatorSet.validators;
      return need(await setChangeValidators(chain.store, h), "staking record", h);
    },
    setChanges: (from, to) => setChanges(chain, from, to),
    headerProof: async (height, at) => {
      try {
        return await chain.headerMmr.proof(BigInt(height), BigInt(at));
      } catch {
        throw rpcError("PRUNED", `no header-MMR proof of block ${height} at ${at} on this node: ask an archive node`, { code: "PRUNED", tail: chain.store.tail });
      }
    },
  };
}

/**
 * The `get_light_update` method: params `{ from, to? }` (heights; `to` defaults to the tip and is
 * clipped to it).
 * @throws JSON-RPC INVALID_PARAMS (malformed params), NOT_FOUND (`from` above the tip), PRUNED,
 *   LIMIT_EXCEEDED
 */
export async function getLightUpdate(chain: Chain, params: unknown): Promise<LightUpdateResult> {
  const p = paramsObject(params);
  const from = parseUint(p["from"], "from");
  const to = p["to"] === undefined ? undefined : parseUint(p["to"], "to");
  if (from > chain.tip.height) throw rpcError("NOT_FOUND", `from ${from} is above the tip ${chain.tip.height}`);
  return buildLightUpdate(chainLightSource(chain), from, to);
}
