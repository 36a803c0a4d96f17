/**
 * The fuzz harness shared by every fuzz target (docs/fuzzing.md): time-bounded fast-check runs
 * with a per-case timeout, and a process-level watch for what a property cannot see. A target is
 * one script (`<package>/fuzz/<name>.fuzz.ts`) that calls {@link runFuzzTarget}; `scripts/fuzz`
 * runs each in its own process under an outer `timeout`, so a synchronous hang fails too.
 *
 * A run fails (exit code 1) on: a case whose oracle throws (the property is falsified), a case
 * that takes longer than `caseTimeoutMs`, an unhandled promise rejection or an uncaught exception
 * anywhere in the process (server handlers included), or a failing `after` check. It prints one
 * line per target: `fuzz <name>: <cases> cases (<skipped> skipped) in <s> s, <n> failures`.
 *
 * Command line of a target: `node <target>.fuzz.ts [--seconds N] [--seed S]`; `FUZZ_SECONDS` and
 * `FUZZ_SEED` work too. A failure prints the seed and the fast-check path to replay it.
 * @module
 */
import fc from "fast-check";

/** Counts a target can bump from inside its property (shown in the summary line). */
export interface FuzzStats {
  /** Cases run (bumped by the harness). */
  cases: number;
  /** Cases skipped by the target (inputs it declines, e.g. a wallet file asking for 1 GiB of scrypt). */
  skipped: number;
  /** Target-defined counters, e.g. `{ decoded: 123, rejected: 4567 }`. */
  counters: Record<string, number>;
}

/** A fuzz target: an input generator, an oracle, optional setup/teardown. */
export interface FuzzTarget<T, C = void> {
  /** Short name printed in the summary (e.g. `tx-decoder`). */
  name: string;
  /** Builds shared state once (start a server, build seed inputs). */
  setup?: () => Promise<C> | C;
  /** Inputs. */
  arbitrary: (ctx: C) => fc.Arbitrary<T>;
  /** The oracle: throws (or rejects) when the case shows a bug. */
  check: (input: T, ctx: C, stats: FuzzStats) => Promise<void> | void;
  /** Checks after the run (e.g. the server still answers `status`); throws on failure. */
  after?: (ctx: C, stats: FuzzStats) => Promise<void> | void;
  /** Tears the shared state down. */
  teardown?: (ctx: C) => Promise<void> | void;
  /** Per-case timeout in ms (default 5000): a slower case counts as a hang. */
  caseTimeoutMs?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const short = (v: unknown): string => {
  let s: string;
  try {
    s = fc.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s;
};

/** Counts a named event in `stats.counters`. */
export function bump(stats: FuzzStats, key: string): void {
  stats.counters[key] = (stats.counters[key] ?? 0) + 1;
}

/** Rejects after `ms` with a "hang" error unless `p` settles first. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what} took more than ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `target` for `--seconds` (default 20) and exits the process: 0 when no case failed and no
 * crash was seen, else 1.
 */
export async function runFuzzTarget<T, C>(target: FuzzTarget<T, C>): Promise<never> {
  const seconds = Number(arg("seconds") ?? process.env["FUZZ_SECONDS"] ?? 20);
  const seedArg = arg("seed") ?? process.env["FUZZ_SEED"];
  const seed = seedArg !== undefined ? Number(seedArg) : Math.floor(Math.random() * 0x7fffffff);
  const caseTimeoutMs = target.caseTimeoutMs ?? 5000;
  const stats: FuzzStats = { cases: 0, skipped: 0, counters: {} };
  const crashes: string[] = [];
  process.on("uncaughtException", (e) => crashes.push(`uncaught exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  process.on("unhandledRejection", (e) => crashes.push(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

  const t0 = Date.now();
  const failures: string[] = [];
  let ctx: C | undefined;
  try {
    ctx = (await target.setup?.()) as C;
    const c = ctx as C;
    const property = fc.asyncProperty(target.arbitrary(c), async (input) => {
      stats.cases++;
      await withTimeout(Promise.resolve().then(() => target.check(input, c, stats)), caseTimeoutMs, `one ${target.name} case`);
      // let the event loop turn now and then, so stray rejections and exceptions surface here
      if (stats.cases % 64 === 0) await new Promise((r) => setImmediate(r));
      if (crashes.length > 0) throw new Error(`crash during this or one of the 64 previous cases: ${crashes[0]}`);
    });
    const details = await fc.check(property, {
      seed,
      numRuns: Number.POSITIVE_INFINITY,
      interruptAfterTimeLimit: seconds * 1000,
      markInterruptAsFailure: false,
      endOnFailure: false,
      // shrinking of a slow target stays within a few more seconds
      skipAllAfterTimeLimit: (seconds + 30) * 1000,
    });
    if (details.failed && details.numRuns === 0 && details.counterexample === null) {
      failures.push(`no case completed within ${seconds} s: the first case hangs or is far too slow`);
    } else if (details.failed) {
      const err = details.errorInstance;
      failures.push(
        `property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath ?? ""}")\n` +
          `  counterexample: ${short(details.counterexample?.[0])}\n` +
          `  error: ${err instanceof Error ? (err.stack ?? err.message) : short(err)}`,
      );
    }
    await target.after?.(c, stats);
  } catch (e) {
    failures.push(`harness: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    if (ctx !== undefined) await Promise.resolve(target.teardown?.(ctx)).catch((e: unknown) => failures.push(`teardown: ${String(e)}`));
  }
  // give stray callbacks a moment to surface as crashes
  await new Promise((r) => setTimeout(r, 200));
  const distinct = [...new Set(crashes)];
  for (const c of distinct.slice(0, 5)) failures.push(c);
  if (distinct.length > 5) failures.push(`… and ${distinct.length - 5} more distinct crashes (${crashes.length} in all)`);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const extra = Object.entries(stats.counters)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  console.log(`fuzz ${target.name}: ${stats.cases} cases (${stats.skipped} skipped) in ${secs} s, ${failures.length} failures, seed ${seed}${extra === "" ? "" : ` [${extra}]`}`);
  for (const f of failures) console.log(`  FAIL ${target.name}: ${f}`);
  process.exit(failures.length === 0 ? 0 : 1);
}
