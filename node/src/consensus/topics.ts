/**
 * The consensus gossip topics (docs/consensus.md §6, docs/node.md §Network):
 *
 * | topic | cap (bytes) | payload | checks before ACCEPT |
 * |---|---|---|---|
 * | `candidate` | maxBlockBytes | block wire bytes | height = tip + 1 (+2 kept, IGNORE), parent = tip, blockTarget = the retarget, PoW |
 * | `proposal` | 148 + maxBlockBytes + 4 | proposal (148) ‖ block wire bytes ‖ u32le relay counter | chain id, signature, block hash = proposal's, PoW |
 * | `vote` | 145 + 4 | vote wire (145) ‖ u32le relay counter | chain id, signature; the engine checks membership |
 * | `evidence` | max(64 KiB, maxBlockBytes + 1 KiB) | evidence wire bytes | duplicate vote verified against the set in force; invalid attestation: `ChainExecutor.checkAttestation` (historical re-validation, docs/consensus.md §6.3) |
 * | `unbond` | 169 | unbond wire bytes (= its block body entry) | unbond-gossip.ts: dedupe by hash, per-peer rate, `checkUnbonds`, the pool's staking checks |
 *
 * The trailing relay counter is not signed: a validator re-broadcasts its messages of the
 * undecided height with a new counter (gossip drops byte-identical repeats), so a peer that
 * missed one (late join, restart, partition) still gets it. Receivers ignore the counter.
 * Verdicts: malformed or badly signed → REJECT (peer score drops), stale or duplicate → IGNORE.
 * @module
 */
import { ProtocolError, type P2P, type ProtocolSpec, type TopicSpec, type Verdict } from "@baios/p2p";
import {
  ConsensusError,
  PROPOSAL_WIRE_BYTES,
  blockHash,
  checkBlockPow,
  concatBytes,
  decodeBlock,
  decodeEvidence,
  decodeProposal,
  decodeVoteMessage,
  encodeEvidence,
  encodeProposal,
  encodeVoteMessage,
  equalBytes,
  isConsensusError,
  toHex,
  verifyDuplicateVote,
  verifyProposal,
  verifyVote,
  type ChainParams,
  type Evidence,
  type SignedProposal,
  type SignedVote,
} from "@baios/consensus";
import type { Chain } from "../chain.ts";
import type { Logger } from "../log.ts";
import type { Candidate, CandidatePool } from "./candidates.ts";
import type { BftDriver, ConsensusPublisher } from "./driver.ts";
import type { EvidencePool } from "./evidence-pool.ts";
import type { ChainExecutor } from "./executor.ts";

/** Wire bytes of a vote message (docs/protocol.md §10.5). */
export const VOTE_WIRE_BYTES = 145;
/** Cap of an evidence message: two votes, or a vote and a block (≤ maxBlockBytes) — see {@link evidenceCap}. */
const EVIDENCE_MAX = 64 << 10;
/** Bytes of an evidence message for a chain: max(64 KiB, maxBlockBytes + 1 KiB) (kind, vote, length prefix and the attested block). */
export const evidenceCap = (p: ChainParams): number => Math.max(EVIDENCE_MAX, p.maxBlockBytes + 1024);

/** What the topics need. */
export interface ConsensusTopicDeps {
  params: ChainParams;
  chain: Chain;
  executor: ChainExecutor;
  candidates: CandidatePool;
  evidence: EvidencePool;
  /** Set once the driver exists (the topics are registered before the p2p node starts). */
  driver: () => BftDriver | undefined;
  log?: Logger;
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}


/** Maps an error to a gossip verdict: ConsensusError → its action; anything else IGNORE. */
function verdict(e: unknown): Verdict {
  return isConsensusError(e) ? e.action : "IGNORE";
}

/**
 * Cheap checks of a candidate against the tip (no signatures, no txs): height, parent, target
 * and PoW, then adds it to the pool.
 * @returns ACCEPT when added, IGNORE for stale, future or duplicate ones
 * @throws ConsensusError `BLOCK_BAD_PARENT`, `BLOCK_BAD_TARGET`, `BLOCK_BAD_POW`, decode errors
 */
export async function admitCandidate(d: ConsensusTopicDeps, block: Candidate["block"], bytes: Uint8Array): Promise<Verdict> {
  const tip = BigInt(d.chain.tip.height);
  const h = block.header.height;
  if (h <= tip || h > tip + 2n) return "IGNORE";
  const hash = blockHash(block.header);
  checkBlockPow(block.header, hash);
  if (h === tip + 1n) {
    if (!equalBytes(block.header.parentHash, d.chain.tipHash)) throw new ConsensusError("BLOCK_BAD_PARENT", "candidate does not extend the finalized tip");
    if (!equalBytes(block.header.blockTarget, await d.executor.nextTarget())) throw new ConsensusError("BLOCK_BAD_TARGET", "candidate blockTarget is not the retarget of the tip");
  }
  return d.candidates.add({ block, bytes, hash }) ? "ACCEPT" : "IGNORE";
}

/** The four topic specs (register them before the p2p node starts). */
export function consensusTopics(d: ConsensusTopicDeps): TopicSpec[] {
  const chainId = d.params.chainId;
  return [
    {
      name: "candidate",
      maxBytes: d.params.maxBlockBytes,
      validate: async (bytes) => {
        try {
          return await admitCandidate(d, decodeBlock(bytes, d.params.maxBlockBytes), bytes);
        } catch (e) {
          return verdict(e);
        }
      },
    },
    {
      name: "proposal",
      maxBytes: PROPOSAL_WIRE_BYTES + d.params.maxBlockBytes + 4,
      validate: async (bytes) => {
        try {
          if (bytes.length < PROPOSAL_WIRE_BYTES + 4) throw new ConsensusError("BFT_PROPOSAL_MALFORMED", "proposal message too short");
          const { chainId: cid, proposal } = decodeProposal(bytes.subarray(0, PROPOSAL_WIRE_BYTES));
          if (cid !== chainId) throw new ConsensusError("BFT_PROPOSAL_MALFORMED", `chain id ${cid}`);
          const drv = d.driver();
          if (drv?.height !== undefined && proposal.height < drv.height) return "IGNORE";
          verifyProposal(chainId, proposal);
          const blockBytes = bytes.subarray(PROPOSAL_WIRE_BYTES, bytes.length - 4);
          const block = decodeBlock(blockBytes, d.params.maxBlockBytes);
          const hash = blockHash(block.header);
          if (!equalBytes(hash, proposal.blockHash)) throw new ConsensusError("BFT_PROPOSAL_MALFORMED", "the block does not hash to the proposal's block hash");
          if (d.candidates.get(hash) === undefined) await admitCandidate(d, block, blockBytes.slice());
          drv?.onProposal(proposal);
          return "ACCEPT";
        } catch (e) {
          return verdict(e);
        }
      },
    },
    {
      name: "vote",
      maxBytes: VOTE_WIRE_BYTES + 4,
      validate: async (bytes) => {
        try {
          if (bytes.length !== VOTE_WIRE_BYTES + 4) throw new ConsensusError("CERT_MALFORMED", `vote message of ${bytes.length} bytes`);
          const v = decodeVoteMessage(bytes.subarray(0, VOTE_WIRE_BYTES));
          if (v.chainId !== chainId) throw new ConsensusError("CERT_MALFORMED", `chain id ${v.chainId}`);
          const drv = d.driver();
          if (drv?.height !== undefined && v.height + 1n < drv.height) return "IGNORE";
          const vote: SignedVote = { kind: v.kind, height: v.height, round: v.round, blockHash: v.blockHash, validator: v.validator, signature: v.signature };
          verifyVote(chainId, vote);
          drv?.onVote(vote);
          return "ACCEPT";
        } catch (e) {
          return verdict(e);
        }
      },
    },
    {
      name: "evidence",
      maxBytes: evidenceCap(d.params),
      validate: async (bytes) => {
        try {
          const ev = decodeEvidence(bytes, evidenceCap(d.params));
          if (ev.kind === "invalid-attestation") {
            // cheap filters first: one per (offender, kind) in the pool, banned keys; then the signed vote and the historical re-validation (verdict cached per block)
            if (d.evidence.has(ev) || d.executor.stakingState.validators.get(toHex(ev.vote.validator))?.status === "banned") return "IGNORE";
            await d.executor.checkAttestation(ev);
            return d.evidence.add(ev) ? "ACCEPT" : "IGNORE";
          }
          verifyDuplicateVote(chainId, ev, d.executor.stakingState.validatorSet);
          return d.evidence.add(ev) ? "ACCEPT" : "IGNORE";
        } catch (e) {
          return verdict(e);
        }
      },
    },
  ];
}

/**
 * The `candidate` request protocol: a 32-byte block hash → that block's wire bytes, from the
 * candidate pool or, once committed, from the chain (`NOT_FOUND` otherwise). A node that decided
 * a height from precommits without holding the block asks its peers with it.
 */
export function consensusProtocols(d: ConsensusTopicDeps): ProtocolSpec[] {
  return [
    {
      name: "candidate",
      maxRequestBytes: 32,
      maxResponseBytes: d.params.maxBlockBytes,
      handler: async (req) => {
        if (req.length !== 32) throw new ProtocolError("BAD_REQUEST", "expected a 32-byte block hash", "REJECT");
        const c = d.candidates.get(req);
        if (c !== undefined) return c.bytes;
        const h = await d.chain.store.getHeightByHash(req);
        const bytes = h === undefined ? undefined : await d.chain.store.getBlock(h);
        if (bytes === undefined) throw new ProtocolError("NOT_FOUND", "no such candidate or block");
        return bytes;
      },
    },
  ];
}

/**
 * Asks the peers, one after another, for the candidate with this hash and admits the first
 * answer that decodes, hashes right and passes the candidate checks.
 * @returns whether it was admitted (or already held)
 */
export async function fetchCandidate(d: ConsensusTopicDeps, p2p: P2P, hash: Uint8Array): Promise<boolean> {
  for (const peer of p2p.peers()) {
    if (d.candidates.get(hash) !== undefined) return true;
    try {
      const bytes = await p2p.request(peer.id, "candidate", hash, { timeoutMs: 5000 });
      const block = decodeBlock(bytes, d.params.maxBlockBytes);
      if (!equalBytes(blockHash(block.header), hash)) {
        p2p.reportPeer(peer.id, "REJECT", "candidate answer does not hash to the requested hash");
        continue;
      }
      await admitCandidate(d, block, bytes);
      if (d.candidates.get(hash) !== undefined) return true;
    } catch {
      // next peer
    }
  }
  return d.candidates.get(hash) !== undefined;
}

/** Publishes the driver's messages on the topics (see the module docs for the payloads). */
export function consensusPublisher(publish: (topic: string, bytes: Uint8Array) => Promise<unknown>, chainId: number): ConsensusPublisher {
  return {
    proposal: async (p: SignedProposal, c: Candidate, relay = 0) => void (await publish("proposal", concatBytes(encodeProposal(chainId, p), c.bytes, u32le(relay)))),
    vote: async (v: SignedVote, relay = 0) => void (await publish("vote", concatBytes(encodeVoteMessage({ ...v, chainId }), u32le(relay)))),
    evidence: async (e: Evidence) => void (await publish("evidence", encodeEvidence(e))),
    candidate: async (bytes: Uint8Array) => void (await publish("candidate", bytes)),
    unbond: async (bytes: Uint8Array) => void (await publish("unbond", bytes)),
  };
}
