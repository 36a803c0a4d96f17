// Known-answer checks run twice by crypto-wasm/test/browser.test.ts: in Node on the package's Node
// bindings, and in headless Chromium (./entry.ts) on its web bindings. Both must report the same
// JSON, and it must agree with the shared vectors in test-vectors/. No Node-only imports here.
import type * as Crypto from "../../ts/index.ts";

type Test = Record<string, unknown> & { tcId: number; result: string };
/** The subset of a test-vectors/*.json file read here. */
export interface VectorFile {
  testGroups: { type: string; tests: Test[] }[];
}
/** The vector files the checks read (parsed JSON). */
export interface Vectors {
  mlsag: VectorFile;
  pedersen: VectorFile;
  hashToScalar: VectorFile;
}
/** tcId → "valid" | "invalid" (the vector's own verdict), or a CryptoError code. */
export type Verdicts = Record<number, string>;
/** What both runtimes report. */
export interface Checks {
  /** h32("BAIOS/test/browser", 0x00..0x3f), hex. */
  h32: string;
  /** The value generator H, hex. */
  generatorH: string;
  /** commit(1234567890 atomic units, mask = Hs("BAIOS/test/mask", "")), hex. */
  commitment: string;
  /** PedersenCommit vectors: "valid" when commit(value, mask) equals the vector's commitment. */
  pedersen: Verdicts;
  /** hash_to_scalar vectors: "valid" when hashToScalar(tag, data) equals the vector's scalar. */
  hashToScalar: Verdicts;
  /** MlsagVerify vectors: "valid" when mlsagVerify accepts, else the error code. */
  mlsag: Verdicts;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: unknown): Uint8Array => {
  const t = String(s);
  return Uint8Array.from({ length: t.length >> 1 }, (_, i) => parseInt(t.slice(2 * i, 2 * i + 2), 16));
};
const tests = (f: VectorFile, type?: string): Test[] => f.testGroups.filter((g) => type === undefined || g.type === type).flatMap((g) => g.tests);
/** Runs `f`: "valid" if it returns true, "invalid" if false, the error's code (or name) if it throws. */
function verdict(f: () => boolean): string {
  try {
    return f() ? "valid" : "invalid";
  } catch (e) {
    return typeof e === "object" && e !== null && "code" in e ? String(e.code) : String(e);
  }
}

/** Computes {@link Checks} with the given `@baios/crypto` module. */
export function runChecks(c: typeof Crypto, v: Vectors): Checks {
  const eq = (a: Uint8Array, b: Uint8Array): boolean => hex(a) === hex(b);
  const byId = (list: Test[], f: (t: Test) => boolean): Verdicts => Object.fromEntries(list.map((t) => [t.tcId, verdict(() => f(t))]));
  return {
    h32: hex(c.h32("BAIOS/test/browser", Uint8Array.from({ length: 64 }, (_, i) => i))),
    generatorH: hex(c.generatorH()),
    commitment: hex(c.commit(1_234_567_890n, c.hashToScalar("BAIOS/test/mask", new Uint8Array()))),
    pedersen: byId(tests(v.pedersen, "PedersenCommit"), (t) => eq(c.commit(BigInt(String(t["value"])), unhex(t["mask"])), unhex(t["commitment"]))),
    hashToScalar: byId(tests(v.hashToScalar), (t) => eq(c.hashToScalar(String(t["tag"]), unhex(t["data"])), unhex(t["scalar"]))),
    mlsag: byId(tests(v.mlsag), (t) => {
      const ring = t["ring"] as { key: string; commitment: string }[];
      const r = { message: unhex(t["message"]), ringKeys: ring.map((m) => unhex(m.key)), ringCommitments: ring.map((m) => unhex(m.commitment)), pseudoOut: unhex(t["pseudoOut"]) };
      c.mlsagVerify(r, unhex(t["keyImage"]), unhex(t["signature"]));
      return true;
    }),
  };
}
