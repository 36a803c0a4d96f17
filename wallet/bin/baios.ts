#!/usr/bin/env node
// The `baios` CLI entry (Node ≥ 22.18 runs TypeScript natively). See docs/wallet.md.
// No top-level await: a prompt ended by Ctrl-D must not trip Node's "unsettled top-level await" warning.
import { main } from "../src/cli/index.ts";

void main();
