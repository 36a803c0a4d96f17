import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { tmpDir } from "./helpers/fixture.ts";

const PEER = "/ip4/127.0.0.1/tcp/28546/p2p/12D3KooWNrQnSMkNVLBLE6B7kajam2yHkEgaukHfQG79rJReDyEi";

describe("p2p config", () => {
  it("--p2p-listen and --bootstrap are repeatable or comma-separated; --max-peers and Dandelion++ overrides parse", () => {
    const c = loadConfig({
      argv: ["--data-dir", tmpDir(), "--p2p-listen", "/ip4/127.0.0.1/tcp/1,/ip4/127.0.0.1/tcp/2", "--p2p-listen", "/ip6/::1/tcp/3", "--bootstrap", PEER, "--bootstrap", PEER.replace("28546", "28547"), "--max-peers", "7", "--dandelion-epoch-ms", "30000", "--dandelion-embargo-ms", "27000"],
    });
    expect(c.p2pListen).toEqual(["/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/tcp/2", "/ip6/::1/tcp/3"]);
    expect(c.bootstrap).toHaveLength(2);
    expect([c.maxPeers, c.dandelionEpochMs, c.dandelionEmbargoMs]).toEqual([7, 30000, 27000]);
    const env = loadConfig({ argv: ["--data-dir", tmpDir()], env: { BAIOS_BOOTSTRAP: PEER, BAIOS_P2P_LISTEN: "/ip4/0.0.0.0/tcp/28546" } });
    expect(env.bootstrap).toEqual([PEER]);
    expect(env.p2pListen).toEqual(["/ip4/0.0.0.0/tcp/28546"]);
    expect(loadConfig({ argv: ["--data-dir", tmpDir()] }).p2pListen).toEqual([]); // no p2p unless asked
  });

  it("refuses a bootstrap address without /p2p/<peerId>, a non-multiaddr and max-peers 0", () => {
    const d = tmpDir();
    expect(() => loadConfig({ argv: ["--data-dir", d, "--bootstrap", "/ip4/127.0.0.1/tcp/1"] })).toThrow(/must end in \/p2p\/<peerId>/);
    expect(() => loadConfig({ argv: ["--data-dir", d, "--p2p-listen", "127.0.0.1:1"] })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--data-dir", d, "--max-peers", "0"] })).toThrow(/--max-peers \(maxPeers\) must be at least 1/);
  });
});
