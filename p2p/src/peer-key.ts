/**
 * The node's persistent libp2p identity: an Ed25519 key stored protobuf-encoded (libp2p's
 * `privateKeyToProtobuf`, 68 bytes) at `<dataDir>/p2p/peer.key` with mode 0600 (directory 0700).
 * Created on first start, reused afterwards, so the node's PeerId survives restarts.
 * @module
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";

/** Path of the peer key inside a data directory. */
export function peerKeyPath(dataDir: string): string {
  return join(dataDir, "p2p", "peer.key");
}

/**
 * Loads `<dataDir>/p2p/peer.key`, or creates it (atomically: temp file + rename) if absent.
 * @throws Error if the file exists but is not a valid protobuf private key (never overwritten).
 */
export async function loadOrCreatePeerKey(dataDir: string): Promise<PrivateKey> {
  const path = peerKeyPath(dataDir);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (bytes !== undefined) {
    try {
      return privateKeyFromProtobuf(bytes);
    } catch (e) {
      throw new Error(`${path}: not a libp2p private key (${(e as Error).message}); move it away to create a new identity`);
    }
  }
  await mkdir(join(dataDir, "p2p"), { recursive: true, mode: 0o700 });
  const key = await generateKeyPair("Ed25519");
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  return key;
}

/**
 * The node's p2p identity in `dataDir`: loads or creates `<dataDir>/p2p/peer.key` (as
 * {@link loadOrCreatePeerKey}) and returns its PeerId string (base58btc, `12D3KooW…` for Ed25519)
 * — what others put after `/p2p/` in `--bootstrap` (used by `baios init`).
 */
export async function peerIdentity(dataDir: string): Promise<{ path: string; peerId: string }> {
  const { peerIdFromPrivateKey } = await import("@libp2p/peer-id");
  const key = await loadOrCreatePeerKey(dataDir);
  return { path: peerKeyPath(dataDir), peerId: peerIdFromPrivateKey(key).toString() };
}
