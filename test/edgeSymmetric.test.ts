// The edge's large-network endpoints in Node (createHandler): /ode-symmetric, /plateau and
// /eta-limits answer the JSON of `scm ode-symmetric|plateau|eta-limits --format json` (equal to the
// API's), refuse bad input naming the parameter as written, and keep a request near the endpoint's
// work limit (steps capped with a warning, few values of K). workerd: test/edge.test.ts.
import { describe, expect, it } from "vitest";
import { createHandler } from "../src/edge/handler";
import { ETA_LIMITS_VALUES, symmetricRhsSeconds } from "../src/edge/symmetric";
import { etaLimits, integrateSymmetric, plateau, symmetricResultToJSON } from "./helpers";

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
    const n = integrateSymmetric({ activation: "erf", K: 1000, learningRate: 5e-4, alphaMax: 20, samples: 5, R0: 0.002, S0: 1e-5, maxSteps: r.body.options.maxSteps });
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(symmetricResultToJSON(n))));
    const b = await get("/ode-symmetric?activation=erf&K=1000&learningRate=5e-4&alphaMax=20&samples=5&R0=0.002&S0=1e-5");
    expect(b.body.eg).toEqual(r.body.eg);
  });
  it("/ode-symmetric: steps capped from the calibrated cost of a right-hand side, with a warning when the cap stops the run", async () => {
    const r = await get("/ode-symmetric?activation=relu&K=100&eta=0.02&alpha-max=1e6&samples=3");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("max-steps");
    expect(r.body.warnings[0]).toMatch(/stopped by this endpoint's work limit \(maxSteps \d+/);
    // the cap: about 1 s of estimated work at 4 right-hand sides per RK4 step
    expect(r.body.options.maxSteps).toBe(Math.floor(1 / (4 * symmetricRhsSeconds("relu", "relu"))));
    const too = await get(`/ode-symmetric?activation=relu&max-steps=${r.body.options.maxSteps + 1}`);
    expect(too.status).toBe(400);
    expect(too.body.parameter).toBe("max-steps");
    expect(too.body.error).toMatch(/^max-steps must be <= \d+ on this endpoint/);
  });
  it("/plateau equals plateau() without the escape constant (escape-constant is not a parameter here)", async () => {
    const r = await get("/plateau?K=10&eta=0.2&delta=1e-6");
    expect(r.status).toBe(200);
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(plateau({ K: 10, learningRate: 0.2, delta: 1e-6, escapeConstant: false }))));
    expect(r.body.plateauLengthLeading).toBeCloseTo(Math.log(1e6) / r.body.escapeRate, 9);
    expect(r.body.plateauLength).toBeNull();
    const c = await get("/plateau?K=10&escape-constant=true");
    expect(c.status).toBe(400);
    expect(c.body.error).toMatch(/^unknown parameter "escape-constant" for \/plateau/);
  });
  it("/eta-limits equals etaLimits() for a few values of K; several activations give an array; longer lists are refused naming K", async () => {
    const r = await get("/eta-limits?activation=erf&K=2,10");
    expect(r.status).toBe(200);
    expect(withoutTime(r.body)).toEqual(plain(withoutTime(etaLimits({ activation: "erf", K: [2, 10] }))));
    const two = await get("/eta-limits?activation=erf,relu&K=3&escape=false");
    expect(two.body.map((x: { options: { activation: string } }) => x.options.activation)).toEqual(["erf", "relu"]);
    const long = await get("/eta-limits?K=2,3,4");
    expect(long.status).toBe(400);
    expect(long.body.parameter).toBe("K");
    expect(long.body.error).toMatch(new RegExp(`^K must give at most ${ETA_LIMITS_VALUES.escape} values of K`));
    const byDefault = await get("/eta-limits");
    expect(byDefault.status).toBe(400);
    expect(byDefault.body.error).toMatch(/got 20 \(the default K list\)/);
    const perfectOnly = await get(`/eta-limits?escape=false&K=${Array.from({ length: ETA_LIMITS_VALUES.perfectOnly }, (_, i) => i + 2).join(",")}`);
    expect(perfectOnly.status).toBe(200);
    expect(perfectOnly.body.rows).toHaveLength(ETA_LIMITS_VALUES.perfectOnly);
  });
  it("400 naming the parameter as written, with what it accepts", async () => {
    const cases: [string, string, RegExp][] = [
      ["/ode-symmetric?T=eye", "T", /^T must be a finite number > 0; got "eye"$/],
      ["/ode-symmetric?K=0", "K", /^K must be an integer >= 1 and <= 1e6; got 0$/],
      ["/ode-symmetric?vStar=1,2", "vStar", /^vStar must be a finite number; got "1,2"$/],
      ["/ode-symmetric?C0=-1", "C0", /^C0 with Q0 = 0\.2, R0 = 0\.001, S0 = 0, K = 2, T = 1 does not give a valid overlap matrix/],
      ["/ode-symmetric?samples=20000", "samples", /^samples must be at most 10001 sample points on this endpoint; got 20000$/],
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
