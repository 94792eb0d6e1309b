// The edge entry: the fetch handler in Node (routing, errors, limits) and the built worker
// (dist/edge/) served by a real workerd on loopback, whose numbers must equal the Node API's
// bit for bit (the same WebAssembly core with NativeMath in both runtimes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createHandler } from "../src/edge/handler";
import { etaLimits, generalizationError, integrate, integrateSymmetric, plateau, simulateSync } from "./helpers";

const handler = createHandler();
const get = async (path: string, h = handler) => {
  const res = await h.fetch(new Request(`http://edge.test${path}`));
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
};

describe("edge handler (in Node)", () => {
  it("GET / lists the endpoints with their parameters and limits", async () => {
    const r = await get("/");
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/application\/json/);
    expect(r.body.endpoints.map((e: { path: string }) => e.path)).toEqual(["/ode", "/sgd", "/eg", "/ode-symmetric", "/plateau", "/eta-limits"]);
    expect(r.body.endpoints[0].parameters.map((p: { name: string }) => p.name)).toContain("alpha-max");
    const eta = r.body.endpoints[0].parameters.find((p: { name: string }) => p.name === "eta");
    expect(eta).toMatchObject({ accepts: "a finite number > 0", default: "1" });
    expect(eta.also).toEqual(expect.arrayContaining(["learningRate"]));
    expect(r.body.limits.maxWork).toBe(0.5);
    // the sample limit is the schema's samples option with this endpoint's range
    const samples = r.body.endpoints[0].parameters.find((p: { name: string }) => p.name === "samples");
    expect(samples.accepts).toMatch(/10001/);
    expect(r.body.limits.note).toMatch(/at most 10001 sample points on \/ode/);
  });
  it("404 for unknown paths, 405 for other methods", async () => {
    expect((await get("/odes")).status).toBe(404);
    const res = await handler.fetch(new Request("http://edge.test/ode", { method: "POST", body: "x" }));
    expect(res.status).toBe(405);
  });
  it("400 with a JSON error naming the parameter, for text and for API-level errors", async () => {
    const cases: [string, string, RegExp][] = [
      ["/ode?eta=abc", "eta", /^eta must be a finite number > 0; got "abc"$/],
      ["/ode?eta=-1", "eta", /^eta must be a finite number > 0; got -1$/],
      ["/ode?learningRate=-1", "learningRate", /^learningRate must be a finite number > 0; got -1$/],
      ["/ode?alphaMax=0", "alphaMax", /^alphaMax must be a finite number > 0; got 0$/],
      ["/ode?alpha-max=0", "alpha-max", /^alpha-max must be a finite number > 0; got 0$/],
      ["/ode?K=2&Q0=1,0;0&R0=zeros", "Q0", /Q0 must have rows of equal length; got "1,0;0": row 2 has 1 entries/],
      ["/ode?K=2&Q0=eye&R0=eye&T=eye", "R0", /R0 must keep C0 = \[\[Q0, R0\], \[R0\^T, T\]\] positive definite/],
      ["/ode?activation=swish", "activation", /^activation must be one of relu, erf, linear, leakyRelu, .*hermiteCoefficients; got "swish"$/],
      ["/ode?alpha-points=0,1&samples=3", "alpha-points", /^alpha-points cannot be given together with samples: give the sample points either explicitly or as alpha-max\/samples/],
      ["/ode?bogus=1", "bogus", /unknown parameter "bogus"/],
      ["/ode?alpha-maxx=1", "alpha-maxx", /unknown parameter "alpha-maxx" for \/ode; did you mean "alpha-max"\?/],
      ["/ode?eta=1&learningRate=2", "learningRate", /given more than once \(also as "eta"\)/],
      ["/ode?samples=100000", "samples", /^samples must be an integer .*10001; got 100000$/],
      ["/ode?alpha-points=" + Array.from({ length: 10002 }, (_, i) => i).join(","), "alpha-points", /alpha-points must have at most 10001 entries; got 10002/],
      ["/ode?K=30&M=30&Q0=0.1*eye&R0=zeros", "K", /^refused: .*even its first part .* does not fit.*this endpoint's work limit: 0.5 s.*; lower K, M, activation/],
      ["/sgd?d=1e7&runs=1&alpha-max=1e-3&samples=2", "d", /^refused: .*even its first part .* does not fit.*; lower d, K, M/],
      ["/sgd?d=100&runs=2&alpha-max=1&test-inputs=1e8", "test-inputs", /^refused: .*; lower test-inputs, d/],
      ["/sgd?threads=2", "threads", /unknown parameter "threads"/],
      ["/sgd?d=100&runs=2&alpha-max=1&per-run=maybe", "per-run", /per-run must be true or false/],
      ["/eg?Q=eye", "R", /R is required/],
    ];
    for (const [path, parameter, msg] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.parameter, path).toBe(parameter);
      expect(r.body.error, path).toMatch(msg);
    }
  });
  it("/ode equals integrate() for the same options (matrix syntax and camelCase aliases)", async () => {
    const r = await get("/ode?activation=erf&K=3&M=2&T=diag:1,1.5&Q0=0.2*eye&R0=zeros&eta=0.5&alphaMax=5&samples=6");
    expect(r.status).toBe(200);
    const n = integrate({ activation: "erf", K: 3, M: 2, T: [[1, 0], [0, 1.5]], Q0: [[0.2, 0, 0], [0, 0.2, 0], [0, 0, 0.2]], R0: [[0, 0], [0, 0], [0, 0]], learningRate: 0.5, alphaMax: 5, samples: 6, maxSteps: r.body.options.maxSteps });
    expect(r.body.eg).toEqual(Array.from(n.eg));
    expect(r.body.Q).toEqual(n.Q);
  });
  it("a computation longer than maxWork answers its part with status max-work: the Node API's, bit for bit, under the same limit", async () => {
    const small = createHandler({ limits: { maxWork: 0.002 } });
    const r = await get("/ode?integrator=adaptive&alpha-max=100", small);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("max-work");
    expect(r.body.message).toMatch(/stopped at maxWork = 0.002 s/);
    const n = integrate({ integrator: "adaptive", alphaMax: 100, maxWork: 0.002, workLimitAction: "truncate" });
    expect(n.status).toBe("max-work");
    expect(r.body.eg).toEqual(Array.from(n.eg));
    const whole = integrate({ integrator: "adaptive", alphaMax: 100 });
    expect(r.body.eg.length).toBeLessThan(whole.eg.length);
    expect(r.body.eg).toEqual(Array.from(whole.eg.subarray(0, r.body.eg.length))); // a prefix of the whole run
    // the default /sgd (10 runs at d = 1000 to alpha = 100): the samples every run reaches within the limit
    const s = await get("/sgd", createHandler({ limits: { maxWork: 0.1 } }));
    expect(s.status).toBe(200);
    expect(s.body.status).toBe("max-work");
    expect(s.body.alpha.length).toBeGreaterThan(1);
  });
  it("/eg for linear units equals the closed form (v Q v - 2 v R v* + v* T v*) / 2", async () => {
    // independent of the core: for g(x) = x, eps_g = E[(sum v_i x_i - sum v*_n y_n)^2] / 2
    const r = await get("/eg?activation=linear&Q=1,0.2;0.2,0.5&R=0.3,0.1;0,0.4&T=diag:1,2&v=1,-0.5&v-star=0.7,1");
    expect(r.status).toBe(200);
    const v = [1, -0.5], w = [0.7, 1], Q = [[1, 0.2], [0.2, 0.5]], R = [[0.3, 0.1], [0, 0.4]], T = [[1, 0], [0, 2]];
    let s = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += v[i] * v[j] * Q[i][j] - 2 * v[i] * w[j] * R[i][j] + w[i] * w[j] * T[i][j];
    expect(Math.abs(r.body.eg - s / 2)).toBeLessThan(1e-14); // a handful of roundings of O(1) terms
  });
});

// ---- the built worker in a real workerd ----

// the Linux x64 build of workerd (the `workerd` wrapper package pulls optional builds for other
// platforms that this machine's registry does not serve, which breaks `npm ci`)
const workerd = "node_modules/@cloudflare/workerd-linux-64/bin/workerd";
let proc: ChildProcess | undefined;
let base = "";
let stderr = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (proc?.exitCode !== null && proc?.exitCode !== undefined) throw new Error(`workerd exited with ${proc.exitCode}: ${stderr}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > ms) throw new Error(`workerd did not answer on ${url} within ${ms} ms: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stop = () => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
};

describe("edge worker in workerd (dist/edge on loopback)", () => {
  beforeAll(async () => {
    if (!existsSync("dist/edge/worker.js")) throw new Error("dist/edge/worker.js missing: run npm run build first");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = spawn(workerd, ["serve", "dist/edge/workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
    proc.stderr!.on("data", (d) => (stderr += String(d)));
    process.once("exit", stop);
    await waitForServer(`${base}/`, 20_000);
  }, 30_000);
  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc!.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      stop();
    }
  });

  const fetchJson = async (path: string) => {
    const r = await fetch(base + path, { signal: AbortSignal.timeout(20_000) });
    return { status: r.status, body: await r.json() };
  };

  it("GET / answers with the index, unknown paths with 404", async () => {
    const r = await fetchJson("/");
    expect(r.status).toBe(200);
    expect(r.body.endpoints.length).toBe(6);
    expect((await fetchJson("/nope")).status).toBe(404);
  });
  it("/ode: the reference setting and an erf setting, bit-identical to integrate() in Node", async () => {
    const ref = await fetchJson("/ode?alpha-max=60&samples=7");
    expect(ref.status).toBe(200);
    const n = integrate({ alphaMax: 60, samples: 7, maxSteps: ref.body.options.maxSteps });
    expect(ref.body.status).toBe("completed");
    expect(ref.body.alpha).toEqual(Array.from(n.alpha));
    expect(ref.body.eg).toEqual(Array.from(n.eg)); // toEqual on doubles: exact equality
    expect(ref.body.Q).toEqual(n.Q);
    expect(ref.body.R).toEqual(n.R);
    expect(ref.body.stats.steps).toBe(n.stats.steps);

    const q = "activation=erf&K=3&M=2&T=1,0.2;0.2,1.5&Q0=0.2*eye&R0=zeros&eta=0.8&alphaMax=40&samples=5&integrator=adaptive";
    const e = await fetchJson(`/ode?${q}`);
    expect(e.status).toBe(200);
    const m = integrate({ activation: "erf", K: 3, M: 2, T: [[1, 0.2], [0.2, 1.5]], Q0: [[0.2, 0, 0], [0, 0.2, 0], [0, 0, 0.2]], R0: [[0, 0], [0, 0], [0, 0]], learningRate: 0.8, alphaMax: 40, samples: 5, integrator: "adaptive", maxSteps: e.body.options.maxSteps });
    expect(e.body.eg).toEqual(Array.from(m.eg));
    expect(e.body.Q).toEqual(m.Q);
    expect(e.body.R).toEqual(m.R);
    expect(e.body.stats.rhsEvaluations).toBe(m.stats.rhsEvaluations);

    // docs/theory.md section 9's options through the query: noise, decay, a trained v with its rate
    const t = await fetchJson(`/ode?${q}&v=0.9,-0.6,0.4&noise=0.3&weight-decay=0.01&train-second-layer=true&eta2=0.4`);
    expect(t.status).toBe(200);
    const u = integrate({ ...m.options, maxSteps: t.body.options.maxSteps, v: [0.9, -0.6, 0.4], noise: 0.3, weightDecay: 0.01, trainSecondLayer: true, learningRate2: 0.4 });
    expect(t.body.eg).toEqual(Array.from(u.eg));
    expect(t.body.v).toEqual(u.v);
    expect(t.body.v[4]).not.toEqual([0.9, -0.6, 0.4]);
  });
  it("/sgd and /eg: bit-identical to simulateSync() and generalizationError() in Node", async () => {
    const s = await fetchJson("/sgd?d=200&runs=3&seed=4&alpha-max=2&samples=3&test-inputs=100");
    expect(s.status).toBe(200);
    const n = simulateSync({ d: 200, runs: 3, seed: 4, alphaMax: 2, samples: 3, testInputs: 100 });
    expect(s.body.eg).toEqual({ mean: Array.from(n.eg.mean), std: Array.from(n.eg.std) });
    expect(s.body.egTest).toEqual({ mean: Array.from(n.egTest!.mean), std: Array.from(n.egTest!.std), standardError: Array.from(n.egTest!.standardError) });
    expect(s.body.Q).toEqual(n.Q);
    const g = await fetchJson("/eg?activation=relu&Q=1,0.3;0.3,0.8&R=0.5,0.1;0.2,0.6&T=diag:1,2");
    expect(g.body.eg).toBe(generalizationError({ activation: "relu", Q: [[1, 0.3], [0.3, 0.8]], R: [[0.5, 0.1], [0.2, 0.6]], T: [[1, 0], [0, 2]] }));
  });
  it("/ode-symmetric bit-identical to integrateSymmetric() in Node; /plateau and /eta-limits equal to rounding (their host code uses Math)", async () => {
    const r = await fetchJson("/ode-symmetric?activation=relu&K=100000&eta=2e-5&alpha-max=30&samples=4&integrator=adaptive");
    expect(r.status).toBe(200);
    const n = integrateSymmetric({ activation: "relu", K: 100000, learningRate: 2e-5, alphaMax: 30, samples: 4, integrator: "adaptive", maxSteps: r.body.options.maxSteps });
    for (const k of ["eg", "Q", "C", "R", "S"] as const) expect(r.body[k]).toEqual(Array.from(n[k]));
    expect(r.body.stats.rhsEvaluations).toBe(n.stats.rhsEvaluations);
    // the plateau and the limits: Newton, eigenvalues and bisection in JavaScript (Math.* may round
    // differently in workerd's V8): 1e-9 relative, far below the digits printed
    const p = await fetchJson("/plateau?activation=erf&K=10&eta=0.2&delta=1e-6");
    const m = plateau({ activation: "erf", K: 10, learningRate: 0.2, delta: 1e-6, escapeConstant: false });
    expect(Math.abs(p.body.escapeRate / m.escapeRate! - 1)).toBeLessThan(1e-9);
    expect(Math.abs(p.body.fixedPoint.eg / m.fixedPoint!.eg - 1)).toBeLessThan(1e-9);
    const l = await fetchJson("/eta-limits?activation=erf&K=10&escape=false");
    expect(Math.abs(l.body.rows[0].etaPerfectStable / etaLimits({ activation: "erf", K: [10], escape: false }).rows[0].etaPerfectStable! - 1)).toBeLessThan(1e-9);
  });
  it("bad input in workerd: 400 naming the parameter", async () => {
    const r = await fetchJson("/ode?K=2&M=2&Q0=eye&R0=zeros&T=diag:1");
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe("T");
  });
});
