/**
 * The light-client web page (docs/light-client.md §7.1): loads the root of trust (trust.ts), opens a
 * `LightClient` (checkpoint in `localStorage`), follows the finality certificates from genesis or
 * the checkpoint to the node's tip, and shows the verified head, its validator set and stake, the
 * verified cascade and what the node reports about its storage; the output box fetches an MMR
 * inclusion proof and verifies it here, in the WebAssembly core. Every refusal is shown with its
 * light-client code and reason (messages.ts).
 *
 * For tests and scripts the page exposes its state on `<body>`: `data-state` (`loading`,
 * `verifying`, `verified`, `rejected`, `error`), `data-height` (verified height), `data-code`
 * (the last refusal's code); the proof box has `data-state` (`idle`, `verifying`, `ok`,
 * `rejected`, `error`) and `data-code`.
 * @module
 */
import { blockHash, decodeCertificate, decodeInclusionProof, equalBytes, fromHex, toHex, type BlockHeader } from "@baios/consensus";
import { LightClient, LightClientError, LocalStorageCheckpointStore, hexField, verifyOutputInclusion, type VerifiedCascade } from "@baios/light-client";
import { explain, meaning, type Explained } from "./messages.ts";
import { NodeCallError, PageTransport } from "./transport.ts";
import { loadTrust, type PageTrust } from "./trust.ts";
import { byId, el, fmt, fmtBytes, fmtDuration, pct, setRows, setTag, shortHex, type Row } from "./view.ts";

/** Repeated verifications timed for the "verify time" row. */
const TIMING_RUNS = 200;

const transport = new PageTransport();
let trust: PageTrust | undefined;
let client: LightClient | undefined;
/** Signers of the verified head's certificate (from the update the client accepted). */
let headSigners: { count: number; stake: bigint; total: bigint; height: bigint } | undefined;
let stepsVerified = 0;
let setChangesFollowed = 0;
let startedFrom = "genesis";

const body = document.body;

function showBanner(x: Explained | undefined): void {
  const b = byId("banner");
  if (x === undefined) {
    b.hidden = true;
    return;
  }
  b.replaceChildren(el("strong", x.headline), el("span", x.detail));
  b.title = meaning(x.code);
  b.hidden = false;
}

function fail(e: unknown): Explained {
  const x = explain(e);
  body.dataset["state"] = x.kind;
  body.dataset["code"] = x.code;
  showBanner(x);
  return x;
}

// ---------------------------------------------------------------- head and validators

/** Records who signed the head's certificate, from the last accepted update (its last step is the head). */
function recordSigners(): void {
  const c = client;
  const steps = transport.lastUpdate?.steps;
  const last = steps?.[steps.length - 1];
  if (c === undefined || last === undefined) return;
  const cert = decodeCertificate(fromHex(last.certificate));
  if (!equalBytes(cert.blockHash, c.head.hash)) return;
  const set = c.head.previousSet !== undefined && !equalBytes(c.head.header.validatorsHash, c.head.set.hash) ? c.head.previousSet : c.head.set;
  let stake = 0n;
  for (const v of cert.votes) stake += set.validators.find((x) => equalBytes(x.publicKey, v.validator))?.stake ?? 0n;
  headSigners = { count: cert.votes.length, stake, total: set.totalStake, height: c.head.header.height };
}

/** The head's age against the trusting period (docs/light-client.md §2.3). */
function trustAge(c: LightClient): string {
  const age = fmtDuration(c.headAgeMs);
  const p = c.trustingPeriodMs;
  if (p === "off") return `${age} old · trusting period off (unsafe: devnet or test only)`;
  return `${age} old · trusting period ${fmtDuration(p)}${c.headAgeMs > p ? " — expired: get a recent checkpoint" : ""}`;
}

function renderHead(nodeTip: number | undefined): void {
  const c = client;
  if (c === undefined) return;
  const h = c.head.header;
  byId("head-height").textContent = `#${fmt(h.height)}`;
  body.dataset["height"] = h.height.toString();
  const set = c.head.set;
  const signed = headSigners !== undefined && headSigners.height === h.height ? headSigners : undefined;
  const rows: Row[] = [
    ["block hash", toHex(c.head.hash), true, "recomputed here from the header bytes"],
    ["time", new Date(Number(h.timeMs)).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")],
    ["age", trustAge(c)],
    [
      "finality",
      h.height === 0n
        ? "genesis (trusted by its hash)"
        : signed !== undefined
          ? `certificate verified: precommits of ${signed.count} validator${signed.count === 1 ? "" : "s"}, ${fmt(signed.stake)} of ${fmt(signed.total)} stake (${pct(signed.stake, signed.total)}, > 2/3 needed)`
          : "certificate verified (> 2/3 of the stake) when this head was reached",
    ],
    ["verified from", `${startedFrom}: ${stepsVerified} certified header${stepsVerified === 1 ? "" : "s"}, ${setChangesFollowed} set change${setChangesFollowed === 1 ? "" : "s"} followed`],
    ["outputs", `${fmt(h.outputCount)} in the output MMR`],
    ["outputRoot", toHex(h.outputRoot), true],
    ["node tip", nodeTip === undefined ? "—" : `#${fmt(nodeTip)} (reported by the node)`],
  ];
  setRows(byId("head-kv"), rows);

  const tbody = byId("validators").querySelector("tbody") as HTMLElement;
  tbody.replaceChildren(
    ...set.validators.map((v, i) => {
      const tr = el("tr");
      const bar = el("div", undefined, "bar");
      const fill = el("span");
      fill.style.width = `${Number((v.stake * 1000n) / (set.totalStake === 0n ? 1n : set.totalStake)) / 10}%`;
      bar.append(fill);
      const share = el("td");
      share.append(bar);
      share.title = pct(v.stake, set.totalStake);
      const key = el("td", shortHex(toHex(v.publicKey), 16), "mono");
      key.title = toHex(v.publicKey);
      tr.append(el("td", String(i + 1)), key, el("td", fmt(v.stake), "num"), share);
      return tr;
    }),
  );
  byId("validators-note").textContent = `The set that finalizes block #${fmt(h.height + 1n)}: ${set.validators.length} validator${set.validators.length === 1 ? "" : "s"}, total stake ${fmt(set.totalStake)} atomic units; its hash ${shortHex(toHex(set.hash))} is the verified head's nextValidatorsHash.`;
  setTag(byId("validators-tag"), "verified", "ok");
}

// ---------------------------------------------------------------- cascade and storage

async function renderCascade(): Promise<void> {
  const c = client;
  const t = trust;
  if (c === undefined || t === undefined) return;
  const tag = byId("cascade-tag");
  const levels = byId("levels");
  let verified: VerifiedCascade | undefined;
  let note: string;
  try {
    verified = await c.cascade();
    note = `${verified.kept.length} headers kept, newest #${fmt(verified.tipHeight)}, linked to the verified head`;
    setTag(tag, "verified", "ok");
  } catch (e) {
    const got = transport.last.get("get_cascade") as { size?: number } | undefined;
    if (e instanceof NodeCallError) {
      note = `the node serves no cascade (${e.message})`;
      setTag(tag, "not served", "node");
    } else if (e instanceof LightClientError && e.code === "BAD_CASCADE" && got?.size === 0) {
      note = `empty: no header has left the recent window of D = ${t.cascade.depth} blocks yet`;
      setTag(tag, "empty");
    } else {
      const x = explain(e);
      note = `${x.headline} (${x.detail})`;
      setTag(tag, "rejected", "bad");
    }
  }
  const counts = new Array<number>(t.cascade.levels).fill(0);
  for (const k of verified?.kept ?? []) counts[k.level] = (counts[k.level] ?? 0) + 1;
  const top = Math.max(1, ...counts.map((n, i) => (n > 0 ? i : 0)));
  const shown = counts.slice(0, Math.min(t.cascade.levels, Math.max(8, top + 2)));
  levels.replaceChildren(
    ...shown.map((n, i) => {
      const bar = el("div", undefined, n === 0 ? "lv empty" : "lv");
      if (n > 0) bar.append(el("span", String(n), "count"));
      bar.style.height = `${Math.max(2, Math.round((100 * n) / t.cascade.perLevel))}%`;
      bar.title = `level ${i}: ${n} of K = ${t.cascade.perLevel}`;
      return bar;
    }),
  );
  byId("levels-last").textContent = `level ${shown.length - 1}`;

  const status = transport.last.get("status") as { mode?: string; tail?: number; keyImageCount?: number; height?: number } | undefined;
  const cascadeHex = (transport.last.get("get_cascade") as { cascade?: string } | undefined)?.cascade;
  const rows: Row[] = [
    ["cascade", note],
    ["levels", `${counts.filter((n) => n > 0).length} of ${t.cascade.levels} in use, K = ${t.cascade.perLevel} per level, D = ${t.cascade.depth} blocks`],
    ["cascade size", verified !== undefined && cascadeHex !== undefined ? `${fmtBytes(cascadeHex.length / 2)} (${verified.kept.length} × header + super-parent pointers), work ${fmt(verified.work)}` : "—"],
    ["node mode", status?.mode === undefined ? "—" : `${status.mode}, block bodies from #${fmt(status.tail ?? 0)} (reported by the node)`],
    ["key images", status?.keyImageCount === undefined ? "—" : `${fmt(status.keyImageCount)} spent (reported by the node)`],
    ["this browser", `${fmtBytes(new TextEncoder().encode(c.checkpoint()).length)} checkpoint in localStorage`],
  ];
  setRows(byId("storage-kv"), rows);
}

// ---------------------------------------------------------------- sync

async function refresh(): Promise<void> {
  const c = client;
  if (c === undefined) return;
  const button = byId<HTMLButtonElement>("refresh");
  button.disabled = true;
  body.dataset["state"] = "verifying";
  setTag(byId("head-tag"), "verifying");
  try {
    const status = await transport.call<{ height: number; genesisHash: string }>("status");
    if (status.genesisHash !== toHex(c.genesisHash)) throw new LightClientError("GENESIS_MISMATCH", `the node's genesis ${shortHex(status.genesisHash)} is not the trusted genesis ${shortHex(toHex(c.genesisHash))}`);
    const r = await c.sync();
    stepsVerified += r.steps;
    setChangesFollowed += r.setChanges;
    if (r.steps > 0) recordSigners();
    renderHead(status.height);
    await renderCascade();
    setTag(byId("head-tag"), "verified", "ok");
    showBanner(undefined);
    body.dataset["state"] = "verified";
    delete body.dataset["code"];
  } catch (e) {
    const x = fail(e);
    renderHead(undefined);
    setTag(byId("head-tag"), x.kind === "rejected" ? "rejected" : "error", "bad");
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- output proof

function setProof(state: "idle" | "verifying" | "ok" | "rejected" | "error", headline: string, detail?: string, code?: string): void {
  const r = byId("proof-result");
  r.dataset["state"] = state;
  if (code === undefined) delete r.dataset["code"];
  else r.dataset["code"] = code;
  r.replaceChildren(el("strong", headline), ...(detail === undefined ? [] : [el("span", detail)]));
}

/**
 * Proves output `globalIndex` against the verified head: `get_outputs` (its one-time key and
 * commitment), `get_mmr_proof { globalIndex, height: head }`, then `verifyOutputInclusion` here.
 */
async function prove(globalIndex: number): Promise<void> {
  const c = client;
  if (c === undefined) return;
  const head: BlockHeader = c.head.header;
  setProof("verifying", `Verifying output ${globalIndex}…`);
  setRows(byId("proof-kv"), []);
  try {
    if (BigInt(globalIndex) >= head.outputCount) throw new LightClientError("NOT_VERIFIED", `output ${globalIndex} is not among the ${head.outputCount} outputs of the verified head #${head.height}; verify new blocks first`);
    const outs = await transport.call<{ outputs: ({ oneTimeKey: string; commitment: string; height: number } | null)[] }>("get_outputs", { indices: [globalIndex] });
    const o = outs.outputs?.[0];
    if (o === undefined || o === null) throw new LightClientError("BAD_RESPONSE", `the node has no output ${globalIndex}`);
    const oneTimeKey = hexField(o.oneTimeKey, "oneTimeKey", 32);
    const commitment = hexField(o.commitment, "commitment", 32);
    const p = await transport.call<{ proof: string }>("get_mmr_proof", { globalIndex, height: Number(head.height) });
    const proof = decodeInclusionProof(hexField(p.proof, "get_mmr_proof.proof"));
    if (proof === undefined) throw new LightClientError("BAD_INCLUSION_PROOF", `output ${globalIndex}: the proof bytes are not an inclusion proof`);
    verifyOutputInclusion(head, BigInt(globalIndex), oneTimeKey, commitment, proof);
    // the verdict is the call above; the time shown is the mean of TIMING_RUNS more (performance.now is coarse in browsers)
    const t0 = performance.now();
    for (let i = 0; i < TIMING_RUNS; i++) verifyOutputInclusion(head, BigInt(globalIndex), oneTimeKey, commitment, proof);
    const ms = (performance.now() - t0) / TIMING_RUNS;
    setProof("ok", `Verified: output ${globalIndex} is in the verified chain`, `leaf ${globalIndex} of the ${fmt(head.outputCount)}-leaf output MMR whose root block #${fmt(head.height)} commits to (${toHex(blockHash(head)).slice(0, 12)}…)`);
    setRows(byId("proof-kv"), [
      ["one-time key", toHex(oneTimeKey), true],
      ["commitment", toHex(commitment), true],
      ["created at", `block #${fmt(o.height)} (reported by the node)`],
      ["proof", `${proof.siblings.length} siblings + ${proof.otherPeaks.length} other peaks, ${fromHex(p.proof).length} bytes`],
      ["verify time", `${ms.toFixed(3)} ms in this browser (WebAssembly; mean of ${TIMING_RUNS} runs)`],
    ]);
  } catch (e) {
    const x = explain(e);
    setProof(x.kind, x.headline, x.detail, x.code);
  }
}

// ---------------------------------------------------------------- start

async function start(): Promise<void> {
  try {
    trust = await loadTrust();
    const genesisHash = toHex(blockHash(trust.genesis));
    byId("chain").textContent = `chain id ${trust.genesis.chainId} · genesis ${shortHex(genesisHash, 16)} · ${trust.validators.length} genesis validator${trust.validators.length === 1 ? "" : "s"}`;
    client = await LightClient.open({
      genesis: trust.genesis,
      genesisValidators: trust.validators,
      transport,
      store: new LocalStorageCheckpointStore(localStorage, `baios-light-checkpoint-${genesisHash}`),
      cascadeParams: trust.cascade,
      chainParams: trust.chain,
      ...(trust.trustingPeriodMs === undefined ? {} : { trustingPeriodMs: trust.trustingPeriodMs }),
    });
    if (client.height > 0n) startedFrom = `checkpoint #${fmt(client.height)}`;
  } catch (e) {
    fail(e);
    setTag(byId("head-tag"), "error", "bad");
    return;
  }
  byId("refresh").addEventListener("click", () => void refresh());
  byId<HTMLFormElement>("prove-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = byId<HTMLInputElement>("output-ref").value.trim();
    if (!/^(0|[1-9][0-9]{0,15})$/.test(v)) return setProof("error", "Not an output reference", "enter the output's global index (a whole number)", "BAD_INPUT");
    void prove(Number(v));
  });
  await refresh();
}

void start();
