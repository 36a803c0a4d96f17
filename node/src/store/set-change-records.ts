/**
 * Set-change records of a fast-synced node (docs/pruning.md §Light-client records, docs/sync.md §4):
 * a pruned node finds the validator-set changes below its state tail through the staking records
 * `S` it keeps at c − 1 and c of every change c (../prune.ts). A fast-synced node never had those
 * states (the snapshot carries only the state at its height H); it has, from the verified set chain
 * and window, every change c ≤ H and the set that finalizes c + 1. It stores them as
 *
 * - `L ‖ u64be(c)` → `validatorSetBytes` of that set (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`,
 *   docs/protocol.md §9), one record per change c ≤ H;
 * - meta `setchain` → u64be(H): every set change at or below it has an `L` record (the records are
 *   complete up to there, so a key-range scan lists the changes).
 *
 * next to the header `h` and certificate `c` of each change and the header-MMR nodes `m` on the
 * links between them (the same records a pruned node keeps), so `get_light_update` and `set-chain`
 * (../rpc/light.ts) answer from genesis. Written only in the fast sync's staging store
 * (../sync/snapshot-write.ts), never changed afterwards; archive and pruned stores have none.
 * @module
 */
import { decodeValidatorSetBytes, type Validator } from "@baios/consensus";
import { metaKey, P_SET_CHANGE, readU64be, setChangeKey } from "./keys.ts";
import { StoreError, type Store } from "./store.ts";

/** Meta record name of the height up to which every set change has an `L` record. */
export const SET_CHAIN_COVER_META = "setchain";

/** The height up to which the `L` records list every set change, or undefined (not a fast-synced store). */
export async function setChangeCover(store: Store): Promise<number | undefined> {
  const v = await store.db.get(metaKey(SET_CHAIN_COVER_META));
  return v === undefined ? undefined : readU64be(v);
}

/**
 * The set that finalizes `height + 1`, when `height` is a set change with an `L` record.
 * @throws StoreError when the record does not decode (`validatorSetBytes`)
 */
export async function setChangeValidators(store: Store, height: number): Promise<readonly Validator[] | undefined> {
  const v = await store.db.get(setChangeKey(height));
  if (v === undefined) return undefined;
  try {
    return decodeValidatorSetBytes(v).validators;
  } catch (e) {
    throw new StoreError(`set-change record ${height}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Heights of the `L` records in `(from, to]`, ascending (one key-range scan, no values read). */
export async function setChangeHeights(store: Store, from: number, to: number): Promise<number[]> {
  if (to <= from) return [];
  const out: number[] = [];
  for await (const k of store.db.keys({ gt: setChangeKey(from), lte: setChangeKey(to) })) {
    if (k[0] !== P_SET_CHANGE) throw new StoreError("set-change scan left the L prefix");
    out.push(readU64be(k, 1));
  }
  return out;
}
