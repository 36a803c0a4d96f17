/** Payloads of the WAL crash test (helpers/wal-child.ts): u64le h ‖ u32le i ‖ filler byte j = (h·31 + i·7 + j) mod 256. */
export function payloadOf(h: bigint, i: number, len: number): Uint8Array {
  const p = new Uint8Array(12 + len);
  const v = new DataView(p.buffer);
  v.setBigUint64(0, h, true);
  v.setUint32(8, i, true);
  const base = Number((h * 31n) % 256n) + i * 7;
  for (let j = 0; j < len; j++) p[12 + j] = (base + j) & 0xff;
  return p;
}

/** The (h, i) of a payload, or undefined when its filler is wrong. */
export function parsePayload(p: Uint8Array): { h: bigint; i: number } | undefined {
  if (p.length < 12) return undefined;
  const v = new DataView(p.buffer, p.byteOffset, p.length);
  const h = v.getBigUint64(0, true);
  const i = v.getUint32(8, true);
  const expect = payloadOf(h, i, p.length - 12);
  return expect.every((x, j) => x === p[j]) ? { h, i } : undefined;
}
