/**
 * Canonical bytes of a cascade (docs/cascade.md §5), for storage and fast sync:
 *
 * `u8 version (= 1) ‖ u8 levels ‖ u32le perLevel (K) ‖ u32le n ‖ n × node`, nodes newest first,
 * `node = u8 level ‖ header[488] ‖ levels × (u64le height ‖ hash[32])` (the header's super-parent
 * pointers, level 0 first): `1 + 488 + 40·levels` bytes, 1 769 on mainnet.
 *
 * Decoding is strict: exact version and parameters, `n ≤ levels · K`, a none entry is exactly
 * (height 0, 32 zero bytes) and a zero hash never has another height, no trailing bytes; then
 * every invariant of {@link checkCascadeKept}. The depth D is node policy, not encoded.
 * @module
 */
import { isConsensusError } from "../errors.ts";
import { ByteWriter, equalBytes } from "../encoding/bytes.ts";
import { HEADER_BYTES, writeHeader } from "../encoding/canonical.ts";
import { WireReader } from "../encoding/reader.ts";
import { decodeHeader } from "../encoding/wire.ts";
import { Cascade, makeCascadeNode, type KeptHeader } from "./cascade.ts";
import { checkCascadeKept } from "./check.ts";
import { checkCascadeParams, type CascadeParams } from "./params.ts";
import { SUPER_PARENT_ENTRY_BYTES, type SuperParentEntry } from "./super-parents.ts";

/** Version byte of the cascade encoding: 1. */
export const CASCADE_ENCODING_VERSION = 1;

/** Fixed prefix: `u8 version ‖ u8 levels ‖ u32le K ‖ u32le n` = 10 bytes. */
export const CASCADE_PREFIX_BYTES = 10;

/** Bytes of one encoded node: `1 + HEADER_BYTES + 40 · levels` (1 769 for 32 levels). */
export function cascadeNodeBytes(levels: number): number {
  return 1 + HEADER_BYTES + SUPER_PARENT_ENTRY_BYTES * levels;
}

/** Encodes a cascade's kept headers, newest first. @throws RangeError on a field out of its width */
export function encodeCascade(c: Cascade): Uint8Array {
  const kept = c.kept();
  const w = new ByteWriter(CASCADE_PREFIX_BYTES + kept.length * cascadeNodeBytes(c.params.levels));
  w.u8(CASCADE_ENCODING_VERSION).u8(c.params.levels).u32(c.params.perLevel).u32(kept.length);
  for (const k of kept) {
    w.u8(k.level);
    writeHeader(w, k.header);
    for (const e of k.parents.entries) w.u64(e.height).bytes(e.hash, 32);
  }
  return w.finish();
}

const ZERO = new Uint8Array(32);

/**
 * Decodes and checks a cascade encoded by {@link encodeCascade}.
 * @param params the parameters it must have been built with (levels and K must match the bytes)
 * @throws ConsensusError `CASCADE_MALFORMED` (layout), `CASCADE_PARAMS_INVALID`, any code of
 *   {@link checkCascadeKept}, `BLOCK_BAD_POW` (a kept non-genesis header's hash above its target)
 */
export function decodeCascade(data: Uint8Array, params: CascadeParams): Cascade {
  checkCascadeParams(params);
  const r = new WireReader(data, "CASCADE_MALFORMED");
  const version = r.u8("version");
  if (version !== CASCADE_ENCODING_VERSION) throw r.fail("version", `${version}, expected ${CASCADE_ENCODING_VERSION}`);
  const levels = r.u8("levels");
  if (levels !== params.levels) throw r.fail("levels", `${levels}, expected ${params.levels}`);
  const perLevel = r.u32("perLevel");
  if (perLevel !== params.perLevel) throw r.fail("perLevel", `${perLevel}, expected ${params.perLevel}`);
  const n = r.count("nodes", cascadeNodeBytes(levels));
  if (n > levels * perLevel) throw r.fail("nodes.count", `${n} exceeds levels × K = ${levels * perLevel}`);
  const kept: KeptHeader[] = [];
  for (let i = 0; i < n; i++) {
    const path = `nodes[${i}]`;
    const level = r.u8(`${path}.level`);
    if (level >= levels) throw r.fail(`${path}.level`, `${level} ≥ levels ${levels}`);
    const headerBytes = r.bytes(HEADER_BYTES, `${path}.header`);
    let header;
    try {
      header = decodeHeader(headerBytes);
    } catch (e) {
      if (isConsensusError(e)) throw r.fail(`${path}.header`, e.reason);
      throw e;
    }
    const entries: SuperParentEntry[] = [];
    for (let l = 0; l < levels; l++) {
      const height = r.u64(`${path}.parents[${l}].height`);
      const hash = r.bytes(32, `${path}.parents[${l}].hash`);
      if (height !== 0n && equalBytes(hash, ZERO)) throw r.fail(`${path}.parents[${l}]`, `zero hash with height ${height} (the none entry has height 0)`);
      entries.push({ height, hash });
    }
    kept.push({ ...makeCascadeNode(header, { entries }, levels), level });
  }
  r.end("cascade");
  checkCascadeKept(kept, params);
  return Cascade.fromCheckedKept(params, kept);
}

