/**
 * One fuzz target shape shared by the canonical wire decoders (`decodeTx`, `decodeBlock`;
 * docs/fuzzing.md): seeds are the golden vectors whose file name matches `vectors` plus encodings
 * of `samples` random structurally-valid values; inputs are those, mutated (./mutate.ts), and
 * encodings of fresh random values; the size limit is the default 5 times in 6, else a random
 * small one. Oracle: the decoder returns or throws a ConsensusError, nothing else; what it
 * accepts is within the limit and re-encodes to the same bytes (one encoding per value).
 * @module
 */
import fc from "fast-check";
import { ConsensusError } from "@baios/consensus";
import { bump, runFuzzTarget } from "./harness.ts";
import { mutatedEncodings, vectorSeeds } from "./mutate.ts";

/** What differs between the decoder targets. */
export interface DecoderTarget<T> {
  name: string;
  /** Golden-vector files to seed from, and how many vector encodings at most. */
  vectors: RegExp;
  vectorLimit: number;
  /** Random structurally-valid values, and how many to encode as seeds. */
  arb: fc.Arbitrary<T>;
  samples: number;
  encode: (value: T) => Uint8Array;
  decode: (bytes: Uint8Array, maxBytes: number) => T;
  /** The default size limit (bytes), and the largest random small limit. */
  defaultMaxBytes: number;
  smallMaxBytes: number;
}

/** Runs the decoder target `t` under the fuzz harness (its CLI flags: `--seconds`, …). */
export async function runDecoderTarget<T>(t: DecoderTarget<T>): Promise<void> {
  const tryEncode = (value: T): Uint8Array => {
    try {
      return t.encode(value);
    } catch {
      return new Uint8Array(0); // the encoder refused the structure: fuzz the decoder with nothing
    }
  };
  await runFuzzTarget({
    name: t.name,
    setup: () => ({ seeds: [...vectorSeeds(t.vectors, t.vectorLimit), ...fc.sample(t.arb, t.samples).map(tryEncode)].filter((s) => s.length > 0) }),
    arbitrary: ({ seeds }) =>
      fc.record({
        bytes: mutatedEncodings(seeds, t.arb.map(tryEncode)),
        maxBytes: fc.oneof({ weight: 5, arbitrary: fc.constant(t.defaultMaxBytes) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: t.smallMaxBytes }) }),
      }),
    check: ({ bytes, maxBytes }, _ctx, stats) => {
      let value: T;
      try {
        value = t.decode(bytes, maxBytes);
      } catch (e) {
        if (!(e instanceof ConsensusError)) throw new Error(`${t.name}: the decoder threw a non-ConsensusError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
        bump(stats, e.code);
        return;
      }
      bump(stats, "decoded");
      if (bytes.length > maxBytes) throw new Error(`${t.name}: accepted ${bytes.length} bytes over maxBytes ${maxBytes}`);
      if (Buffer.compare(Buffer.from(t.encode(value)), Buffer.from(bytes)) !== 0) throw new Error(`${t.name}: accepted a non-canonical encoding: encode(decode(x)) != x`);
    },
    caseTimeoutMs: 2000,
  });
}
