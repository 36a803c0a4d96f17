/**
 * Node-only parts of the light client (`@baios/light-client/node`): a checkpoint store in a file.
 * @module
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import type { CheckpointStore } from "./checkpoint.ts";

/** A checkpoint in a file, replaced atomically (written to `<path>.tmp`, then renamed). */
export class FileCheckpointStore implements CheckpointStore {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  async load(): Promise<string | undefined> {
    try {
      return await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }
  async save(text: string): Promise<void> {
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, text, "utf8");
    await rename(tmp, this.path);
  }
}
