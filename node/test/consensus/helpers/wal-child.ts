/**
 * Child process for the WAL crash test: `wal-child.ts <walPath>`. Opens the WAL, checks that the
 * replayed records are the contiguous prefix `0..k-1` of height `lastEndHeight + 1` (prints
 * `BUG …` otherwise), prints `READY`, then appends records of that height forever: VOTE (no
 * fsync) or OWN_MESSAGE (fsync), printing `A <h> <i>` after each append resolved, and after a few
 * records `END_HEIGHT h` (printing `E <h>`) before moving to `h + 1`. About one record in eight
 * carries a large payload (256 KiB – 1 MiB) so that a SIGKILL can land inside a multi-page
 * write. Payload: u64le h ‖ u32le i ‖ filler byte j = (h·31 + i·7 + j) mod 256.
 */
import { ConsensusWal, WalRecordType } from "../../../src/consensus/wal.ts";
import { parsePayload, payloadOf } from "./wal-payload.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: wal-child.ts <walPath>");
const wal = await ConsensusWal.open(path);
let h = (wal.lastEndHeight ?? 0n) + 1n;
let i = 0;
for await (const r of wal.replay()) {
  const p = parsePayload(r.payload);
  if (p === undefined || p.h !== h || p.i !== i) process.stdout.write(`BUG replay ${JSON.stringify({ type: r.type, h: String(p?.h), i: p?.i, want: [String(h), i] })}\n`);
  i++;
}
process.stdout.write(`READY ${wal.lastEndHeight ?? "none"} ${i} ${wal.recovered.truncatedBytes}\n`);
let perHeight = 3 + Math.floor(Math.random() * 8);
for (;;) {
  const big = Math.random() < 0.125;
  const len = big ? (256 << 10) + Math.floor(Math.random() * (768 << 10)) - 12 : Math.floor(Math.random() * 300);
  const own = Math.random() < 0.25;
  await wal.append({ type: own ? WalRecordType.OWN_MESSAGE : WalRecordType.VOTE, payload: payloadOf(h, i, len) });
  process.stdout.write(`A ${h} ${i}\n`);
  i++;
  if (i >= perHeight) {
    await wal.endHeight(h);
    process.stdout.write(`E ${h}\n`);
    h++;
    i = 0;
    perHeight = 3 + Math.floor(Math.random() * 8);
  }
}
