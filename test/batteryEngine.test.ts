// The battery's cases that ask the API for more than a clean stop: a computation far too large is
// refused before it starts, from the API's work estimate, naming the options to change and
// --max-work; a long one reports the fraction done within 2 s; an edge request is bounded in CPU
// time (200 with status "max-work" and the part computed, or 400 at once). These rest on the
// RunControl contract of src/core/control.ts (estimates, progress, truncation) as the API honours it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { invoke, limited, messages, type Outcome } from "./battery/invoke";

/** Refused at once (exit 2 within 2 s, naming `flag`), or the API's fraction done shown within 2 s. */
const CLI: [string[], string][] = [
  [["popgrad", "--K", "10000"], "--K"],
  [["ode", "--alpha-max", "1e12"], "--alpha-max"],
  [["sgd", "--d", "1e7"], "--d"],
  [["ode", "--samples", "1e7"], "--samples"],
  [["ode", "--K", "100", "--M", "100", "--Q0", "0.1*eye", "--R0", "zeros", "--alpha-max", "1"], "--K"],
  [["fixed-points", "--K", "8", "--Q0", "0.1*eye", "--R0", "zeros"], "--K"],
  [["ode", "--max-work", "0.001"], "--max-work"],
  [["ode", "--alpha-max", "1e5"], "--alpha-max"],
  [["equilibrium", "--K", "10", "--samples", "20000"], "--samples"],
  [["sgd", "--runs", "1000", "--d", "2000"], "--runs"],
];

let outcomes: Outcome[] = [];

describe("CLI: refused from the estimate, or the fraction done within 2 s", () => {
  beforeAll(async () => {
    outcomes = await limited(2, CLI.map(([args]) => () => invoke(args, { interrupt: true })));
  }, 120_000);
  it.each(CLI.map(([args, flag], i) => [args.join(" "), flag, i] as const))("scm %s", (_name, flag, i) => {
    const o = outcomes[i];
    const refused = !o.interrupted && o.code === 2 && o.ms < 2000;
    const err = messages(o).find((l) => l.startsWith("scm: error: ")) ?? "";
    if (refused) {
      expect(err).toContain(flag);
      expect(err).toMatch(/--max-work|memory/);
    } else {
      expect(o.progressAt, o.stderr).not.toBeNull();
      expect(o.progressAt!).toBeLessThanOrEqual(2000);
      expect(o.fraction, `the first progress line shows the fraction done: ${o.stderr}`).toBe(true);
    }
  });
});

// ---- the edge in a real workerd: every request within 2 s of CPU ----

const workerd = "node_modules/@cloudflare/workerd-linux-64/bin/workerd";
let proc: ChildProcess | undefined;
let base = "";

const EDGE = [
  "/ode?K=10&M=10&T=eye&Q0=0.1*eye&R0=zeros&alpha-max=10",
  "/ode?alpha-max=1e6",
  "/ode?integrator=adaptive&alpha-max=1e9&rtol=1e-15&atol=0",
  "/ode?activation=relu&teacher-activation=erf&alpha-max=300&samples=3",
  "/sgd?d=2000&runs=5&alpha-max=10&samples=3",
];

/** A fresh workerd per request: one still computing would hold up the next (workerd serves one request at a time). */
async function startWorkerd(): Promise<void> {
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  base = `http://127.0.0.1:${port}`;
  proc = spawn(workerd, ["serve", "dist/edge/workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 20_000) throw new Error("workerd did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("edge in workerd: 200 with status max-work, or 400, within 2 s", () => {
  beforeAll(() => {
    if (!existsSync("dist/edge/worker.js")) throw new Error("dist/edge/worker.js missing: run npm run build first");
    process.once("exit", () => proc?.kill("SIGKILL"));
  });
  beforeEach(startWorkerd, 30_000);
  // a request still computing is abandoned after 2 s and its workerd stopped
  afterEach(() => {
    proc?.kill("SIGKILL");
  });
  afterAll(() => {
    proc?.kill("SIGKILL");
  });
  it.each(EDGE)("GET %s", async (path) => {
    const t0 = performance.now();
    let status = 0, body: { status?: string; parameter?: string } = {};
    try {
      const res = await fetch(base + path, { signal: AbortSignal.timeout(2000) });
      status = res.status;
      body = await res.json();
    } catch (e) {
      throw new Error(`no answer within 2 s (${(performance.now() - t0).toFixed(0)} ms): ${(e as Error).name}`);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    if (status === 200) expect(["completed", "converged", "diverged", "max-work"]).toContain(body.status);
    else expect(status).toBe(400);
  });
});
