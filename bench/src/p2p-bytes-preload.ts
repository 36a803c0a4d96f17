/**
 * Benchmark-only preload (`node --import bench/src/p2p-bytes-preload.ts …`): counts the bytes a
 * node process writes on its p2p TCP connections (libp2p: noise-encrypted yamux frames, i.e. the
 * TCP payload on the wire, without IP/TCP headers) and writes the running total to
 * `$BAIOS_BENCH_BYTES_FILE` every 100 ms as `{"written": n, "read": n}`. Connections count as
 * p2p when either end is `$BAIOS_BENCH_P2P_PORT` or the socket was dialled by libp2p (any port
 * other than the RPC port `$BAIOS_BENCH_RPC_PORT`). Uses `node:diagnostics_channel`
 * (`net.client.socket`, `net.server.socket`). Never loaded by a real node.
 * @module
 */
import { subscribe } from "node:diagnostics_channel";
import { renameSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import { isMainThread } from "node:worker_threads";

const file = process.env["BAIOS_BENCH_BYTES_FILE"];
const rpcPort = Number(process.env["BAIOS_BENCH_RPC_PORT"] ?? "0");
// worker threads inherit --import: only the main thread (which holds the sockets) writes the file
if (file !== undefined && isMainThread) {
  const live = new Set<Socket>();
  let closedWritten = 0;
  let closedRead = 0;
  const track = (s: Socket): void => {
    // the RPC listener's connections (server side) and our clients of it are not p2p
    if (s.localPort === rpcPort || s.remotePort === rpcPort) return;
    live.add(s);
    s.once("close", () => {
      if (!live.delete(s)) return;
      closedWritten += s.bytesWritten;
      closedRead += s.bytesRead;
    });
  };
  const isP2P = (s: Socket): boolean => s.localPort !== rpcPort && s.remotePort !== rpcPort;
  subscribe("net.client.socket", (m) => track((m as { socket: Socket }).socket));
  subscribe("net.server.socket", (m) => track((m as { socket: Socket }).socket));
  const t = setInterval(() => {
    let w = closedWritten;
    let r = closedRead;
    for (const s of live) {
      if (!isP2P(s)) continue;
      w += s.bytesWritten;
      r += s.bytesRead;
    }
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify({ written: w, read: r }));
      renameSync(`${file}.tmp`, file); // readers never see a half-written file
    } catch {
      /* the bench removed the directory */
    }
  }, 100);
  t.unref();
}
