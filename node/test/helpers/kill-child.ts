/**
 * The kill -9 harness of the crash tests: runs a child script (`node <script> …args`) that prints
 * `READY` once set up and then one line per completed step, SIGKILLs it `killAfterMs` ms after
 * READY, and resolves with every line it printed after READY (split on spaces) and its stderr.
 * Rejects when the child exits any other way or is not ready within 20 s.
 */
import { spawn } from "node:child_process";

/** What a killed child reported: its lines (words) in order, and its stderr. */
export interface KilledChild {
  lines: string[][];
  stderr: string;
}

export function runUntilKilled(script: string, args: readonly string[], killAfterMs: number): Promise<KilledChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    let stderr = "";
    const lines: string[][] = [];
    const timer = setTimeout(() => reject(new Error(`child never became ready: ${stderr}`)), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).split(" ");
        buf = buf.slice(i + 1);
        if (line[0] === "READY") {
          clearTimeout(timer);
          setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        } else lines.push(line);
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ lines, stderr });
    });
  });
}
