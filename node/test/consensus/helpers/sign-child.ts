/**
 * Child process for the double-sign guard tests: `sign-child.ts <statePath> hold|loop`.
 * - `hold`: opens the guard, prints `READY`, and waits (lock test).
 * - `loop`: opens the guard, prints `READY <h> <r> <s>` (or `READY none`), re-signs the recorded
 *   position with its message (must return the stored signature), then signs ever higher
 *   positions in a loop, printing `S <h> <r> <s> <signature hex>` after each `sign` resolved;
 *   every few steps it also checks that a conflicting and a regressing request are refused
 *   (prints `BUG …` otherwise). The signature is fresh random bytes, so a re-sign would show.
 * The message hash of a position is SHA-256 of "msg h r s", so a restarted child asks for the
 * same message at the same position. The parent kills it with SIGKILL.
 */
import { createHash, randomBytes } from "node:crypto";
import { SignerGuard, SignerGuardError, type HeightRoundStep, type SignStep } from "../../../src/consensus/signer-guard.ts";

const [path, mode] = process.argv.slice(2);
if (path === undefined || (mode !== "hold" && mode !== "loop")) throw new Error("usage: sign-child.ts <statePath> hold|loop");
const guard = await SignerGuard.open(path);
if (mode === "hold") {
  process.stdout.write("READY\n");
  setInterval(() => undefined, 1 << 30);
} else {
  const messageOf = (p: HeightRoundStep): Uint8Array => createHash("sha256").update(`msg ${p.height} ${p.round} ${p.step}`).digest();
  const out = (p: HeightRoundStep, sig: Uint8Array): boolean => process.stdout.write(`S ${p.height} ${p.round} ${p.step} ${Buffer.from(sig).toString("hex")}\n`);
  const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => "ok", (e: unknown) => (e instanceof SignerGuardError ? e.code : String(e)));
  const last = guard.last;
  process.stdout.write(last === undefined ? "READY none\n" : `READY ${last.height} ${last.round} ${last.step}\n`);
  let pos: HeightRoundStep = last === undefined ? { height: 1n, round: 0, step: 0 } : { height: last.height, round: last.round, step: last.step };
  if (last !== undefined) out(pos, await guard.sign(pos, messageOf(pos), () => randomBytes(64)));
  for (let i = 0; ; i++) {
    const r = Math.random();
    pos = r < 0.5 && pos.step < 2 ? { ...pos, step: (pos.step + 1) as SignStep } : r < 0.7 ? { height: pos.height, round: pos.round + 1, step: 0 } : { height: pos.height + 1n, round: 0, step: 0 };
    out(pos, await guard.sign(pos, messageOf(pos), () => randomBytes(64)));
    if (i % 5 === 0) {
      const other = await codeOf(guard.sign(pos, randomBytes(32), () => randomBytes(64)));
      if (other !== "DOUBLE_SIGN_CONFLICT") process.stdout.write(`BUG conflict ${other}\n`);
      const lower = await codeOf(guard.sign({ height: pos.height - 1n, round: 0, step: 2 }, messageOf(pos), () => randomBytes(64)));
      if (lower !== "DOUBLE_SIGN_REGRESSION") process.stdout.write(`BUG regression ${lower}\n`);
    }
  }
}
