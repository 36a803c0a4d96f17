/**
 * The consensus WAL on real files: framing and replay, END_HEIGHT rotation (and finishing a
 * rotation a crash interrupted), torn-tail repair at random cut points (fast-check), the size
 * bound, refused records, corrupt headers and the lock.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConsensusWal,
  WAL_FILE,
  WAL_FRAME_OVERHEAD,
  WAL_HEADER_BYTES,
  WAL_MAX_PAYLOAD,
  WalError,
  WalRecordType,
  decodeTimeout,
  encodeEndHeight,
  encodeTimeout,
  encodeWalFrame,
  type WalErrorCode,
  type WalRecord,
} from "../../src/consensus/wal.ts";

const walPath = (): string => join(mkdtempSync(join(tmpdir(), "baios-wal-")), WAL_FILE);
const rec = (type: WalRecordType, ...bytes: number[]): WalRecord => ({ type, payload: Uint8Array.from(bytes) });

async function all(wal: ConsensusWal): Promise<WalRecord[]> {
  const out: WalRecord[] = [];
  for await (const r of wal.replay()) out.push(r);
  return out;
}

async function rejects(p: Promise<unknown>, code: WalErrorCode): Promise<WalError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WalError);
  expect((e as WalError).code).toBe(code);
  return e as WalError;
}

const HEADER = readHeader();
function readHeader(): Uint8Array {
  const h = new Uint8Array(WAL_HEADER_BYTES);
  h.set(new TextEncoder().encode("BAIOSWAL"));
  h[8] = 1;
  return h;
}

describe("ConsensusWal", () => {
  it("appends, replays after reopen, rotates at END_HEIGHT", async () => {
    const path = walPath();
    const wal = await ConsensusWal.open(path);
    expect(wal.recovered).toEqual({ truncatedBytes: 0, records: 0 });
    expect(wal.lastEndHeight).toBeUndefined();
    const h1 = [rec(WalRecordType.PROPOSAL, 1, 2, 3), rec(WalRecordType.VOTE, 4), { type: WalRecordType.TIMEOUT, payload: encodeTimeout({ height: 1n, round: 0, step: 1 }) }, rec(WalRecordType.OWN_MESSAGE, 9, 9), rec(WalRecordType.VOTE)];
    for (const r of h1) await wal.append(r);
    expect(await all(wal)).toEqual(h1);
    await wal.close();

    const wal2 = await ConsensusWal.open(path);
    expect(wal2.recovered).toEqual({ truncatedBytes: 0, records: 5 });
    expect(await all(wal2)).toEqual(h1);
    await wal2.endHeight(1n);
    expect(wal2.lastEndHeight).toBe(1n);
    expect(await all(wal2)).toEqual([]);
    // the file is the header and the marker only
    expect(statSync(path).size).toBe(WAL_HEADER_BYTES + WAL_FRAME_OVERHEAD + 8);
    const h2 = [rec(WalRecordType.VOTE, 7), rec(WalRecordType.OWN_MESSAGE, 8)];
    for (const r of h2) await wal2.append(r, { sync: true });
    await wal2.close();
    await rejects(wal2.append(rec(WalRecordType.VOTE)), "WAL_CLOSED");

    const wal3 = await ConsensusWal.open(path);
    expect(wal3.lastEndHeight).toBe(1n);
    expect(await all(wal3)).toEqual(h2);
    await wal3.close();
  });

  it("finishes a rotation interrupted after the marker's fsync", async () => {
    const path = walPath();
    const old = [rec(WalRecordType.VOTE, 1), rec(WalRecordType.VOTE, 2)];
    const after = [rec(WalRecordType.PROPOSAL, 3)];
    const marker = { type: WalRecordType.END_HEIGHT, payload: encodeEndHeight(41n) };
    const frames = [...old, { type: WalRecordType.END_HEIGHT, payload: encodeEndHeight(40n) }, ...old, marker, ...after].map(encodeWalFrame);
    writeFileSync(path, Buffer.concat([HEADER, ...frames, Buffer.from([5, 0, 0])])); // and a torn tail
    const wal = await ConsensusWal.open(path);
    expect(wal.recovered).toEqual({ truncatedBytes: 3, records: 7 });
    expect(wal.lastEndHeight).toBe(41n);
    expect(await all(wal)).toEqual(after);
    expect(statSync(path).size).toBe(WAL_HEADER_BYTES + encodeWalFrame(marker).length + encodeWalFrame(after[0]!).length);
    await wal.close();
  });

  it("repairs a torn tail at any cut point: every complete record before the cut replays, nothing after (fast-check)", async () => {
    const record = fc.oneof(
      fc.record({ type: fc.constantFrom<WalRecordType>(WalRecordType.PROPOSAL, WalRecordType.VOTE, WalRecordType.OWN_MESSAGE), payload: fc.uint8Array({ maxLength: 40 }) }),
      fc.record({ height: fc.bigInt({ min: 0n, max: 1000n }), round: fc.nat({ max: 9 }), step: fc.constantFrom<0 | 1 | 2>(0, 1, 2) }).map((t) => ({ type: WalRecordType.TIMEOUT, payload: encodeTimeout(t) })),
      fc.bigInt({ min: 0n, max: 1000n }).map((h) => ({ type: WalRecordType.END_HEIGHT, payload: encodeEndHeight(h) })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ maxLength: 16 }), async (records, cutAt, garbage) => {
        // the file as a crash could leave it: frames written without rotation (the marker's rotation is atomic, a cut can land anywhere before it)
        const frames = records.map(encodeWalFrame);
        const full = Buffer.concat([HEADER, ...frames]);
        const cut = WAL_HEADER_BYTES + Math.floor(cutAt * (full.length - WAL_HEADER_BYTES));
        const path = walPath();
        // optional junk after the cut (unsynced pages); its first byte differs from the lost one, so it cannot complete the cut frame
        const junk = Buffer.from(garbage.length > 0 && garbage[0]! < 0x40 ? garbage : []);
        if (junk.length > 0 && cut < full.length) junk[0] = full[cut]! ^ 0xff;
        writeFileSync(path, Buffer.concat([full.subarray(0, cut), junk]));
        // expected: the records whose frame ends at or before the cut, from the last marker among them on
        let end = WAL_HEADER_BYTES;
        const complete: WalRecord[] = [];
        for (const [i, f] of frames.entries()) {
          if (end + f.length > cut) break;
          end += f.length;
          complete.push(records[i]!);
        }
        const lastMarker = complete.map((r) => r.type).lastIndexOf(WalRecordType.END_HEIGHT);
        const wal = await ConsensusWal.open(path);
        try {
          expect(wal.recovered.records).toBe(complete.length);
          expect(await all(wal)).toEqual(complete.slice(lastMarker + 1));
          expect(wal.lastEndHeight).toBe(lastMarker < 0 ? undefined : new DataView(complete[lastMarker]!.payload.buffer).getBigUint64(0, true));
          // appending after the repair works and survives a reopen
          await wal.append(rec(WalRecordType.VOTE, 0xee), { sync: true });
        } finally {
          await wal.close();
        }
        const again = await ConsensusWal.open(path);
        try {
          expect(again.recovered.truncatedBytes).toBe(0);
          expect(await all(again)).toEqual([...complete.slice(lastMarker + 1), rec(WalRecordType.VOTE, 0xee)]);
        } finally {
          await again.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("a cut inside a frame drops exactly that frame (byte-by-byte)", async () => {
    const records = [rec(WalRecordType.VOTE, 1, 2, 3, 4), rec(WalRecordType.PROPOSAL, 5, 6)];
    const full = Buffer.concat([HEADER, ...records.map(encodeWalFrame)]);
    const firstEnd = WAL_HEADER_BYTES + WAL_FRAME_OVERHEAD + 4;
    for (let cut = WAL_HEADER_BYTES; cut <= full.length; cut++) {
      const path = walPath();
      writeFileSync(path, full.subarray(0, cut));
      const wal = await ConsensusWal.open(path);
      const n = cut === full.length ? 2 : cut >= firstEnd ? 1 : 0;
      expect(await all(wal)).toEqual(records.slice(0, n));
      expect(wal.recovered.truncatedBytes).toBe(cut - (n === 0 ? WAL_HEADER_BYTES : n === 1 ? firstEnd : full.length));
      expect(statSync(path).size).toBe(wal.size);
      await wal.close();
    }
  });

  it("drops a corrupted (bit-flipped) tail record", async () => {
    const path = walPath();
    const wal = await ConsensusWal.open(path);
    await wal.append(rec(WalRecordType.VOTE, 1));
    await wal.append(rec(WalRecordType.VOTE, 2, 2));
    await wal.close();
    const b = readFileSync(path);
    b[b.length - 1]! ^= 1;
    writeFileSync(path, b);
    const w = await ConsensusWal.open(path);
    expect(await all(w)).toEqual([rec(WalRecordType.VOTE, 1)]);
    expect(w.recovered.truncatedBytes).toBe(WAL_FRAME_OVERHEAD + 2);
    await w.close();
  });

  it("bounds the file size: WAL_FULL until the next END_HEIGHT", async () => {
    const path = walPath();
    const maxBytes = WAL_HEADER_BYTES + 3 * (WAL_FRAME_OVERHEAD + 10);
    const wal = await ConsensusWal.open(path, { maxBytes });
    for (let i = 0; i < 3; i++) await wal.append({ type: WalRecordType.VOTE, payload: new Uint8Array(10) });
    await rejects(wal.append({ type: WalRecordType.VOTE, payload: new Uint8Array(1) }), "WAL_FULL");
    expect(wal.size).toBe(maxBytes);
    await wal.endHeight(7n); // always accepted, and frees the space
    await wal.append({ type: WalRecordType.VOTE, payload: new Uint8Array(10) });
    expect(statSync(path).size).toBe(wal.size);
    expect(wal.size).toBeLessThanOrEqual(maxBytes);
    await wal.close();
  });

  it("refuses invalid records, corrupt headers, unknown types with a valid CRC, a second writer", async () => {
    const path = walPath();
    const wal = await ConsensusWal.open(path);
    expect(() => encodeWalFrame({ type: 9 as WalRecordType, payload: new Uint8Array(0) })).toThrow(WalError);
    await rejects(wal.append({ type: WalRecordType.VOTE, payload: new Uint8Array(WAL_MAX_PAYLOAD + 1) }), "WAL_INVALID_RECORD");
    await rejects(wal.append(rec(WalRecordType.END_HEIGHT, 1, 2)), "WAL_INVALID_RECORD");
    await rejects(wal.append(rec(WalRecordType.TIMEOUT, 1)), "WAL_INVALID_RECORD");
    await rejects(ConsensusWal.open(path), "WAL_LOCKED");
    await wal.close();

    writeFileSync(path, Buffer.from("BAIOSWA"));
    await rejects(ConsensusWal.open(path), "WAL_CORRUPT");
    writeFileSync(path, Buffer.concat([Buffer.from("BAIOSWAL"), Buffer.from([2, 0, 0, 0])]));
    await rejects(ConsensusWal.open(path), "WAL_CORRUPT");
    const unknown = encodeWalFrame(rec(WalRecordType.VOTE, 1));
    unknown[8] = 77;
    const { crc32 } = await import("node:zlib");
    new DataView(unknown.buffer).setUint32(4, crc32(unknown.subarray(8), crc32(unknown.subarray(0, 4))), true);
    writeFileSync(path, Buffer.concat([HEADER, unknown]));
    await rejects(ConsensusWal.open(path), "WAL_CORRUPT");
    // an empty file (never written) is recreated
    writeFileSync(path, Buffer.alloc(0));
    const fresh = await ConsensusWal.open(path);
    expect(await all(fresh)).toEqual([]);
    await fresh.close();
  });

  it("a failed rotation poisons the WAL until reopened", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-wal-"));
    const wal = await ConsensusWal.open(join(dir, WAL_FILE));
    await wal.append(rec(WalRecordType.VOTE, 1));
    rmSync(dir, { recursive: true }); // the rotation's temp file cannot be created
    const e = await rejects(wal.endHeight(1n), "WAL_WRITE_FAILED");
    expect(e.cause).toBeDefined();
    await rejects(wal.append(rec(WalRecordType.VOTE, 2)), "WAL_WRITE_FAILED");
    await wal.close();
  });

  it("TIMEOUT payload round-trips (fast-check)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.nat({ max: 0xffffffff }), fc.constantFrom<0 | 1 | 2>(0, 1, 2), (height, round, step) => {
        expect(decodeTimeout(encodeTimeout({ height, round, step }))).toEqual({ height, round, step });
      }),
    );
  });
});
