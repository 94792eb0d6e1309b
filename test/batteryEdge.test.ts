// The hostile battery of the edge entry: requests with bad, huge, empty and non-numeric values,
// wrong shapes, unknown and repeated parameters, in every spelling (alpha-max, alphaMax, eta,
// learningRate), hand-written and generated (fast-check, fixed seed). Each must answer within 2 s
// with 200, 400 (naming the parameter as written, with what it accepts), 404 or 405, JSON without
// NaN. In process (createHandler), and a subset against a real workerd on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import "./helpers"; // registers the WebAssembly core, as the edge entry does
import { createHandler, ENDPOINTS } from "../src/edge/handler";
import { flagsOf, queryNamesOf } from "../src/options/option";
import { parseText } from "../src/options/text";

interface Request_ {
  path: string;
  /** Expected status; for 400 the parameter to blame as written (null: none). */
  status: number;
  parameter?: string | null;
  method?: string;
}

const ACCEPTS = /must|one of|unknown parameter|more than once|is required|at most|work limit|too large|<=|cannot be given|no endpoint|not allowed/;
const STATUSES = ["completed", "converged", "diverged", "invalid-state", "max-steps", "max-work"];

const HAND: Request_[] = [
  { path: "/", status: 200 }, { path: "/nope", status: 404 }, { path: "/ode", status: 405, method: "POST" }, { path: "/ode/?alpha-max=1&samples=2", status: 200 },
  { path: "/ode?alpha-max=1&samples=2", status: 200 }, { path: "/ode?alphaMax=2&samples=3&eta=-0", status: 400, parameter: "eta" },
  { path: "/ode?eta=abc", status: 400, parameter: "eta" }, { path: "/ode?eta=-1", status: 400, parameter: "eta" }, { path: "/ode?learningRate=NaN", status: 400, parameter: "learningRate" },
  { path: "/ode?eta=Infinity", status: 400, parameter: "eta" }, { path: "/ode?eta=", status: 400, parameter: "eta" }, { path: "/ode?alphaMax=0", status: 400, parameter: "alphaMax" },
  { path: "/ode?alpha-max=1e999", status: 400, parameter: "alpha-max" }, { path: "/ode?samples=1.5", status: 400, parameter: "samples" }, { path: "/ode?samples=1e9", status: 400, parameter: "samples" },
  { path: "/ode?samples=100000", status: 400, parameter: "samples" }, { path: "/ode?K=0&Q0=eye&R0=zeros", status: 400, parameter: "K" }, { path: "/ode?K=101&Q0=eye&R0=zeros", status: 400, parameter: "K" },
  { path: "/ode?K=2.5&Q0=eye&R0=zeros", status: 400, parameter: "K" }, { path: "/ode?K=3&Q0=diag:1,2&R0=zeros", status: 400, parameter: "Q0" }, { path: "/ode?Q0=1,0.5;0,1&R0=zeros", status: 400, parameter: "Q0" },
  { path: "/ode?K=2&Q0=eye&R0=eye&T=eye", status: 400, parameter: "R0" }, { path: "/ode?T=1,2;2,1&Q0=eye&R0=zeros", status: 400, parameter: "T" }, { path: "/ode?Q0=eye", status: 400, parameter: "R0" },
  { path: "/ode?v=1,2,3", status: 400, parameter: "v" }, { path: "/ode?vStar=a", status: 400, parameter: "vStar" }, { path: "/ode?activation=tanh", status: 400, parameter: "activation" },
  { path: "/ode?teacherActivation=sigmoid", status: 400, parameter: "teacherActivation" }, { path: "/ode?method=hermite&activation=erf", status: 400, parameter: "method" },
  { path: "/ode?hermite-order=1000&method=hermite", status: 400, parameter: "hermite-order" }, { path: "/ode?integrator=leapfrog", status: 400, parameter: "integrator" }, { path: "/ode?step=0", status: 400, parameter: "step" },
  { path: "/ode?rtol=2", status: 400, parameter: "rtol" }, { path: "/ode?divergenceBound=0.1", status: 400, parameter: "divergenceBound" }, { path: "/ode?alpha-points=0,1&samples=3", status: 400, parameter: "alpha-points" },
  { path: "/ode?alphas=0,2,1", status: 400, parameter: "alphas" }, { path: "/ode?maxSteps=1e10", status: 400, parameter: "maxSteps" }, { path: "/ode?bogus=1", status: 400, parameter: "bogus" },
  { path: "/ode?alpha-maxx=1", status: 400, parameter: "alpha-maxx" }, { path: "/ode?eta=1&learningRate=2", status: 400, parameter: "learningRate" }, { path: "/ode?eta=1&eta=2", status: 400, parameter: "eta" },
  { path: "/ode?out=x.json", status: 400, parameter: "out" }, { path: "/ode?format=csv", status: 400, parameter: "format" }, { path: "/ode?max-work=100", status: 400, parameter: "max-work" },
  { path: "/ode?K=100&M=100&Q0=0.1*eye&R0=zeros", status: 400, parameter: "K" }, { path: "/ode?K=30&M=30&Q0=0.1*eye&R0=zeros", status: 400, parameter: "K" },
  { path: "/sgd", status: 200 }, { path: "/sgd?d=1e7&runs=1&alpha-max=1e-3&samples=2", status: 400, parameter: "d" }, { path: "/sgd?d=3", status: 400, parameter: "d" },
  { path: "/sgd?d=50&runs=2&alpha-max=0.5&samples=2", status: 200 }, { path: "/sgd?runs=0", status: 400, parameter: "runs" }, { path: "/sgd?seed=-1", status: 400, parameter: "seed" },
  { path: "/sgd?batch=0", status: 400, parameter: "batch" }, { path: "/sgd?d=100&runs=2&alpha-points=0,0.0001", status: 400, parameter: "alpha-points" }, { path: "/sgd?d=100&runs=2&alpha-max=1&test-inputs=1e8", status: 400, parameter: "test-inputs" },
  { path: "/sgd?d=100&runs=2&alpha-max=1&per-run=maybe", status: 400, parameter: "per-run" }, { path: "/sgd?threads=2", status: 400, parameter: "threads" }, { path: "/sgd?d=100&runs=2&alpha-max=0.5&samples=2&perRun=", status: 200 },
  { path: "/eg?Q=eye", status: 400, parameter: "R" }, { path: "/eg?R=eye", status: 400, parameter: "Q" }, { path: "/eg?Q=eye&R=zeros", status: 200 }, { path: "/eg?Q=diag:1,2,3&R=zeros", status: 200 },
  { path: "/eg?K=2&Q=diag:1,2,3&R=zeros", status: 400, parameter: "Q" }, { path: "/eg?Q=NaN*eye&R=zeros", status: 400, parameter: "Q" }, { path: "/eg?K=30&M=30&Q=eye&R=zeros", status: 400, parameter: "K" },
  { path: "/eg?Q=eye&R=1,1;1,1", status: 400, parameter: "R" }, { path: "/eg?Q=eye&R=zeros&activation=erf&teacher-activation=linear", status: 200 }, { path: "/eg?Q=eye&R=zeros&v=1", status: 400, parameter: "v" },
  // large networks
  { path: "/ode-symmetric?alpha-max=1&samples=2", status: 200 }, { path: "/ode-symmetric?K=1e6&eta=1e-6&alphaMax=2&samples=3", status: 200 }, { path: "/ode-symmetric?T=eye", status: 400, parameter: "T" },
  { path: "/ode-symmetric?Q0=0.2*eye", status: 400, parameter: "Q0" }, { path: "/ode-symmetric?K=2e6", status: 400, parameter: "K" }, { path: "/ode-symmetric?C0=0.5", status: 400, parameter: "C0" },
  { path: "/ode-symmetric?maxSteps=1e10", status: 400, parameter: "maxSteps" }, { path: "/ode-symmetric?samples=1e6", status: 400, parameter: "samples" },
  { path: "/ode-symmetric?format=csv", status: 400, parameter: "format" }, { path: "/ode-symmetric?error-estimate=false", status: 400, parameter: "error-estimate" },
  { path: "/plateau?K=10&eta=0.2&delta=1e-6", status: 200 }, { path: "/plateau?K=1", status: 400, parameter: "K" }, { path: "/plateau?eta=-1", status: 400, parameter: "eta" }, { path: "/plateau?escapeConstant=maybe", status: 400, parameter: "escapeConstant" },
  { path: "/plateau?activation=relu&K=1000&eta=0.001&delta=1e-6&escape-constant=true", status: 400, parameter: "delta" }, { path: "/plateau?K=2&eta=0.5&delta=1e-3&escape-constant=true", status: 200 },
  { path: "/eta-limits?K=2,3", status: 200 }, { path: "/eta-limits?K=2,3,4,5&escape=false", status: 200 }, { path: "/eta-limits?activation=relu&K=2", status: 400, parameter: "K" }, { path: "/eta-limits?activation=erf,linear&K=2&escape=false", status: 200 },
  { path: "/eta-limits?activation=sigmoid", status: 400, parameter: "activation" }, { path: "/eta-limits?K=", status: 400, parameter: "K" }, { path: "/eta-limits?precision=1", status: 400, parameter: "precision" },
];

/** Generated: every numeric parameter of /ode and /sgd with a hostile text, under a random spelling. */
const params = ENDPOINTS.filter((e) => e.path !== "/eg").flatMap((e) => e.options.filter((o) => o.type === "number" || o.type === "integer" || o.type === "list").map((o) => [e.path, o] as const));
const hostile = fc.oneof(fc.constantFrom("NaN", "Infinity", "-1e999", "", "abc", "1,,2", "-", "0x", "1e"), fc.double().map(String), fc.integer({ min: -1e12, max: -1 }).map(String));
const GENERATED: Request_[] = fc.sample(fc.record({ p: fc.nat(params.length - 1), text: hostile, spelling: fc.nat(5) }), { seed: 4242, numRuns: 60 }).flatMap(({ p, text, spelling }) => {
  const [path, spec] = params[p];
  try {
    parseText(spec, text);
    return []; // a valid value: not a hostile request
  } catch {
    const names = queryNamesOf(spec);
    const name = names[spelling % names.length];
    return [{ path: `${path}?${new URLSearchParams([[name, text]])}`, status: 400, parameter: name }];
  }
});

const REQUESTS = [...HAND, ...GENERATED];

/** The checks of every answer; returns the problems found. */
async function check(r: Request_, fetcher: (path: string, method: string) => Promise<Response>): Promise<string[]> {
  const p: string[] = [];
  const t0 = performance.now();
  const res = await fetcher(r.path, r.method ?? "GET");
  const text = await res.text();
  const ms = performance.now() - t0;
  if (ms > 2000) p.push(`answered after ${ms.toFixed(0)} ms`);
  if (res.status !== r.status) p.push(`status ${res.status}, expected ${r.status}: ${text.slice(0, 200)}`);
  if (!/application\/json/.test(res.headers.get("content-type") ?? "")) p.push("not JSON");
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    p.push("body is not JSON");
  }
  if (/NaN/.test(text.replace(/"[^"]*NaN[^"]*"/g, (s) => (res.status === 400 ? "" : s)))) p.push("NaN in the answer");
  if (res.status === 400) {
    if (r.parameter !== undefined && body.parameter !== r.parameter) p.push(`parameter ${JSON.stringify(body.parameter)}, expected ${JSON.stringify(r.parameter)}`);
    const error = String(body.error ?? "");
    if (r.parameter && !error.includes(r.parameter)) p.push(`error does not name ${r.parameter}: ${error}`);
    if (!ACCEPTS.test(error)) p.push(`error does not say what is accepted: ${error}`);
  }
  if (res.status === 200 && (r.path.startsWith("/ode") || r.path.startsWith("/sgd")) && !STATUSES.includes(String(body.status))) p.push(`status field ${String(body.status)}`);
  if (res.status === 200 && r.path.startsWith("/plateau") && !["found", "not-found"].includes(String(body.status))) p.push(`status field ${String(body.status)}`);
  for (const b of r.path.startsWith("/eta-limits") && res.status === 200 ? [body].flat() : []) if (!["completed", "max-work"].includes(String(b.status))) p.push(`status field ${String(b.status)}`);
  return p;
}

describe(`edge battery in process (createHandler): ${REQUESTS.length} requests, each within 2 s`, () => {
  const handler = createHandler();
  const fetcher = (path: string, method: string) => handler.fetch(new Request(`http://edge.test${path}`, { method, ...(method === "POST" ? { body: "x" } : {}) }));
  it("at least 40 requests", () => expect(REQUESTS.length).toBeGreaterThanOrEqual(40));
  it.each(REQUESTS.map((r) => [r.method ?? "GET", r.path] as const))("%s %s", async (_m, path) => {
    const r = REQUESTS.find((x) => x.path === path && (x.method ?? "GET") === _m)!;
    expect(await check(r, fetcher)).toEqual([]);
  });
  it("every parameter spelling of every endpoint is accepted (flag, camelCase, API name)", async () => {
    for (const e of ENDPOINTS) for (const o of e.options) for (const name of queryNamesOf(o)) expect(flagsOf(o).length + name.length).toBeGreaterThan(0);
    const a = await (await fetcher("/ode?alphaMax=1&samples=2&learningRate=0.5", "GET")).json();
    const b = await (await fetcher("/ode?alpha-max=1&samples=2&eta=0.5", "GET")).json();
    expect(a.eg).toEqual(b.eg);
  });
});

// ---- a subset against the built worker in a real workerd on loopback ----

const workerd = "node_modules/@cloudflare/workerd-linux-64/bin/workerd";
let proc: ChildProcess | undefined;
let base = "";
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const IN_WORKERD = [0, 4, 6, 8, 12, 14, 21, 38, 40, 46, 47, 49, 58, 63].map((i) => HAND[i]);

describe(`edge battery in workerd: ${IN_WORKERD.length} requests, each within 2 s`, () => {
  beforeAll(async () => {
    if (!existsSync("dist/edge/worker.js")) throw new Error("dist/edge/worker.js missing: run npm run build first");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = spawn(workerd, ["serve", "dist/edge/workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
    process.once("exit", () => proc?.kill("SIGKILL"));
    const t0 = Date.now();
    for (;;) {
      try {
        if ((await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) })).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - t0 > 20_000) throw new Error("workerd did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);
  afterAll(() => {
    proc?.kill("SIGKILL");
  });
  it.each(IN_WORKERD.map((r) => [r.method ?? "GET", r.path] as const))("%s %s", async (method, path) => {
    const r = IN_WORKERD.find((x) => x.path === path && (x.method ?? "GET") === method)!;
    const fetcher = (p: string, m: string) => fetch(base + p, { method: m, ...(m === "POST" ? { body: "x" } : {}), signal: AbortSignal.timeout(20_000) });
    expect(await check(r, fetcher)).toEqual([]);
  });
});
