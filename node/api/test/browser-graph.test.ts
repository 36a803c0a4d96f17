/**
 * `@baios/api`'s main entry is browser-safe: bundling it for the browser (rolldown, the bundler
 * under vite) reaches no Node built-in module (`node:*`, `fs`, `crypto`, …), no Node global
 * (`Buffer`, `process`) and nothing of `@baios/node`; the Node-only `./node` entry does reach
 * `node:fs` (so the check can fail).
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { rolldown, type Plugin } from "rolldown";
import { describe, expect, it } from "vitest";

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (id: string): boolean => id.startsWith("node:") || BUILTINS.has(id) || BUILTINS.has(id.split("/")[0] as string);

interface Graph {
  /** Every specifier imported by a module of the graph, with its importer. */
  imports: { id: string; importer: string }[];
  /** Absolute paths of the bundled modules. */
  modules: string[];
  /** The bundled code. */
  code: string;
}

/** Bundles `entry` for the browser; every Node built-in is recorded and left external. */
async function bundle(entry: string): Promise<Graph> {
  const imports: Graph["imports"] = [];
  const record: Plugin = {
    name: "record-imports",
    resolveId(id, importer) {
      if (importer !== undefined) imports.push({ id, importer });
      return isBuiltin(id) ? { id, external: true } : null;
    },
  };
  const build = await rolldown({ input: fileURLToPath(new URL(entry, import.meta.url)), platform: "browser", plugins: [record], logLevel: "silent" });
  try {
    const { output } = await build.generate({ format: "esm" });
    const chunk = output.find((o) => o.type === "chunk");
    if (chunk === undefined) throw new Error("no chunk");
    return { imports, modules: chunk.moduleIds.filter((m) => !m.startsWith("\0")), code: chunk.code };
  } finally {
    await build.close();
  }
}

describe("@baios/api module graph", () => {
  it("the main entry imports no Node built-in, no Node global and nothing of @baios/node", async () => {
    const g = await bundle("../src/index.ts");
    expect(g.imports.filter((i) => isBuiltin(i.id))).toEqual([]);
    expect(g.modules.some((m) => m.endsWith("/node/api/src/client.ts"))).toBe(true);
    expect(g.modules.some((m) => m.includes("json-rpc-2.0"))).toBe(true);
    // no module of the node, of the consensus rules (type imports only) or of the crypto core
    expect(g.modules.filter((m) => /\/(node\/src|consensus|crypto-wasm|classic-level)\//.test(m))).toEqual([]);
    expect(g.modules.filter((m) => m.endsWith("/node/api/src/node.ts"))).toEqual([]);
    expect(g.code).not.toMatch(/\bBuffer\s*[.(]|\bprocess\.\w|\brequire\(/);
  });

  it("the Node entry does reach node:fs (the check sees built-ins)", async () => {
    const g = await bundle("../src/node.ts");
    expect(g.imports.filter((i) => isBuiltin(i.id)).map((i) => i.id)).toContain("node:fs");
  });
});
