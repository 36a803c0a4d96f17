/**
 * Fuzz target: the block wire decoder `decodeBlock` (docs/protocol.md, docs/fuzzing.md).
 * Inputs: encodings of random structurally-valid v2 blocks (456-byte header, coinbase, 0–3
 * transactions incl. bonds, last certificate, unbonds, evidence) and the golden vectors, mutated (bit flips, boundary bytes, inserts, deletes, truncation,
 * splices, inflated counts and lengths), and random bytes; default and small size limits.
 * Oracle: `decodeBlock` returns or throws a ConsensusError, nothing else; what it accepts is within
 * the limit and re-encodes to the same bytes.
 * Run: `node consensus/fuzz/block-decoder.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import fc from "fast-check";
import { ConsensusError, DEFAULT_MAX_BLOCK_BYTES, decodeBlock, encodeBlock } from "@baios/consensus";
import { blockArb } from "../test/helpers/arbitraries.ts";
import { bump, runFuzzTarget } from "./harness.ts";
import { mutatedEncodings, vectorSeeds } from "./mutate.ts";

const tryEncode = (f: () => Uint8Array): Uint8Array => {
  try {
    return f();
  } catch {
    return new Uint8Array(0); // the encoder refused the structure: fuzz the decoder with nothing
  }
};

await runFuzzTarget({
  name: "block-decoder",
  setup: () => {
    const seeds = [...vectorSeeds(/block|wire|encoding|genesis/i, 456), ...fc.sample(blockArb, 32).map((b) => tryEncode(() => encodeBlock(b)))].filter((s) => s.length > 0);
    return { seeds };
  },
  arbitrary: ({ seeds }) =>
    fc.record({
      bytes: mutatedEncodings(
        seeds,
        blockArb.map((b) => tryEncode(() => encodeBlock(b))),
      ),
      maxBytes: fc.oneof({ weight: 5, arbitrary: fc.constant(DEFAULT_MAX_BLOCK_BYTES) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 16384 }) }),
    }),
  check: ({ bytes, maxBytes }, _ctx, stats) => {
    let block;
    try {
      block = decodeBlock(bytes, maxBytes);
    } catch (e) {
      if (!(e instanceof ConsensusError)) throw new Error(`decodeBlock threw a non-ConsensusError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
      bump(stats, e.code);
      return;
    }
    bump(stats, "decoded");
    if (bytes.length > maxBytes) throw new Error(`decodeBlock accepted ${bytes.length} bytes over maxBytes ${maxBytes}`);
    const again = encodeBlock(block);
    if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) throw new Error("decodeBlock accepted a non-canonical encoding: encodeBlock(decodeBlock(x)) != x");
  },
  caseTimeoutMs: 2000,
});
