/**
 * The light client's checkpoint (docs/light-client.md §5): the last verified head, so that a
 * returning client verifies only what is new. Stored as JSON text through a pluggable
 * {@link CheckpointStore} (memory, `localStorage` in a browser, a file in Node via
 * `@baios/light-client/node`). JSON is used because the checkpoint is local state, never hashed
 * or signed: the consensus values inside it are canonical bytes (hex), and the members are always
 * written in the order of {@link CheckpointJson}.
 * @module
 */
import { blockHash, decodeHeader, encodeHeader, equalBytes, toHex, validatorSetBytes } from "@baios/consensus";
import { LightClientError, why } from "./errors.ts";
import type { TrustedHead } from "./verify.ts";
import { decodeValidatorSet, hexField } from "./wire.ts";

/** Version of {@link CheckpointJson}: 1. */
export const CHECKPOINT_VERSION = 1;

/** The checkpoint's JSON (all bytes lowercase hex). */
export interface CheckpointJson {
  /** {@link CHECKPOINT_VERSION}. */
  version: number;
  /** Genesis block hash (32 bytes): a checkpoint of another chain is refused. */
  genesisHash: string;
  /** Height of the verified head. */
  height: number;
  /** Its block hash (32 bytes) = `blockHash(header)`. */
  headerHash: string;
  /** Its header, `encodeHeader` (488 bytes). */
  header: string;
  /** Hash of the set that finalizes `height + 1` (32 bytes) = the header's `nextValidatorsHash`. */
  setHash: string;
  /** That set's members, `validatorSetBytes` (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`). */
  validators: string;
  /** Hashes of sets replaced before it (32 bytes each, oldest first): a header naming one is refused as STALE_SET. */
  staleSetHashes: string[];
}

/** Where the checkpoint text lives. `load` returns undefined when none was saved. */
export interface CheckpointStore {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}

/** A store in memory (tests; a page that does not persist). */
export class MemoryCheckpointStore implements CheckpointStore {
  text: string | undefined;
  constructor(text?: string) {
    this.text = text;
  }
  async load(): Promise<string | undefined> {
    return this.text;
  }
  async save(text: string): Promise<void> {
    this.text = text;
  }
}

/** The part of the Web Storage API (`window.localStorage`) the browser store uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A store in `localStorage` (or any {@link StorageLike}) under `key` (default `baios-light-checkpoint`). */
export class LocalStorageCheckpointStore implements CheckpointStore {
  readonly storage: StorageLike;
  readonly key: string;
  constructor(storage: StorageLike, key = "baios-light-checkpoint") {
    this.storage = storage;
    this.key = key;
  }
  async load(): Promise<string | undefined> {
    return this.storage.getItem(this.key) ?? undefined;
  }
  async save(text: string): Promise<void> {
    this.storage.setItem(this.key, text);
  }
}

/** The checkpoint text of a verified head (members in {@link CheckpointJson} order). */
export function encodeCheckpoint(genesisHash: Uint8Array, head: TrustedHead): string {
  const j: CheckpointJson = {
    version: CHECKPOINT_VERSION,
    genesisHash: toHex(genesisHash),
    height: Number(head.header.height),
    headerHash: toHex(head.hash),
    header: toHex(encodeHeader(head.header)),
    setHash: toHex(head.set.hash),
    validators: toHex(validatorSetBytes(head.set.validators)),
    staleSetHashes: head.staleSetHashes.map(toHex),
  };
  return JSON.stringify(j);
}

/**
 * Parses and checks a checkpoint: version, genesis hash equal to `genesisHash`, the header decodes
 * and hashes to `headerHash` at `height`, the set decodes, hashes to `setHash` and equals the
 * header's `nextValidatorsHash`. The chain behind it is not re-verified (docs/light-client.md §5:
 * the checkpoint is trusted like the genesis).
 * @throws LightClientError `CHECKPOINT_INVALID`
 */
export function decodeCheckpoint(text: string, genesisHash: Uint8Array): TrustedHead {
  const bad = (m: string): never => {
    throw new LightClientError("CHECKPOINT_INVALID", m);
  };
  let j: Partial<CheckpointJson>;
  try {
    j = JSON.parse(text) as Partial<CheckpointJson>;
  } catch (e) {
    return bad(`not JSON: ${why(e)}`);
  }
  if (j === null || typeof j !== "object") return bad("not an object");
  if (j.version !== CHECKPOINT_VERSION) bad(`version ${String(j.version)}, expected ${CHECKPOINT_VERSION}`);
  try {
    if (!equalBytes(hexField(j.genesisHash, "genesisHash", 32), genesisHash)) bad("the checkpoint is for another genesis");
    const header = decodeHeader(hexField(j.header, "header"));
    const hash = blockHash(header);
    if (header.height !== BigInt(j.height ?? -1) || !equalBytes(hash, hexField(j.headerHash, "headerHash", 32))) bad("the header does not hash to headerHash at height");
    const set = decodeValidatorSet(hexField(j.validators, "validators"));
    if (!equalBytes(set.hash, hexField(j.setHash, "setHash", 32)) || !equalBytes(set.hash, header.nextValidatorsHash)) bad("the validator set does not hash to setHash and the header's nextValidatorsHash");
    if (!Array.isArray(j.staleSetHashes)) bad("staleSetHashes: expected an array");
    const staleSetHashes = (j.staleSetHashes as unknown[]).map((x, i) => hexField(x, `staleSetHashes[${i}]`, 32));
    return { header, hash, set, staleSetHashes };
  } catch (e) {
    if (e instanceof LightClientError && e.code === "CHECKPOINT_INVALID") throw e;
    return bad(why(e));
  }
}
