/**
 * Loading and shape validation of the shared JSON test vectors (test-vectors/README.md):
 * Wycheproof-shaped files with `algorithm`, `generatorVersion`, `numberOfTests`, `header`,
 * `notes` and `testGroups[].tests[]`. Also typed field accessors that fail loudly on a
 * malformed field (a broken file must never pass silently).
 *
 * @module
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromHex } from "./encoding.ts";

/** Absolute path of `test-vectors/` (the directory holding the `*.json` files). */
export const VECTOR_DIR: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The two allowed `result` values. */
export type Result = "valid" | "invalid";

/** One test case. Construction-specific fields are read with the accessors below. */
export interface TestCase {
  /** Unique within the file, from 1. */
  readonly tcId: number;
  /** Free text. */
  readonly comment: string;
  /** Flag names (documented in the file's `notes`). */
  readonly flags: readonly string[];
  /** Expected verdict. */
  readonly result: Result;
  /** Expected §9 error code of an invalid case, when the file gives one. */
  readonly error: string | undefined;
  /** The raw JSON object (all fields). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One test group. */
export interface TestGroup {
  /** Group type, e.g. `MlsagVerify`. */
  readonly type: string;
  /** The raw JSON object (group fields such as `H`). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The cases. */
  readonly tests: readonly TestCase[];
}

/** A parsed vector file. */
export interface VectorFile {
  /** File name, e.g. `mlsag.json`. */
  readonly file: string;
  /** `algorithm` field. */
  readonly algorithm: string;
  /** `generatorVersion` field. */
  readonly generatorVersion: string;
  /** Declared number of cases. */
  readonly numberOfTests: number;
  /** Free-text header lines. */
  readonly header: readonly string[];
  /** Flag documentation. */
  readonly notes: Readonly<Record<string, unknown>>;
  /** The groups. */
  readonly testGroups: readonly TestGroup[];
  /** Number of cases actually present (sum over groups). */
  readonly casesPresent: number;
}

/** Thrown when a vector file or field does not have the documented shape. */
export class VectorShapeError extends Error {
  /**
   * @param where - file / tcId / field locator.
   * @param message - what is wrong.
   */
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "VectorShapeError";
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Lists the `*.json` files directly in {@link VECTOR_DIR} (sorted).
 */
export function listVectorFiles(): string[] {
  return readdirSync(VECTOR_DIR).filter((f) => f.endsWith(".json") && f !== "package.json").sort();
}

/**
 * Reads and validates a vector file: top-level fields typed as documented, `result` ∈
 * {valid, invalid}, `tcId` a unique positive integer, `flags` a string array, `error` a
 * string when present.
 *
 * @param file - file name inside {@link VECTOR_DIR}.
 * @throws {@link VectorShapeError} on any deviation; Node's ENOENT if the file is missing.
 */
export function loadVectorFile(file: string): VectorFile {
  const json: unknown = JSON.parse(readFileSync(join(VECTOR_DIR, file), "utf8"));
  if (!isObject(json)) throw new VectorShapeError(file, "top level is not an object");
  const { algorithm, generatorVersion, numberOfTests, header, notes, testGroups } = json;
  if (typeof algorithm !== "string") throw new VectorShapeError(file, "algorithm is not a string");
  if (typeof generatorVersion !== "string") throw new VectorShapeError(file, "generatorVersion is not a string");
  if (typeof numberOfTests !== "number" || !Number.isInteger(numberOfTests) || numberOfTests < 0) {
    throw new VectorShapeError(file, "numberOfTests is not a non-negative integer");
  }
  if (!Array.isArray(header) || !header.every((h) => typeof h === "string")) throw new VectorShapeError(file, "header is not a string array");
  if (!isObject(notes)) throw new VectorShapeError(file, "notes is not an object");
  if (!Array.isArray(testGroups)) throw new VectorShapeError(file, "testGroups is not an array");
  const ids = new Set<number>();
  let casesPresent = 0;
  const groups: TestGroup[] = testGroups.map((g, gi) => {
    if (!isObject(g)) throw new VectorShapeError(`${file} group ${gi}`, "not an object");
    if (typeof g.type !== "string") throw new VectorShapeError(`${file} group ${gi}`, "type is not a string");
    if (!Array.isArray(g.tests)) throw new VectorShapeError(`${file} group ${gi}`, "tests is not an array");
    const tests: TestCase[] = g.tests.map((t, ti) => {
      const where = `${file} group ${gi} test ${ti}`;
      if (!isObject(t)) throw new VectorShapeError(where, "not an object");
      const { tcId, comment, flags, result, error } = t;
      if (typeof tcId !== "number" || !Number.isInteger(tcId) || tcId < 1) throw new VectorShapeError(where, "tcId is not a positive integer");
      if (ids.has(tcId)) throw new VectorShapeError(where, `duplicate tcId ${tcId}`);
      ids.add(tcId);
      if (typeof comment !== "string") throw new VectorShapeError(`${file} tcId ${tcId}`, "comment is not a string");
      if (!Array.isArray(flags) || !flags.every((f) => typeof f === "string")) throw new VectorShapeError(`${file} tcId ${tcId}`, "flags is not a string array");
      if (result !== "valid" && result !== "invalid") throw new VectorShapeError(`${file} tcId ${tcId}`, `unknown result ${JSON.stringify(result)}`);
      if (error !== undefined && typeof error !== "string") throw new VectorShapeError(`${file} tcId ${tcId}`, "error is not a string");
      if (result === "valid" && error !== undefined) throw new VectorShapeError(`${file} tcId ${tcId}`, "valid case carries an error code");
      casesPresent++;
      return { tcId, comment, flags: flags as string[], result, error: error as string | undefined, raw: t };
    });
    return { type: g.type, raw: g, tests };
  });
  return {
    file, algorithm, generatorVersion, numberOfTests, header: header as string[], notes, testGroups: groups, casesPresent,
  };
}

function field(obj: Readonly<Record<string, unknown>>, name: string, where: string): unknown {
  if (!(name in obj)) throw new VectorShapeError(where, `missing field ${name}`);
  return obj[name];
}

/**
 * A lowercase-hex byte-string field.
 *
 * @param obj - test or group object.
 * @param name - field name.
 * @param where - locator for errors.
 * @throws {@link VectorShapeError} if missing or not lowercase hex.
 */
export function hexField(obj: Readonly<Record<string, unknown>>, name: string, where: string): Uint8Array {
  const v = field(obj, name, where);
  if (typeof v !== "string") throw new VectorShapeError(where, `${name} is not a string`);
  try {
    return fromHex(v);
  } catch (e) {
    throw new VectorShapeError(where, `${name}: ${(e as Error).message}`);
  }
}

/**
 * A string field (ASCII tags, DSTs).
 *
 * @throws {@link VectorShapeError} if missing or not a string.
 */
export function stringField(obj: Readonly<Record<string, unknown>>, name: string, where: string): string {
  const v = field(obj, name, where);
  if (typeof v !== "string") throw new VectorShapeError(where, `${name} is not a string`);
  return v;
}

/**
 * A boolean field.
 *
 * @throws {@link VectorShapeError} if missing or not a boolean.
 */
export function boolField(obj: Readonly<Record<string, unknown>>, name: string, where: string): boolean {
  const v = field(obj, name, where);
  if (typeof v !== "boolean") throw new VectorShapeError(where, `${name} is not a boolean`);
  return v;
}

/**
 * A JSON integer field in `[min, max]` (e.g. `viewTag` 0..255, `index`).
 *
 * @throws {@link VectorShapeError} if missing, not an integer or out of range.
 */
export function intField(obj: Readonly<Record<string, unknown>>, name: string, where: string, min: number, max: number): number {
  const v = field(obj, name, where);
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new VectorShapeError(where, `${name} is not an integer in ${min}..${max}`);
  return v;
}

/**
 * A u64 given as a decimal string (README: amounts and nonces). A JSON number is also
 * accepted when it is a safe integer (e.g. an output `index`).
 *
 * @throws {@link VectorShapeError} if missing, not canonical decimal, or ≥ 2^64.
 */
export function u64Field(obj: Readonly<Record<string, unknown>>, name: string, where: string): bigint {
  const v = field(obj, name, where);
  let n: bigint;
  if (typeof v === "string" && /^(?:0|[1-9][0-9]*)$/.test(v)) n = BigInt(v);
  else if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else throw new VectorShapeError(where, `${name} is not a u64 decimal string`);
  if (n >= 1n << 64n) throw new VectorShapeError(where, `${name} does not fit in a u64`);
  return n;
}

/**
 * An array field.
 *
 * @throws {@link VectorShapeError} if missing or not an array.
 */
export function arrayField(obj: Readonly<Record<string, unknown>>, name: string, where: string): readonly unknown[] {
  const v = field(obj, name, where);
  if (!Array.isArray(v)) throw new VectorShapeError(where, `${name} is not an array`);
  return v;
}

/**
 * An array of lowercase-hex strings.
 *
 * @throws {@link VectorShapeError} on any malformed element.
 */
export function hexArrayField(obj: Readonly<Record<string, unknown>>, name: string, where: string): Uint8Array[] {
  return arrayField(obj, name, where).map((v, i) => {
    if (typeof v !== "string") throw new VectorShapeError(where, `${name}[${i}] is not a string`);
    try {
      return fromHex(v);
    } catch (e) {
      throw new VectorShapeError(where, `${name}[${i}]: ${(e as Error).message}`);
    }
  });
}

/**
 * An array of objects.
 *
 * @throws {@link VectorShapeError} on any non-object element.
 */
export function objectArrayField(obj: Readonly<Record<string, unknown>>, name: string, where: string): Readonly<Record<string, unknown>>[] {
  return arrayField(obj, name, where).map((v, i) => {
    if (!isObject(v)) throw new VectorShapeError(where, `${name}[${i}] is not an object`);
    return v;
  });
}
