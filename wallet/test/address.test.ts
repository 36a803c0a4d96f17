import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bech32m } from "@scure/base";
import { AddressError, decodeAddress, decodeViewKey, encodeAddress, encodeViewKey, NETWORKS } from "../src/address.ts";

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const net = fc.constantFrom(...NETWORKS);
const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

describe("address", () => {
  it("round-trips (A, B, network)", () => {
    fc.assert(
      fc.property(net, key, key, (network, a, b) => {
        const s = encodeAddress({ network, viewPublic: a, spendPublic: b });
        const d = decodeAddress(s, network);
        expect(d.network).toBe(network);
        expect(d.viewPublic).toEqual(a);
        expect(d.spendPublic).toEqual(b);
      }),
    );
  });

  it("uses the chain prefix", () => {
    const z = new Uint8Array(32).fill(7);
    expect(encodeAddress({ network: "mainnet", viewPublic: z, spendPublic: z })).toMatch(/^baios1/);
    expect(encodeAddress({ network: "devnet", viewPublic: z, spendPublic: z })).toMatch(/^baiosdev1/);
  });

  it("rejects any single-character typo", () => {
    fc.assert(
      fc.property(net, key, key, fc.nat(), fc.integer({ min: 1, max: 31 }), (network, a, b, pos, delta) => {
        const s = encodeAddress({ network, viewPublic: a, spendPublic: b });
        const sep = s.lastIndexOf("1");
        const i = sep + 1 + (pos % (s.length - sep - 1));
        const c = CHARSET[(CHARSET.indexOf(s[i]!) + delta) % 32]!;
        const typo = s.slice(0, i) + c + s.slice(i + 1);
        expect(() => decodeAddress(typo)).toThrow(AddressError);
      }),
    );
  });

  it("rejects swapped adjacent characters", () => {
    fc.assert(
      fc.property(net, key, key, fc.nat(), (network, a, b, pos) => {
        const s = encodeAddress({ network, viewPublic: a, spendPublic: b });
        const sep = s.lastIndexOf("1");
        const i = sep + 1 + (pos % (s.length - sep - 2));
        if (s[i] === s[i + 1]) return;
        const typo = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
        expect(() => decodeAddress(typo)).toThrow(AddressError);
      }),
    );
  });

  it("rejects the wrong network, prefix, version, length and bech32 (non-m)", () => {
    const z = new Uint8Array(32).fill(9);
    const dev = encodeAddress({ network: "devnet", viewPublic: z, spendPublic: z });
    expect(() => decodeAddress(dev, "mainnet")).toThrow(/expected mainnet/);
    const p = new Uint8Array(65).fill(9);
    expect(() => decodeAddress(bech32m.encode("btc", bech32m.toWords(p), false))).toThrow(/unknown prefix/);
    p[0] = 2;
    expect(() => decodeAddress(bech32m.encode("baios", bech32m.toWords(p), false))).toThrow(/version/);
    expect(() => decodeAddress(bech32m.encode("baios", bech32m.toWords(new Uint8Array(64)), false))).toThrow(/65 bytes/);
    expect(() => decodeAddress("")).toThrow(AddressError);
    // a view key is not an address
    expect(() => decodeAddress(encodeViewKey({ network: "devnet", viewSecret: z, spendPublic: z }))).toThrow(/unknown prefix/);
  });

  it("accepts upper case (bech32 allows it) and surrounding whitespace", () => {
    const z = new Uint8Array(32).fill(3);
    const s = encodeAddress({ network: "mainnet", viewPublic: z, spendPublic: z });
    expect(decodeAddress(`  ${s.toUpperCase()}\n`).viewPublic).toEqual(z);
  });

  it("round-trips view keys", () => {
    fc.assert(
      fc.property(net, key, key, (network, a, b) => {
        const d = decodeViewKey(encodeViewKey({ network, viewSecret: a, spendPublic: b }));
        expect(d).toEqual({ network, viewSecret: a, spendPublic: b });
      }),
    );
  });
});
