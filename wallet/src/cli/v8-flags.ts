/**
 * `baios node`'s V8 heap flags (node config `v8Flags`, docs/node.md §Memory). V8 reads its heap
 * limits when the process's isolate is created, so they cannot be set from inside a running
 * process: `baios node` re-executes itself once, same pid, with the flags in front of its
 * arguments (`process.execve`, Node ≥ 23.11), before the node (WebAssembly, LevelDB, libp2p) is
 * loaded. Worker threads share the process's V8 flags.
 * @module
 */

/** Set in the environment of the re-executed process, so it never re-executes again. */
export const V8_REEXEC_ENV = "BAIOS_V8_REEXEC";

/**
 * The command line to re-execute with, or undefined when nothing needs doing: `flags` empty,
 * every flag's name already among `execArgv`, or `env` says this process is the re-executed one.
 * Returns `[execPath, ...execArgv, ...flags, ...argv.slice(1)]` (the flags after the existing
 * node options, so an explicit `node --max-semi-space-size=…` would still come first).
 */
export function v8Reexec(flags: readonly string[], p: { execPath: string; execArgv: readonly string[]; argv: readonly string[]; env: NodeJS.ProcessEnv }): string[] | undefined {
  if (flags.length === 0 || p.env[V8_REEXEC_ENV] === "1") return undefined;
  const name = (f: string): string => f.split("=")[0] as string;
  const have = new Set(p.execArgv.map(name));
  const missing = flags.filter((f) => !have.has(name(f)));
  if (missing.length === 0) return undefined;
  return [p.execPath, ...p.execArgv, ...missing, ...p.argv.slice(1)];
}

/**
 * Re-executes this process with `flags` when {@link v8Reexec} says so and `process.execve`
 * is available (never returns then); otherwise (older Node, Windows) returns and the node runs
 * with V8's defaults.
 */
export function applyV8Flags(flags: readonly string[]): void {
  const args = v8Reexec(flags, process);
  // process.execve: Node ≥ 23.11, and not on Windows (there it throws ERR_FEATURE_UNAVAILABLE_ON_PLATFORM)
  if (args === undefined || typeof process.execve !== "function" || process.platform === "win32") return;
  process.execve(process.execPath, args, { ...process.env, [V8_REEXEC_ENV]: "1" });
}
