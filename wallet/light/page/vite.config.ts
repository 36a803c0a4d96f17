// Vite build of the light-client page (`npx vite build wallet/light/page`, or `baios light`, which
// builds it on first use): output in dist/, ES2022 (top-level await of the WebAssembly core).
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  publicDir: false,
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
});
