import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameReader, frame } from "../src/frames.ts";
import { PEX_MAX_BYTES, parsePex, pexProtocol } from "../src/pex.ts";

async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.slice(at, c);
    at = c;
  }
  yield bytes.slice(at);
}

describe("length-prefixed frames", () => {
  it("read back whatever the chunking (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 10 }), async (bodies, cuts) => {
        const all = bodies.map(frame);
        const joined = new Uint8Array(all.reduce((n, f) => n + f.length, 0));
        let at = 0;
        for (const f of all) joined.set(f, (at += f.length) - f.length);
        const r = new FrameReader(chunks(joined, cuts));
        for (const b of bodies) expect(await r.frame(300)).toEqual(b);
      }),
    );
  });

  it("refuses a frame over the cap from its 4-byte prefix alone", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Uint8Array.of(0, 0x40, 0, 0); // announces 4 MiB
      for (;;) {
        pulled++;
        yield new Uint8Array(65_536);
      }
    }
    await expect(new FrameReader(source()).frame(65_536)).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(pulled).toBe(0);
  });

  it("a truncated stream is BAD_RESPONSE", async () => {
    await expect(new FrameReader(chunks(frame(new Uint8Array(10)).subarray(0, 8), [])).frame(100)).rejects.toMatchObject({ code: "BAD_RESPONSE" });
  });
});

describe("peer-exchange answers", () => {
  it("parsePex never throws and accepts only well-formed lists (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const r = parsePex(b);
        expect(r === undefined || Array.isArray(r)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parsePex(new TextEncoder().encode(JSON.stringify(v)));
        if (r !== undefined) for (const e of r) expect(typeof e.id === "string" && e.addrs.every((a) => typeof a === "string")).toBe(true);
      }),
    );
  });

  it("the server's answer is capped (16 peers, 4 addresses each, ≤ 16 KiB) and parses back", async () => {
    const long = (i: number) => ({ id: `12D3KooW${"x".repeat(44)}${i}`, addrs: Array.from({ length: 9 }, (_, k) => `/ip4/127.0.0.1/tcp/${1000 + k}/p2p/${"y".repeat(52)}`) });
    const spec = pexProtocol(async () => Array.from({ length: 40 }, (_, i) => long(i)));
    const out = await spec.handler(new Uint8Array(0), "requester");
    expect(out.length).toBeLessThanOrEqual(PEX_MAX_BYTES);
    const parsed = parsePex(out);
    expect(parsed?.length).toBe(16);
    expect(parsed?.every((e) => e.addrs.length === 4)).toBe(true);
  });
});
