// The edge's large-network endpoints in Node (createHandler): /ode-symmetric, /plateau and
// /eta-limits answer the JSON of `scm ode-symmetric|plateau|eta-limits --format json` (equal to the
// API's), refuse bad input naming the parameter as written, and keep a request within the
// endpoint's work limit (maxWork, "truncate": the part computed with status "max-work", or 400
// when nothing meaningful fits). workerd: test/edge.test.ts.
import { describe, expect, it } from "vitest";
import { createHandler, DEFAULT_LIMITS } from "../src/edge/handler";
import { etaLimits, integrateSymmetric, plateau, symmetricResultToJSON } from "./helpers";
import { runPoint } from "../src/sweep/points";

const handler = createHandler();
const get = async (path: string) => {
  const res = await handler.fetch(new Request(`http://edge.test${path}`));
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
};
const withoutTime = <T extends { stats: { wallTimeMs: number } }>(r: T) => ({ ...r, stats: { ...r.stats, wallTimeMs: 0 } });
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe("edge: /ode-symmetric, /plateau, /eta-limits", () => {
  it("/ode-symmetric equals integrateSymmetric() (the JSON of scm ode-symmetric --format json), in any spelling", async () => {
    const r = await get("/ode-symmetric?activation=erf&K=1000&eta=5e-4&alpha-max=20&samples=5&R0=0.002&S0=1e-5");
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/application\/json/);
    const n = integrateSymmetric({ activation: "erf", K: 1000, learningRate: 5e-4, alphaMax: 20, samples: 5, R0: 0.002, S0: 1e-5 });
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(symmetricResultToJSON(n))));
    const b = await get("/ode-symmetric?activation=erf&K=1000&learningRate=5e-4&alphaMax=20&samples=5&R0=0.002&S0=1e-5");
    expect(b.body.eg).toEqual(r.body.eg);
  });
  it("/ode-symmetric: a long run stops at the work limit with the samples reached, equal to the API's under the same maxWork", async () => {
    const r = await get("/ode-symmetric?activation=relu&K=100&eta=0.02&alpha-max=1e6&samples=11");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("max-work");
    expect(r.body.message).toMatch(new RegExp(`^stopped at maxWork = ${DEFAULT_LIMITS.maxWork} s of estimated work`));
    const n = integrateSymmetric({ activation: "relu", K: 100, learningRate: 0.02, alphaMax: 1e6, samples: 11, maxWork: DEFAULT_LIMITS.maxWork, workLimitAction: "truncate" });
    expect(n.status).toBe("max-work");
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(symmetricResultToJSON(n))));
    // stopped early: the first sample only (alpha = 0), the kernel's steps up to the limit
    expect(r.body.alpha).toEqual([0]);
    expect(r.body.stats.alphaReached).toBeGreaterThan(0);
    expect(r.body.stats.alphaReached).toBeLessThan(1e5);
  });
  it("/plateau equals plateau() without the escape constant unless asked for; the escape constant is refused when its integrations do not fit", async () => {
    const r = await get("/plateau?K=10&eta=0.2&delta=1e-6");
    expect(r.status).toBe(200);
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(plateau({ K: 10, learningRate: 0.2, delta: 1e-6, escapeConstant: false }))));
    expect(r.body.plateauLengthLeading).toBeCloseTo(Math.log(1e6) / r.body.escapeRate, 9);
    expect(r.body.plateauLength).toBeNull();
    const listed = (await get("/")).body.endpoints.find((e: { path: string }) => e.path === "/plateau").parameters.find((x: { name: string }) => x.name === "escape-constant");
    expect(listed.default).toBe("false (even with delta) on this endpoint");
    const c = await get("/plateau?K=2&eta=0.5&delta=1e-3&escape-constant=true");
    expect(c.status).toBe(200);
    expect(withoutTime(c.body)).toEqual(plain(withoutTime(plateau({ K: 2, learningRate: 0.5, delta: 1e-3, escapeConstant: true }))));
    expect(c.body.escapeConstant.D).toBeGreaterThan(0);
    // relu at K = 1000: the escape lasts ~ln(1/delta)/lambda ~ 1e5, two integrations of several seconds
    const slow = await get("/plateau?activation=relu&K=1000&eta=0.001&delta=1e-6&escape-constant=true");
    expect(slow.status).toBe(400);
    expect(slow.body.parameter).toBe("delta");
    expect(slow.body.error).toMatch(/^refused: plateau: estimated .* escape constant: two integrations .*this endpoint's work limit: 0\.5 s/);
  });
  it("/eta-limits equals etaLimits() for a few values of K; several activations give an array and share the work limit; a long list stops at the limit", async () => {
    const r = await get("/eta-limits?activation=erf&K=2,10");
    expect(r.status).toBe(200);
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(etaLimits({ activation: "erf", K: [2, 10] }))));
    const two = await get("/eta-limits?activation=erf,relu&K=3&escape=false");
    expect(two.body.map((x: { options: { activation: string } }) => x.options.activation)).toEqual(["erf", "relu"]);
    // the default 20 values of K: the first rows within the work limit, equal to the API's under the same maxWork
    const byDefault = await get("/eta-limits");
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.status).toBe("max-work");
    const n = etaLimits({ maxWork: DEFAULT_LIMITS.maxWork, workLimitAction: "truncate" });
    expect(byDefault.body.rows.length).toBe(n.rows.length);
    expect(n.rows.length).toBeGreaterThan(0);
    expect(n.rows.length).toBeLessThan(20);
    expect(byDefault.body.rows.map((x: { K: number }) => x.K)).toEqual(n.rows.map((x) => x.K));
    // two activations: half the limit each, so fewer rows each than one alone
    const shared = await get("/eta-limits?activation=erf,erf");
    expect(shared.body.map((x: { rows: unknown[] }) => x.rows.length)).toEqual([0, 1].map(() => etaLimits({ maxWork: DEFAULT_LIMITS.maxWork / 2, workLimitAction: "truncate" }).rows.length));
    expect(shared.body[0].rows.length).toBeLessThan(n.rows.length);
    // relu's escape-rate maximum alone is estimated above the limit: refused at once
    const relu = await get("/eta-limits?activation=relu&K=2");
    expect(relu.status).toBe(400);
    expect(relu.body.error).toMatch(/^refused: etaLimits: estimated .*this endpoint's work limit/);
  });
  it("POST /point: ode-symmetric and plateau points answer the JSON of the commands, as a local sweep's worker computes them; too large: 400 with the estimate", async () => {
    const post = async (body: unknown) => {
      const res = await handler.fetch(new Request("http://edge.test/point", { method: "POST", body: JSON.stringify(body) }));
      return { status: res.status, body: await res.json() };
    };
    const ode = { activation: "erf" as const, K: 1000, learningRate: 5e-4, alphaMax: 20, samples: 5 };
    const r = await post({ command: "ode-symmetric", options: ode });
    expect(r.status).toBe(200);
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(symmetricResultToJSON(integrateSymmetric(ode)))));
    expect(withoutTime(r.body)).toEqual(withoutTime(JSON.parse(runPoint("ode-symmetric", ode, { maxWork: 600 }))));
    const fixed = { activation: "erf" as const, K: 10, learningRate: 0.2, delta: 1e-6 };
    const p = await post({ command: "plateau", options: fixed });
    expect(p.status).toBe(200);
    // as scm plateau: the escape constant is on when delta is given
    expect(withoutTime(p.body)).toEqual(plain(withoutTime(plateau(fixed))));
    expect(p.body.escapeConstant.D).toBeGreaterThan(0);
    // whole or refused, never truncated: 1e6 / (RK4 step 0.01) steps of relu
    const big = await post({ command: "ode-symmetric", options: { activation: "relu", K: 100, learningRate: 0.02, alphaMax: 1e6 } });
    expect(big.status).toBe(400);
    expect(big.body.estimate.seconds).toBeGreaterThan(60);
  });
  it("400 naming the parameter as written, with what it accepts", async () => {
    const cases: [string, string, RegExp][] = [
      ["/ode-symmetric?T=eye", "T", /^T must be a finite number > 0; got "eye"$/],
      ["/ode-symmetric?K=0", "K", /^K must be an integer >= 1 and <= 1e6; got 0$/],
      ["/ode-symmetric?vStar=1,2", "vStar", /^vStar must be a finite number; got "1,2"$/],
      ["/ode-symmetric?C0=-1", "C0", /^C0 with Q0 = 0\.2, R0 = 0\.001, S0 = 0, K = 2, T = 1 does not give a valid overlap matrix/],
      ["/ode-symmetric?samples=20000", "samples", /^samples must be an integer >= 2 and <= 10001; got 20000$/],
      ["/plateau?K=1", "K", /^K must be an integer >= 2 and <= 1e6; got 1$/],
      ["/plateau?delta=0.5", "delta", /^delta must be a finite number > 0 and <= 0\.1; got 0\.5$/],
      ["/eta-limits?activation=erf,tanh&K=2", "activation", /^activation entry 2 must be one of relu, erf, linear; got "tanh"$/],
      ["/eta-limits?K=2,1", "K", /^K entry 2 must be an integer >= 2 and <= 1e6; got 1$/],
    ];
    for (const [path, parameter, error] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.parameter, path).toBe(parameter);
      expect(r.body.error, path).toMatch(error);
    }
  });
});
