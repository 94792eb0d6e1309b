// A fetch handler (Cloudflare Workers, workerd, Deno, Bun, any runtime with Request/Response)
// answering GET /ode, /sgd and /eg with the JSON of `scm ode --format json`, `scm sgd --format
// json` and a generalization error. Query parameters have the names and the matrix syntax of the
// CLI options (e.g. T=1,0;0,2 or T=diag:1,2); camelCase spellings (alphaMax) are accepted too.
// Runtime-neutral: the core comes from whichever entry registered it (src/edge/worker.ts imports
// the workerd entry, which hands the runtime's compiled WebAssembly.Module to the engine).
import { generalizationError, integrate, simulateSync } from "../api";
import { CliError, expandMatrix, parseList, parseMatrix, parseNumber, specShape } from "../text/args";
import { resultJson, simulationJson } from "../text/json";
import { CLI_NAME_OF, odeOptionArgs, odeOptionsFromArgs, sgdOptionArgs, simulationOptionsFromArgs, type TextValues } from "../text/options";

/** Work allowed per request; a request above it gets 400 before anything runs. */
export interface EdgeLimits {
  /** ODE: integrator steps x stages x (K + M)^4 (one unit ~ 30 ns for relu; 5e7 ~ 1.5 s). */
  odeWork: number;
  /** ODE: sample points per request. */
  odeSamples: number;
  /** SGD: summed over runs, SGD steps x d x (K + M), test-error inputs included (one unit ~ 2.5 ns). */
  sgdWork: number;
  /** SGD: sample points per request. */
  sgdSamples: number;
}

export const DEFAULT_LIMITS: EdgeLimits = Object.freeze({ odeWork: 5e7, odeSamples: 10_001, sgdWork: 2e8, sgdSamples: 1_001 });

/** Bad input: answered with 400 and the parameter to blame. */
class BadRequest extends Error {
  constructor(message: string, readonly parameter: string | null) {
    super(message);
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

const jsonText = (text: string) => new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });

type Table = Record<string, { type: "string" | "boolean" }>;

/** camelCase -> CLI spelling: alphaMax -> alpha-max; learningRate -> eta. */
function cliName(key: string): string {
  if (key === "learningRate") return "eta";
  if (key === "alphas") return "alpha-points";
  return key.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a}-${b.toLowerCase()}`);
}

/** The query as CLI-style option values: unknown or repeated parameters are rejected. */
function queryValues(url: URL, table: Table): TextValues {
  const values: TextValues = {};
  for (const [key, value] of url.searchParams) {
    const name = cliName(key);
    const spec = table[name];
    if (!spec) throw new BadRequest(`unknown parameter ${JSON.stringify(key)} for ${url.pathname}; accepted: ${Object.keys(table).join(", ")}`, key);
    if (values[name] !== undefined) throw new BadRequest(`parameter ${JSON.stringify(name)} given more than once`, name);
    if (spec.type === "boolean") {
      if (value === "" || value === "true" || value === "1") values[name] = true;
      else if (value === "false" || value === "0") values[name] = false;
      else throw new BadRequest(`${name} must be true or false (or empty); got ${JSON.stringify(value)}`, name);
    } else values[name] = value;
  }
  return values;
}

/** A parse or validation error as a 400 naming the query parameter. */
function asBadRequest(err: unknown): BadRequest | undefined {
  if (err instanceof BadRequest) return err;
  if (err instanceof CliError) return new BadRequest(err.message.replace(/^--/, ""), err.option ?? null);
  if (err instanceof RangeError || err instanceof TypeError) {
    // the API names its own option (learningRate, alphaMax, Q0[1][0], C0 ...): report the query
    // name of the first option the message mentions
    const first = (err.message.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).find((w) => API_NAMES.has(w));
    const parameter = first === undefined ? null : first === "C0" ? "Q0" : (CLI_NAME_OF[first] ?? first);
    return new BadRequest(err.message, parameter);
  }
  return undefined;
}

const sampleCount = (v: TextValues, fallback: number): number => {
  const points = parseList("alpha-points", v["alpha-points"] as string | undefined);
  return points ? points.length : (parseNumber("samples", v.samples as string | undefined, { integer: true }) ?? fallback);
};

function units(o: { K?: number; M?: number; Q0?: ArrayLike<unknown>; T?: ArrayLike<unknown> }): number {
  return (o.K ?? o.Q0?.length ?? 2) + (o.M ?? o.T?.length ?? 2);
}

const STAGES = { euler: 1, rk4: 4, adaptive: 7 } as const;

export const odeTable: Table = { ...odeOptionArgs };
const { threads: _t, ...sgdRest } = sgdOptionArgs;
export const sgdTable: Table = { ...sgdRest };
export const egTable: Table = { activation: { type: "string" }, "teacher-activation": { type: "string" }, K: { type: "string" }, M: { type: "string" }, T: { type: "string" }, Q: { type: "string" }, R: { type: "string" }, v: { type: "string" }, "v-star": { type: "string" } };

/** Option names as the API's messages spell them. */
const API_NAMES = new Set(["C0", "Q", "R", "method", ...Object.keys(CLI_NAME_OF), ...Object.keys(odeOptionArgs), ...Object.keys(sgdOptionArgs)].filter((n) => !n.includes("-")));

function ode(url: URL, limits: EdgeLimits): Response {
  const values = queryValues(url, odeTable);
  const o = odeOptionsFromArgs(values);
  const n = sampleCount(values, 301);
  if (n > limits.odeSamples) throw new BadRequest(`at most ${limits.odeSamples} samples per request on this endpoint; got ${n}`, values["alpha-points"] ? "alpha-points" : "samples");
  // steps are capped through maxSteps, which the core enforces (status "max-steps" when reached)
  const perStep = STAGES[(o.integrator ?? "rk4") as keyof typeof STAGES] * units(o) ** 4;
  const allowed = Math.floor(limits.odeWork / perStep);
  if (allowed < 1) throw new BadRequest(`K + M = ${units(o)} is too large for this endpoint's work limit`, "K");
  if (o.maxSteps !== undefined && o.maxSteps > allowed) throw new BadRequest(`max-steps must be <= ${allowed} on this endpoint (work limit ${limits.odeWork} = steps x stages x (K+M)^4); got ${o.maxSteps}`, "max-steps");
  const capped = o.maxSteps === undefined;
  const r = integrate({ ...o, maxSteps: o.maxSteps ?? allowed });
  if (capped && r.status === "max-steps") r.warnings.push(`stopped by this endpoint's work limit (maxSteps ${allowed} for K + M = ${units(o)}); run it with the Node API or the CLI for longer integrations`);
  return jsonText(resultJson(r));
}

function sgd(url: URL, limits: EdgeLimits): Response {
  const values = queryValues(url, sgdTable);
  const o = simulationOptionsFromArgs(values);
  const n = sampleCount(values, 101);
  if (n > limits.sgdSamples) throw new BadRequest(`at most ${limits.sgdSamples} samples per request on this endpoint; got ${n}`, values["alpha-points"] ? "alpha-points" : "samples");
  const d = o.d ?? 1000, runs = o.runs ?? 10, batch = o.batch ?? 1;
  const alphaMax = o.alphas ? Math.max(...Array.from(o.alphas)) : (o.alphaMax ?? 100);
  const work = runs * (Math.ceil((alphaMax * d) / batch) * batch + (o.testInputs ?? 0) * n) * d * units(o);
  if (!(work <= limits.sgdWork))
    throw new BadRequest(`runs x (alpha-max x d + test-inputs x samples) x d x (K+M) = ${work.toPrecision(3)} exceeds this endpoint's work limit ${limits.sgdWork}; lower d, runs or alpha-max (or use the Node API / CLI)`, "d");
  return jsonText(simulationJson(simulateSync(o)));
}

function eg(url: URL): Response {
  const values = queryValues(url, egTable);
  const s = (k: string) => values[k] as string | undefined;
  const Q = parseMatrix("Q", s("Q")), R = parseMatrix("R", s("R")), T = parseMatrix("T", s("T"));
  if (!Q) throw new BadRequest("Q is required (the student overlaps, K x K)", "Q");
  if (!R) throw new BadRequest("R is required (the student-teacher overlaps, K x M)", "R");
  const K = parseNumber("K", s("K"), { integer: true }) ?? specShape(Q)?.[0] ?? specShape(R)?.[0] ?? 2;
  const M = parseNumber("M", s("M"), { integer: true }) ?? specShape(T)?.[0] ?? specShape(R)?.[1] ?? 2;
  if (K + M > 40) throw new BadRequest(`K + M must be <= 40 on this endpoint; got ${K + M}`, "K");
  const options = {
    activation: (s("activation") ?? "relu") as "relu",
    ...(s("teacher-activation") !== undefined ? { teacherActivation: s("teacher-activation") as "relu" } : {}),
    K, M,
    T: T ? expandMatrix("T", T, M, M) : expandMatrix("T", { kind: "scaledEye", c: 1 }, M, M),
    Q: expandMatrix("Q", Q, K, K),
    R: expandMatrix("R", R, K, M),
    ...(s("v") !== undefined ? { v: parseList("v", s("v")) } : {}),
    ...(s("v-star") !== undefined ? { vStar: parseList("v-star", s("v-star")) } : {}),
  };
  return json(200, { eg: generalizationError(options), options });
}

function index(url: URL, limits: EdgeLimits): Response {
  const base = `${url.protocol}//${url.host}`;
  return json(200, {
    name: "soft-committee",
    description: "Statistical physics of learning in soft committee machines: order-parameter ODEs and finite-d SGD, computed in WebAssembly",
    endpoints: [
      { path: "/ode", description: "order-parameter ODE of online SGD (the JSON of `scm ode --format json`)", parameters: Object.keys(odeTable), example: `${base}/ode?activation=erf&K=2&M=2&T=eye&Q0=0.2*eye&R0=zeros&eta=0.5&alphaMax=50&samples=11` },
      { path: "/sgd", description: "finite-d online SGD runs in one thread (the JSON of `scm sgd --format json`)", parameters: Object.keys(sgdTable), example: `${base}/sgd?d=200&runs=4&alpha-max=5&samples=6&seed=1` },
      { path: "/eg", description: "generalization error eps_g for given overlaps", parameters: Object.keys(egTable), example: `${base}/eg?activation=relu&Q=diag:1,1&R=0.5,0;0,0.5&T=eye` },
    ],
    matrices: `"1,0;0,2" (rows separated by ';'), "diag:1,2", "eye", "0.5*eye" or "zeros"`,
    limits: {
      ...limits,
      note: "work per request is capped (see the units above): larger requests get 400 before running; an adaptive ODE run stopped by the cap reports status max-steps and a warning",
    },
  });
}

const routes: Record<string, (url: URL, limits: EdgeLimits) => Response> = { "/": index, "/ode": ode, "/sgd": sgd, "/eg": eg };

/** A handler with its own work limits (defaults: DEFAULT_LIMITS). */
export function createHandler(options: { limits?: Partial<EdgeLimits> } = {}): { fetch(request: Request): Promise<Response> } {
  const limits: EdgeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const route = routes[url.pathname.replace(/(.)\/$/, "$1")];
      if (!route) return json(404, { error: `no endpoint ${url.pathname}; endpoints: ${Object.keys(routes).join(", ")}` });
      if (request.method !== "GET" && request.method !== "HEAD") return json(405, { error: `method ${request.method} not allowed; use GET` }, { allow: "GET, HEAD" });
      try {
        return route(url, limits);
      } catch (err) {
        const bad = asBadRequest(err);
        if (bad) return json(400, { error: bad.message, parameter: bad.parameter });
        return json(500, { error: `internal error: ${(err as Error).message ?? String(err)}` });
      }
    },
  };
}

export default createHandler();
