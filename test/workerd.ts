// workerd processes on loopback for tests: the built edge worker (dist/edge/) served under a
// config written to a temporary folder (its secret binding, its work limit), started, waited for
// and stopped by the test that owns them.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// the Linux x64 build of workerd (see test/edge.test.ts)
const WORKERD = "node_modules/@cloudflare/workerd-linux-64/bin/workerd";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Workerd {
  url: string;
  proc: ChildProcess;
  stderr(): string;
  kill(): Promise<void>;
}

/**
 * Serves dist/edge/worker.js on a free loopback port. `secret`: the SCM_EDGE_SECRET text binding;
 * `maxWork`: the handler's work limit per request (a small wrapper module calls createHandler).
 */
export async function startWorkerd(o: { secret?: string; maxWork?: number } = {}): Promise<Workerd> {
  const dir = mkdtempSync(join(tmpdir(), "scm-workerd-"));
  copyFileSync("dist/edge/worker.js", join(dir, "worker.js"));
  copyFileSync("dist/edge/soft-committee.wasm", join(dir, "soft-committee.wasm"));
  const main = o.maxWork === undefined ? "worker.js" : "limited.js";
  if (o.maxWork !== undefined) writeFileSync(join(dir, "limited.js"), `import { createHandler } from "./worker.js";\nexport default createHandler({ limits: { maxWork: ${o.maxWork} } });\n`);
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "edge", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "edge")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "${main}", esModule = embed "${main}"),
    ${main === "worker.js" ? "" : `(name = "worker.js", esModule = embed "worker.js"),`}
    (name = "soft-committee.wasm", wasm = embed "soft-committee.wasm"),
  ],
  ${o.secret === undefined ? "" : `bindings = [(name = "SCM_EDGE_SECRET", text = ${JSON.stringify(o.secret)})],`}
  compatibilityDate = "2025-09-01",
);
`);
  let err = "";
  const proc = spawn(WORKERD, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "ignore", "pipe"] });
  proc.stderr!.on("data", (d) => (err += String(d)));
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  };
  process.once("exit", stop);
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`workerd exited with ${proc.exitCode}: ${err}`);
    try {
      const r = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      await r.body?.cancel();
      break; // any answer (200, 401): it listens
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 20_000) {
      stop();
      throw new Error(`workerd did not answer on ${url} within 20 s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    stderr: () => err,
    kill: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGKILL");
      await exited;
    },
  };
}
