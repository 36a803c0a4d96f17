import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatBai, parseBai } from "../src/amount.ts";

describe("amounts", () => {
  it("parse ∘ format is the identity", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a) => {
      expect(parseBai(formatBai(a))).toBe(a);
    }));
  });
  it("parses and rejects", () => {
    expect(parseBai("12.5")).toBe(1_250_000_000n);
    expect(parseBai("0.00000001")).toBe(1n);
    expect(() => parseBai("0.000000001")).toThrow();
    expect(() => parseBai("-1")).toThrow();
    expect(() => parseBai("1e3")).toThrow();
    expect(formatBai(1_250_000_000n)).toBe("12.5");
    expect(formatBai(0n)).toBe("0");
  });
});
