/**
 * Structure-aware JSON mutations for the fuzz targets (docs/fuzzing.md): pick a node of a JSON
 * document by its position in a depth-first walk and delete it, replace it with a random JSON
 * value, change its type, add a sibling field or element, or nest it. Used on the wallet file's
 * envelope and state and on JSON-RPC requests.
 * @module
 */
import fc from "fast-check";

/** One edit: which node (`at`, modulo the node count), what to do, the value it may need. */
export interface JsonEdit {
  at: number;
  op: "delete" | "replace" | "retype" | "add" | "nest";
  value: unknown;
  key: string;
}

const JSON_WEIRD: unknown[] = [null, true, false, 0, -1, 1e308, -0, 2 ** 53, 2 ** 64, "", "0", "null", [], {}, [null], { $n: "1" }, { $b: "00" }, "ff".repeat(32), "\u0000", "𝌆", Number.MAX_SAFE_INTEGER + 2];

/** A random JSON value, biased toward boundary values. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...JSON_WEIRD) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.double() },
);

/** A list of 1–`max` {@link JsonEdit}s; `keys` are field names worth trying (e.g. the schema's). */
export function jsonEditsArb(keys: readonly string[] = [], max = 4): fc.Arbitrary<JsonEdit[]> {
  const keyArb = keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "toString")) : fc.string({ maxLength: 8 });
  return fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom("delete", "replace", "retype", "add", "nest"), value: jsonValueArb, key: keyArb }), { minLength: 1, maxLength: max }) as fc.Arbitrary<JsonEdit[]>;
}

type Ref = { parent: Record<string, unknown> | unknown[] | undefined; key: string | number };

function walk(root: unknown): Ref[] {
  const out: Ref[] = [{ parent: undefined, key: "" }];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((c, i) => (out.push({ parent: v, key: i }), stack.push(c)));
    else if (typeof v === "object" && v !== null) for (const [k, c] of Object.entries(v)) out.push({ parent: v as Record<string, unknown>, key: k }), stack.push(c);
  }
  return out;
}

function retype(v: unknown): unknown {
  if (typeof v === "string") return v.length > 0 && /^-?\d+$/.test(v) ? Number(v) : [v];
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return Object.values(v as object);
}

/** Applies `edits` to a deep copy of `doc` (a JSON value) and returns the result. */
export function applyJsonEdits(doc: unknown, edits: readonly JsonEdit[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const e of edits) {
    const refs = walk(root);
    const ref = refs[e.at % refs.length] as Ref;
    const get = (): unknown => (ref.parent === undefined ? root : (ref.parent as Record<string | number, unknown>)[ref.key]);
    const set = (v: unknown): void => {
      if (ref.parent === undefined) root = v;
      else (ref.parent as Record<string | number, unknown>)[ref.key] = v;
    };
    const cur = get();
    switch (e.op) {
      case "delete":
        if (ref.parent === undefined) root = undefined;
        else if (Array.isArray(ref.parent)) ref.parent.splice(ref.key as number, 1);
        else delete ref.parent[ref.key as string];
        break;
      case "replace":
        set(structuredClone(e.value));
        break;
      case "retype":
        set(retype(cur));
        break;
      case "add":
        if (Array.isArray(cur)) cur.push(structuredClone(e.value));
        else if (typeof cur === "object" && cur !== null) Object.defineProperty(cur, e.key, { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
        else set([cur, structuredClone(e.value)]);
        break;
      case "nest":
        set({ [e.key]: cur });
        break;
    }
    if (root === undefined) root = null;
  }
  return root;
}
