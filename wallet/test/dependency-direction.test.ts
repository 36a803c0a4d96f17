/**
 * The layering of ARCHITECTURE.md, checked: crypto ← consensus, p2p ← node (with its API package)
 * ← light client ← wallet/CLI, never backwards. Both the declared workspace dependencies
 * (package.json) and the `@baios/*` imports actually written in each package's source files are
 * checked, so a backwards import fails here even when npm's hoisting would let it load.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Workspace folder, its package name, and the @baios packages its non-test code may import. */
const LAYERS: { dir: string; name: string; may: string[]; src: string[] }[] = [
  { dir: "crypto-wasm", name: "@baios/crypto", may: [], src: ["ts"] },
  { dir: "consensus", name: "@baios/consensus", may: ["@baios/crypto"], src: ["src"] },
  { dir: "p2p", name: "@baios/p2p", may: ["@baios/crypto", "@baios/consensus"], src: ["src"] },
  { dir: "node/api", name: "@baios/api", may: ["@baios/crypto", "@baios/consensus"], src: ["src"] },
  { dir: "node", name: "@baios/node", may: ["@baios/crypto", "@baios/consensus", "@baios/p2p", "@baios/api"], src: ["src"] },
  { dir: "wallet/light", name: "@baios/light-client", may: ["@baios/crypto", "@baios/consensus", "@baios/api"], src: ["src", "page"] },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e === "node_modules" || e === "dist") continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|js|mjs)$/.test(e) && !e.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** `@baios/x` package names imported (static, dynamic or re-exported) by a source text. */
export function baiosImports(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](@baios\/[a-z0-9-]+)/g)) found.add(m[1] as string);
  return [...found];
}

describe("dependency direction (ARCHITECTURE.md)", () => {
  it("the import scanner sees static, dynamic and re-export forms", () => {
    expect(baiosImports(`import { a } from "@baios/node/client";\nexport * from '@baios/p2p';\nconst m = await import("@baios/wallet");`).sort()).toEqual(["@baios/node", "@baios/p2p", "@baios/wallet"]);
    expect(baiosImports(`// no imports here: "@baios/node" in a string`)).toEqual([]);
  });

  for (const layer of LAYERS) {
    it(`${layer.name} (${layer.dir}) declares and imports only lower layers`, () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, layer.dir, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
      expect(pkg.name).toBe(layer.name);
      const declared = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@baios/"));
      expect(declared.filter((d) => !layer.may.includes(d))).toEqual([]);
      const bad: string[] = [];
      for (const sub of layer.src) {
        let files: string[];
        try {
          files = sourceFiles(join(ROOT, layer.dir, sub));
        } catch {
          continue; // a layer without that folder
        }
        for (const f of files) {
          for (const d of baiosImports(readFileSync(f, "utf8"))) {
            if (d !== layer.name && !layer.may.includes(d)) bad.push(`${f.slice(ROOT.length)} imports ${d}`);
          }
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
