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
import { DEFAULT_MAX_BLOCK_BYTES, decodeBlock, encodeBlock } from "@baios/consensus";
import { blockArb } from "../test/helpers/arbitraries.ts";
import { runDecoderTarget } from "./decoder-target.ts";

await runDecoderTarget({
  name: "block-decoder",
  vectors: /block|wire|encoding|genesis/i,
  vectorLimit: 456,
  arb: blockArb,
  samples: 32,
  encode: encodeBlock,
  decode: decodeBlock,
  defaultMaxBytes: DEFAULT_MAX_BLOCK_BYTES,
  smallMaxBytes: 16384,
});
