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
import fc from "fast-check";
import { ConsensusError, DEFAULT_MAX_TX_BYTES, decodeTx, encodeTx } from "@baios/consensus";
import { txArb } from "../test/helpers/arbitraries.ts";
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
  name: "tx-decoder",
  setup: () => {
    const seeds = [...vectorSeeds(/tx|wire|encoding/i, 44), ...fc.sample(txArb, 64).map((t) => tryEncode(() => encodeTx(t)))].filter((s) => s.length > 0);
    return { seeds };
  },
  arbitrary: ({ seeds }) =>
    fc.record({
      bytes: mutatedEncodings(
        seeds,
        txArb.map((t) => tryEncode(() => encodeTx(t))),
      ),
      maxBytes: fc.oneof({ weight: 5, arbitrary: fc.constant(DEFAULT_MAX_TX_BYTES) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4096 }) }),
    }),
  check: ({ bytes, maxBytes }, _ctx, stats) => {
    let tx;
    try {
      tx = decodeTx(bytes, maxBytes);
    } catch (e) {
      if (!(e instanceof ConsensusError)) throw new Error(`decodeTx threw a non-ConsensusError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
      bump(stats, e.code);
      return;
    }
    bump(stats, "decoded");
    if (bytes.length > maxBytes) throw new Error(`decodeTx accepted ${bytes.length} bytes over maxBytes ${maxBytes}`);
    const again = encodeTx(tx);
    if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) throw new Error("decodeTx accepted a non-canonical encoding: encodeTx(decodeTx(x)) != x");
  },
  caseTimeoutMs: 2000,
});
