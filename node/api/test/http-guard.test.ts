/**
 * Properties of the shared HTTP guard (node/api/src/http-guard.ts, `@baios/api/server`) on arbitrary input: header
 * parsing never throws, only the exact token authenticates, the depth check agrees with a plain
 * recursive count, and token files are 0600.
 */
import { mkdtempSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAuth, checkContentType, checkHost, generateToken, loadOrCreateTokenFile, nestedDeeperThan, parseHostHeader, readTokenFile, type GuardOptions } from "../src/http-guard.ts";

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const guard = (token: string | undefined): GuardOptions => ({ bindHost: "127.0.0.1", port: 28545, token, allowOrigins: [], allowHosts: [], realm: "t" });

const depth = (v: unknown): number => (typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);

describe("http guard", () => {
  it("header parsers never throw on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const h = parseHostHeader(s);
        if (h !== undefined) expect(h.port).toBeLessThanOrEqual(65535);
        checkHost(req({ host: s }), guard(undefined));
        checkContentType(req({ "content-type": s }));
        checkAuth(req({ authorization: s }), guard("ab".repeat(32)));
      }),
      { numRuns: 500 },
    );
  });

  it("only the exact token authenticates, as Bearer or as the Basic password", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 70 }).filter((s) => !/\s/.test(s)), fc.string({ maxLength: 10 }).filter((u) => !u.includes(":")), (other, user) => {
        const token = generateToken();
        const g = guard(token);
        expect(checkAuth(req({ authorization: `Bearer ${token}` }), g)).toBeUndefined();
        expect(checkAuth(req({ authorization: `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}` }), g)).toBeUndefined();
        fc.pre(other !== token);
        expect(checkAuth(req({ authorization: `Bearer ${other}` }), g)?.status).toBe(401);
        expect(checkAuth(req({ authorization: `Basic ${Buffer.from(`${user}:${other}`).toString("base64")}` }), g)?.status).toBe(401);
        expect(checkAuth(req({}), g)?.status).toBe(401);
      }),
      { numRuns: 200 },
    );
  });

  it("nestedDeeperThan agrees with a recursive depth count", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (v, max) => {
        expect(nestedDeeperThan(v, max)).toBe(depth(v) > max);
      }),
      { numRuns: 500 },
    );
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    expect(nestedDeeperThan(deep, 32)).toBe(true);
  });

  it("token files are created 0600, reused, and must hold 64 hex characters", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-guard-"));
    const f = join(dir, "t.rpc-token");
    const t = loadOrCreateTokenFile(f);
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(loadOrCreateTokenFile(f)).toBe(t);
    expect(readTokenFile(f)).toBe(t);
    expect(() => readTokenFile(join(dir, "missing"))).toThrow(/cannot read/);
  });
});
