/**
 * Fuzz target: the transaction wire decoder `decodeTx` (docs/protocol.md, docs/fuzzing.md).
 * Inputs: encodings of random structurally-valid transactions and the golden vectors, mutated
 * (bit flips, boundary bytes, inserts, deletes, truncation, splices, inflated length prefixes),
 * and random bytes; with the default size limit and with random small limits.
 * Oracle: `decodeTx` returns or throws a ConsensusError, nothing else (no TypeError, RangeError,
 * stack overflow, hang); what it accepts is within the limit and re-encodes to the same bytes
 * (a strict decoder accepts exactly one encoding per transaction).
 * Run: `node consensus/fuzz/tx-decoder.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import { DEFAULT_MAX_TX_BYTES, decodeTx, encodeTx } from "@baios/consensus";
import { txArb } from "../test/helpers/arbitraries.ts";
import { runDecoderTarget } from "./decoder-target.ts";

await runDecoderTarget({
  name: "tx-decoder",
  vectors: /tx|wire|encoding/i,
  vectorLimit: 44,
  arb: txArb,
  samples: 64,
  encode: encodeTx,
  decode: decodeTx,
  defaultMaxBytes: DEFAULT_MAX_TX_BYTES,
  smallMaxBytes: 4096,
});
