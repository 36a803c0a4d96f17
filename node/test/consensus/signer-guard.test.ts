/**
 * The double-sign guard on real files: regression / conflict / idempotent re-sign, persistence
 * across reopen, corrupt files refused (and the operator reset), the lock, and a fast-check
 * property that no sequence of requests (with reopens and concurrent calls) ever yields two
 * different signatures for one (height, round, step).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SignerGuard,
  SignerGuardError,
  SignStep,
  VALIDATOR_STATE_BYTES,
  VALIDATOR_STATE_FILE,
  compareHrs,
  decodeValidatorState,
  encodeValidatorState,
  type HeightRoundStep,
  type SignerGuardErrorCode,
} from "../../src/consensus/signer-guard.ts";

const tmp = (): string => mkdtempSync(join(tmpdir(), "baios-guard-"));
const statePath = (): string => join(tmp(), VALIDATOR_STATE_FILE);
const hrs = (height: number, round: number, step: SignStep): HeightRoundStep => ({ height: BigInt(height), round, step });
const msg = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

async function rejects(p: Promise<unknown>, code: SignerGuardErrorCode): Promise<SignerGuardError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SignerGuardError);
  expect((e as SignerGuardError).code).toBe(code);
  return e as SignerGuardError;
}

/** A signFn returning fresh random bytes and counting its calls (re-signing would be visible). */
function signer(): { fn: () => Uint8Array; calls: number } {
  const s = { calls: 0, fn: (): Uint8Array => (s.calls++, randomBytes(64)) };
  return s;
}

describe("SignerGuard rules", () => {
  it("signs increasing positions, refuses regressions and conflicts, re-signs idempotently", async () => {
    const path = statePath();
    const g = await SignerGuard.open(path);
    const s = signer();
    expect(g.last).toBeUndefined();
    const a = await g.sign(hrs(5, 0, SignStep.PREVOTE), msg(1), s.fn);
    expect(a.length).toBe(64);
    expect(g.last).toMatchObject({ height: 5n, round: 0, step: SignStep.PREVOTE });
    expect(hex(g.last!.signature!)).toBe(hex(a));

    // lower: same height lower step, lower round, lower height
    await rejects(g.sign(hrs(5, 0, SignStep.PROPOSAL), msg(1), s.fn), "DOUBLE_SIGN_REGRESSION");
    await rejects(g.sign(hrs(4, 9, SignStep.PRECOMMIT), msg(1), s.fn), "DOUBLE_SIGN_REGRESSION");
    // equal, other message
    const c = await rejects(g.sign(hrs(5, 0, SignStep.PREVOTE), msg(2), s.fn), "DOUBLE_SIGN_CONFLICT");
    expect(c.reason).toContain("h=5");
    // equal, same message: the stored signature, signFn not called
    expect(hex(await g.sign(hrs(5, 0, SignStep.PREVOTE), msg(1), s.fn))).toBe(hex(a));
    expect(s.calls).toBe(1);

    // higher: precommit, next round, next height
    const b = await g.sign(hrs(5, 0, SignStep.PRECOMMIT), msg(3), s.fn);
    await g.sign(hrs(5, 1, SignStep.PROPOSAL), msg(4), s.fn);
    const d = await g.sign(hrs(6, 0, SignStep.PROPOSAL), msg(5), s.fn);
    expect(s.calls).toBe(4);
    await rejects(g.sign(hrs(5, 0, SignStep.PRECOMMIT), msg(3), s.fn), "DOUBLE_SIGN_REGRESSION");
    expect(hex(b)).not.toBe(hex(d));
    await g.close();
    await rejects(g.sign(hrs(7, 0, 0), msg(1), s.fn), "CLOSED");

    // the record survives a reopen; the idempotent re-sign works after it
    const g2 = await SignerGuard.open(path);
    expect(g2.last).toMatchObject({ height: 6n, round: 0, step: SignStep.PROPOSAL });
    expect(hex(await g2.sign(hrs(6, 0, SignStep.PROPOSAL), msg(5), s.fn))).toBe(hex(d));
    await rejects(g2.sign(hrs(6, 0, SignStep.PROPOSAL), msg(6), s.fn), "DOUBLE_SIGN_CONFLICT");
    expect(s.calls).toBe(4);
    await g2.close();
  });

  it("checks inputs and the signature length; a throwing signFn changes nothing", async () => {
    const g = await SignerGuard.open(statePath());
    await rejects(g.sign(hrs(1, 0, 1), new Uint8Array(31), () => randomBytes(64)), "INVALID_REQUEST");
    await rejects(g.sign({ height: -1n, round: 0, step: 0 }, msg(1), () => randomBytes(64)), "INVALID_REQUEST");
    await rejects(g.sign({ height: 1n << 64n, round: 0, step: 0 }, msg(1), () => randomBytes(64)), "INVALID_REQUEST");
    await rejects(g.sign({ height: 1n, round: 2 ** 32, step: 0 }, msg(1), () => randomBytes(64)), "INVALID_REQUEST");
    await rejects(g.sign({ height: 1n, round: 0, step: 3 as SignStep }, msg(1), () => randomBytes(64)), "INVALID_REQUEST");
    await rejects(g.sign(hrs(1, 0, 1), msg(1), () => randomBytes(63)), "INVALID_SIGNATURE");
    await expect(g.sign(hrs(1, 0, 1), msg(1), () => { throw new Error("hsm unplugged"); })).rejects.toThrow("hsm unplugged");
    expect(g.last).toBeUndefined();
    expect(existsSync(g.path)).toBe(false);
    // still usable, and the same position can now be signed
    await g.sign(hrs(1, 0, 1), msg(1), () => randomBytes(64));
    await g.close();
  });

  it("a failed write returns no signature and poisons the guard until reopened", async () => {
    const dir = tmp();
    const g = await SignerGuard.open(join(dir, VALIDATOR_STATE_FILE));
    await g.sign(hrs(1, 0, 0), msg(1), () => randomBytes(64));
    rmSync(dir, { recursive: true }); // the write of the next record fails (ENOENT)
    const e = await rejects(g.sign(hrs(2, 0, 0), msg(2), () => randomBytes(64)), "STATE_WRITE_FAILED");
    expect(e.cause).toBeDefined();
    await rejects(g.sign(hrs(3, 0, 0), msg(3), () => randomBytes(64)), "STATE_WRITE_FAILED");
    expect(g.last?.height).toBe(1n);
    await g.close();
  });

  it("serialises concurrent requests: one signature per position", async () => {
    const g = await SignerGuard.open(statePath());
    const s = signer();
    const reqs = [hrs(3, 0, 1), hrs(3, 0, 1), hrs(3, 0, 2), hrs(3, 0, 1), hrs(3, 0, 2)];
    const res = await Promise.allSettled(reqs.map((x) => g.sign(x, msg(x.step), s.fn)));
    expect(res.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const v = res.map((r) => (r.status === "fulfilled" ? hex(r.value) : ""));
    expect(v[0]).toBe(v[1]);
    expect(v[2]).toBe(v[4]);
    expect(s.calls).toBe(2);
    await g.close();
  });
});

describe("SignerGuard state file", () => {
  it("encodes 124 bytes and round-trips (fast-check)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 1, 2), fc.boolean(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (height, round, step, has, h, sig) => {
        const s = { height, round, step: step as SignStep, messageHash: has ? h : undefined, signature: has ? sig : undefined };
        const b = encodeValidatorState(s);
        expect(b.length).toBe(VALIDATOR_STATE_BYTES);
        expect(decodeValidatorState(b)).toEqual(s);
      }),
    );
  });

  it("refuses a truncated, bit-flipped or foreign file at open and leaves it untouched", async () => {
    const path = statePath();
    const g = await SignerGuard.open(path);
    await g.sign(hrs(9, 2, 1), msg(7), () => randomBytes(64));
    await g.close();
    const good = readFileSync(path);
    const variants: Uint8Array[] = [good.subarray(0, 0), good.subarray(0, 60), good.subarray(0, 123), Buffer.concat([good, Buffer.from([0])]), Buffer.from("{\"height\":9}")];
    for (let i = 0; i < good.length; i += 7) {
      const f = Buffer.from(good);
      f[i]! ^= 0x10;
      variants.push(f);
    }
    for (const v of variants) {
      writeFileSync(path, v);
      const e = await rejects(SignerGuard.open(path), "STATE_CORRUPT");
      expect(e.reason).toContain("docs/node.md");
      expect(Buffer.compare(readFileSync(path), v)).toBe(0);
    }
    // the lock was released by each failed open: a good file opens again
    writeFileSync(path, good);
    await (await SignerGuard.open(path)).close();
  });

  it("create: false refuses a missing file", async () => {
    await rejects(SignerGuard.open(statePath(), { create: false }), "STATE_MISSING");
  });

  it("resetState: keeps the corrupt file aside, refuses everything at or below the reset point, never lowers", async () => {
    const path = statePath();
    writeFileSync(path, "garbage");
    await rejects(SignerGuard.open(path), "STATE_CORRUPT");
    await SignerGuard.resetState(path, hrs(100, 0, SignStep.PRECOMMIT));
    expect(readdirSync(join(path, "..")).some((f) => f.startsWith(`${VALIDATOR_STATE_FILE}.corrupt-`))).toBe(true);
    const g = await SignerGuard.open(path);
    expect(g.last).toEqual({ height: 100n, round: 0, step: 2, messageHash: undefined, signature: undefined });
    await rejects(g.sign(hrs(100, 0, SignStep.PRECOMMIT), msg(1), () => randomBytes(64)), "DOUBLE_SIGN_CONFLICT");
    await rejects(g.sign(hrs(99, 5, SignStep.PRECOMMIT), msg(1), () => randomBytes(64)), "DOUBLE_SIGN_REGRESSION");
    // reset needs the lock: refused while the guard is open
    await rejects(SignerGuard.resetState(path, hrs(200, 0, 0)), "STATE_LOCKED");
    await g.sign(hrs(101, 0, SignStep.PROPOSAL), msg(1), () => randomBytes(64));
    await g.close();
    await rejects(SignerGuard.resetState(path, hrs(50, 0, 0)), "DOUBLE_SIGN_REGRESSION");
    expect(decodeValidatorState(readFileSync(path)).height).toBe(101n);
  });
});

describe("SignerGuard lock", () => {
  it("refuses a second guard in this process until the first is closed", async () => {
    const path = statePath();
    const g = await SignerGuard.open(path);
    const [a, b] = await Promise.allSettled([SignerGuard.open(path), SignerGuard.open(path)]);
    expect(a.status).toBe("rejected");
    expect(b.status).toBe("rejected");
    expect((a as PromiseRejectedResult).reason.code).toBe("STATE_LOCKED");
    await g.close();
    await (await SignerGuard.open(path)).close();
  });

  it("refuses a lock held by a live process, takes over one left by a dead process", async () => {
    const path = statePath();
    writeFileSync(`${path}.lock`, "1\n"); // init is alive
    const e = await rejects(SignerGuard.open(path), "STATE_LOCKED");
    expect(e.reason).toContain("process 1");
    const child = spawn(process.execPath, ["-e", "0"]);
    const deadPid = child.pid!;
    await new Promise((r) => child.once("exit", r));
    writeFileSync(`${path}.lock`, `${deadPid}\n`);
    const g = await SignerGuard.open(path);
    expect(readFileSync(`${path}.lock`, "utf8")).toBe(`${process.pid}\n`);
    await g.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("refuses a guard held by another live process (real child), and takes over after its kill -9", async () => {
    const path = statePath();
    const child = spawn(process.execPath, [fileURLToPath(new URL("./helpers/sign-child.ts", import.meta.url)), path, "hold"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    for (const t0 = Date.now(); !out.includes("READY"); await new Promise((r) => setTimeout(r, 20))) if (Date.now() - t0 > 15_000) throw new Error("child did not start");
    const e = await rejects(SignerGuard.open(path), "STATE_LOCKED");
    expect(e.reason).toContain(`process ${child.pid}`);
    child.kill("SIGKILL");
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
    await (await SignerGuard.open(path)).close();
  });
});

describe("SignerGuard property", () => {
  type Op = { kind: "sign"; h: number; r: number; s: SignStep; m: number } | { kind: "reopen" } | { kind: "burst"; reqs: { h: number; r: number; s: SignStep; m: number }[] };
  const req = fc.record({ h: fc.integer({ min: 0, max: 3 }), r: fc.integer({ min: 0, max: 2 }), s: fc.constantFrom<SignStep>(0, 1, 2), m: fc.integer({ min: 0, max: 2 }) });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: req.map((x) => ({ kind: "sign" as const, ...x })) },
    { weight: 1, arbitrary: fc.constant({ kind: "reopen" as const }) },
    { weight: 1, arbitrary: fc.array(req, { minLength: 2, maxLength: 4 }).map((reqs) => ({ kind: "burst" as const, reqs })) },
  );

  it("never yields two different signatures for one (height, round, step), and follows the model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        const path = statePath();
        let g = await SignerGuard.open(path);
        const seen = new Map<string, string>(); // position → signature
        let model: { pos: HeightRoundStep; m: number } | undefined; // last signed
        const check = (x: { h: number; r: number; s: SignStep; m: number }, res: PromiseSettledResult<Uint8Array>): void => {
          const pos = hrs(x.h, x.r, x.s);
          const c = model === undefined ? 1 : compareHrs(pos, model.pos);
          const expected: string = c > 0 ? "ok" : c < 0 ? "DOUBLE_SIGN_REGRESSION" : model!.m === x.m ? "ok" : "DOUBLE_SIGN_CONFLICT";
          expect(res.status === "fulfilled" ? "ok" : (res.reason as SignerGuardError).code).toBe(expected);
          if (res.status !== "fulfilled") return;
          const key = `${x.h}/${x.r}/${x.s}`;
          const sig = hex(res.value);
          if (seen.has(key)) expect(sig).toBe(seen.get(key));
          seen.set(key, sig);
          model = { pos, m: x.m };
        };
        try {
          for (const o of ops) {
            if (o.kind === "reopen") {
              await g.close();
              g = await SignerGuard.open(path);
            } else if (o.kind === "sign") {
              const [res] = await Promise.allSettled([g.sign(hrs(o.h, o.r, o.s), msg(o.m), () => randomBytes(64))]);
              check(o, res!);
            } else {
              const res = await Promise.allSettled(o.reqs.map((x) => g.sign(hrs(x.h, x.r, x.s), msg(x.m), () => randomBytes(64))));
              o.reqs.forEach((x, i) => check(x, res[i]!));
            }
          }
          if (model !== undefined) expect(g.last).toMatchObject(model.pos);
        } finally {
          await g.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
