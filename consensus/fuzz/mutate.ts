/**
 * Byte-level mutations for the decoder fuzz targets (docs/fuzzing.md): fast-check arbitraries that
 * take valid encodings and damage them the ways a hostile peer would: flip bits, overwrite bytes
 * with boundary values (msgpack/varint markers, 0x00, 0xff), insert, delete, truncate, duplicate a
 * slice, splice two encodings, and grow a length prefix.
 * @module
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xcc, 0xcd, 0xce, 0xcf, 0xd9, 0xdc, 0xdd, 0xde, 0xdf, 0xfe, 0xff];

type Op =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; len: number }
  | { kind: "truncate"; at: number }
  | { kind: "dup"; at: number; len: number }
  | { kind: "splice"; at: number; other: number; otherAt: number }
  | { kind: "grow"; at: number; value: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dup" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), other: fc.nat(), otherAt: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("grow" as const), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }) },
);

function apply(data: Uint8Array, op: Op, seeds: readonly Uint8Array[]): Uint8Array {
  const n = data.length;
  const pos = (at: number, extra = 0): number => (n + extra === 0 ? 0 : at % (n + extra));
  switch (op.kind) {
    case "flip": {
      if (n === 0) return data;
      const out = data.slice();
      const i = pos(op.at);
      out[i] = (out[i] as number) ^ (1 << op.bit);
      return out;
    }
    case "set": {
      if (n === 0) return data;
      const out = data.slice();
      out[pos(op.at)] = op.value;
      return out;
    }
    case "grow": {
      // bump a byte upward: inflates a length or count prefix
      if (n === 0) return data;
      const out = data.slice();
      const i = pos(op.at);
      out[i] = ((out[i] as number) + op.value) & 0xff;
      return out;
    }
    case "insert": {
      const i = pos(op.at, 1);
      return Uint8Array.from([...data.subarray(0, i), ...op.bytes, ...data.subarray(i)]);
    }
    case "delete": {
      const i = pos(op.at);
      return Uint8Array.from([...data.subarray(0, i), ...data.subarray(i + op.len)]);
    }
    case "truncate":
      return data.slice(0, pos(op.at));
    case "dup": {
      const i = pos(op.at);
      const slice = data.subarray(i, i + op.len);
      return Uint8Array.from([...data.subarray(0, i + slice.length), ...slice, ...data.subarray(i + slice.length)]);
    }
    case "splice": {
      const other = seeds.length === 0 ? data : (seeds[op.other % seeds.length] as Uint8Array);
      const i = pos(op.at);
      const j = other.length === 0 ? 0 : op.otherAt % other.length;
      return Uint8Array.from([...data.subarray(0, i), ...other.subarray(j)]);
    }
  }
}

/**
 * Inputs for a decoder: mostly valid encodings (from `seeds` and from `fresh`, an arbitrary of
 * encodings built on the fly) with 1–8 mutations, some unmutated, some purely random bytes.
 */
export function mutatedEncodings(seeds: readonly Uint8Array[], fresh: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const base = seeds.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...seeds) }, { weight: 3, arbitrary: fresh }) : fresh;
  return fc.oneof(
    { weight: 1, arbitrary: base },
    { weight: 6, arbitrary: fc.tuple(base, fc.array(opArb, { minLength: 1, maxLength: 8 })).map(([d, ops]) => ops.reduce((acc, op) => apply(acc, op, seeds), d)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 512, maxLength: 8192 }) },
  );
}

/**
 * Every lowercase hex string of at least `minBytes` bytes found in the JSON files of
 * `test-vectors/` whose name matches `namePattern` (the golden wire vectors, whatever their
 * layout): extra seeds that are real, hash-checked encodings.
 */
export function vectorSeeds(namePattern: RegExp, minBytes = 16): Uint8Array[] {
  const dir = fileURLToPath(new URL("../../test-vectors/", import.meta.url));
  const out: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.length >= 2 * minBytes && v.length % 2 === 0 && /^[0-9a-f]+$/.test(v)) out.push(Uint8Array.from(Buffer.from(v, "hex")));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  let names: string[] = [];
  try {
    names = readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.endsWith(".json") || !namePattern.test(name)) continue;
    try {
      walk(JSON.parse(readFileSync(dir + name, "utf8")));
    } catch {
      // not JSON: not a vector file
    }
  }
  return out;
}
