// A fetch handler (Cloudflare Workers, workerd, Deno, Bun, any runtime with Request/Response)
// answering GET /ode, /sgd and /eg with the JSON of `scm ode --format json`, `scm sgd --format
// json` and a generalization error. Query parameters are the options of the schema
// (src/options/), under their CLI names (alpha-max, with the CLI's matrix syntax) or their
// camelCase and API names (alphaMax, learningRate); errors answer 400 with the parameter as written.
// Runtime-neutral: the core comes from whichever entry registered it (src/edge/worker.ts imports
// the workerd entry, which hands the runtime's compiled WebAssembly.Module to the engine).
import { generalizationError, integrate, simulateSync } from "../api";
import { isOptionError, OptionError, WorkLimitError } from "../core/errors";
import type { RunControl } from "../core/control";
import { acceptedPhrase } from "../options/check";
import { commandByName } from "../options/commands";
import { defaultPhrase } from "../options/help";
import { placeholderOf, queryNamesOf, type OptionSpec } from "../options/option";
import { problemText } from "../options/problem";
import { QueryError, readQuery, type ParsedQuery } from "../options/query";
import { settingFromValues } from "../options/setting";
import { activation, K, M, Q, R, T, teacherActivation, v, vStar } from "../options/catalog/setting";
import { MATRIX_SYNTAX } from "../options/matrix";
import { resultJson, simulationJson } from "../text/json";
import { withControl } from "../text/progress";

/** Work allowed per request. */
export interface EdgeLimits {
  /**
   * Estimated seconds of computation per request, passed to the API as maxWork with
   * workLimitAction "truncate": a longer computation stops there and answers its part with status
   * "max-work"; one that cannot even start is refused with 400.
   */
  maxWork: number;
  /** ODE: integrator steps x stages x (K + M)^4 (a coarse guard besides maxWork). */
  odeWork: number;
  /** ODE: sample points per request. */
  odeSamples: number;
  /** SGD: summed over runs, SGD steps x d x (K + M), test-error inputs included (a coarse guard besides maxWork). */
  sgdWork: number;
  /** SGD: sample points per request. */
  sgdSamples: number;
}

export const DEFAULT_LIMITS: EdgeLimits = Object.freeze({ maxWork: 1, odeWork: 5e7, odeSamples: 10_001, sgdWork: 2e8, sgdSamples: 1_001 });

/** The API options an endpoint takes: those of the CLI command without its CLI-only ones. */
const endpointOptions = (command: string) => commandByName(command)!.options.filter((o) => !o.cliOnly && o.group !== "output" && o.group !== "control");

export interface Endpoint {
  path: string;
  description: string;
  options: readonly OptionSpec[];
  example: string;
  /** The answer to a parsed query; `control` holds the RunControl fields every API call gets (maxWork, workLimitAction "truncate"). */
  answer(q: ParsedQuery, limits: EdgeLimits, control: RunControl): Response | Promise<Response>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

const jsonText = (text: string) => new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });

/** A request refused by a limit of this endpoint: 400 naming the parameter to change. */
class LimitError extends Error {
  constructor(message: string, readonly option: string) {
    super(message);
  }
}

const units = (o: { K?: number; M?: number }) => (o.K ?? 2) + (o.M ?? 2);
const STAGES = { euler: 1, rk4: 4, adaptive: 7 } as const;
const controlOf = (limits: EdgeLimits): RunControl => ({ maxWork: limits.maxWork, workLimitAction: "truncate" });

function ode(q: ParsedQuery, limits: EdgeLimits, control: RunControl): Response {
  const o: Record<string, unknown> = { ...settingFromValues(q.values) };
  for (const s of ODE_OPTIONS) if (q.values[s.name] !== undefined && !(s.name in o)) o[s.name] = q.values[s.name];
  const alphas = o.alphas as number[] | undefined;
  const n = alphas ? alphas.length : ((o.samples as number | undefined) ?? 301);
  if (n > limits.odeSamples) throw new LimitError(`must be at most ${limits.odeSamples} sample points on this endpoint; got ${n}`, alphas ? "alphas" : "samples");
  // steps are capped through maxSteps, which the core enforces (status "max-steps" when reached)
  const perStep = STAGES[((o.integrator as string | undefined) ?? "rk4") as keyof typeof STAGES] * units(o) ** 4;
  const allowed = Math.floor(limits.odeWork / perStep);
  if (allowed < 1) throw new LimitError(`+ M = ${units(o)} is too large for this endpoint's work limit`, "K");
  if (o.maxSteps !== undefined && (o.maxSteps as number) > allowed) throw new LimitError(`must be <= ${allowed} on this endpoint (work limit ${limits.odeWork} = steps x stages x (K+M)^4); got ${o.maxSteps}`, "maxSteps");
  const capped = o.maxSteps === undefined;
  const r = integrate(withControl({ ...o, maxSteps: (o.maxSteps as number | undefined) ?? allowed }, control));
  if (capped && r.status === "max-steps") r.warnings.push(`stopped by this endpoint's work limit (maxSteps ${allowed} for K + M = ${units(o)}); run it with the Node API or the CLI for longer integrations`);
  return jsonText(resultJson(r));
}

function sgd(q: ParsedQuery, limits: EdgeLimits, control: RunControl): Response {
  const o: Record<string, unknown> = { ...settingFromValues(q.values) };
  for (const s of SGD_OPTIONS) if (q.values[s.name] !== undefined && !(s.name in o)) o[s.name] = q.values[s.name];
  const alphas = o.alphas as number[] | undefined;
  const n = alphas ? alphas.length : ((o.samples as number | undefined) ?? 101);
  if (n > limits.sgdSamples) throw new LimitError(`must be at most ${limits.sgdSamples} sample points on this endpoint; got ${n}`, alphas ? "alphas" : "samples");
  const d = (o.d as number | undefined) ?? 1000, runs = (o.runs as number | undefined) ?? 10, batch = (o.batch as number | undefined) ?? 1;
  const alphaMax = alphas ? Math.max(...alphas) : ((o.alphaMax as number | undefined) ?? 100);
  // a finite training set: its training error (P inputs) at every sample, P = training-set x d
  const P = o.trainingSetSize === undefined ? 0 : Math.round((o.trainingSetSize as number) * d);
  const work = runs * (Math.ceil((alphaMax * d) / batch) * batch + (((o.testInputs as number | undefined) ?? 0) + P) * n) * d * units(o);
  if (!(work <= limits.sgdWork))
    throw new LimitError(`gives runs x (alpha-max x d + (test-inputs + training-set x d) x samples) x d x (K+M) = ${work.toPrecision(3)}, beyond this endpoint's work limit ${limits.sgdWork}; lower d, runs or alpha-max (or use the Node API / CLI)`, "d");
  return jsonText(simulationJson(simulateSync(withControl(o, control))));
}

function eg(q: ParsedQuery): Response {
  for (const name of ["Q", "R"]) {
    if (q.values[name] === undefined) throw new OptionError({ option: name, value: undefined, accepted: "a matrix", reason: `is required (the ${name === "Q" ? "student overlaps, K x K" : "student-teacher overlaps, K x M"})` });
  }
  const s = settingFromValues(q.values, { Q0: "Q", R0: "R" });
  if (units(s) > 40) throw new LimitError(`+ M must be <= 40 on this endpoint; got ${units(s)}`, "K");
  const options = {
    activation: s.activation ?? "relu",
    ...(s.teacherActivation !== undefined ? { teacherActivation: s.teacherActivation } : {}),
    K: s.K!, M: s.M!,
    T: s.T ?? Array.from({ length: s.M! }, (_, i) => Array.from({ length: s.M! }, (_, j) => (i === j ? 1 : 0))),
    Q: s.Q0!, R: s.R0!,
    ...(s.v !== undefined ? { v: s.v } : {}),
    ...(s.vStar !== undefined ? { vStar: s.vStar } : {}),
  };
  return json(200, { eg: generalizationError(options as Parameters<typeof generalizationError>[0]), options });
}

const ODE_OPTIONS = endpointOptions("ode");
const SGD_OPTIONS = endpointOptions("sgd");
const EG_OPTIONS: readonly OptionSpec[] = [activation, teacherActivation, K, M, T, Q, R, v, vStar];

export const ENDPOINTS: readonly Endpoint[] = [
  { path: "/ode", description: "order-parameter ODE of online SGD (the JSON of `scm ode --format json`)", options: ODE_OPTIONS, example: "/ode?activation=erf&K=2&M=2&T=eye&Q0=0.2*eye&R0=zeros&eta=0.5&alphaMax=50&samples=11", answer: ode },
  { path: "/sgd", description: "finite-d online SGD runs in one thread (the JSON of `scm sgd --format json`)", options: SGD_OPTIONS, example: "/sgd?d=200&runs=4&alpha-max=5&samples=6&seed=1", answer: sgd },
  { path: "/eg", description: "generalization error eps_g for given overlaps", options: EG_OPTIONS, example: "/eg?activation=relu&Q=diag:1,1&R=0.5,0;0,0.5&T=eye", answer: (q) => eg(q) },
];

/** One parameter of the GET / listing, from its declaration. */
function describe(s: OptionSpec) {
  return {
    name: s.flag,
    also: queryNamesOf(s).filter((n) => n !== s.flag),
    value: placeholderOf(s) || "true|false",
    accepts: acceptedPhrase(s),
    default: defaultPhrase(s).replace(/^default:? /, "") || null,
    ...(s.unit ? { unit: s.unit } : {}),
    help: s.help,
  };
}

function index(url: URL, limits: EdgeLimits): Response {
  const base = `${url.protocol}//${url.host}`;
  return json(200, {
    name: "soft-committee",
    description: "Statistical physics of learning in soft committee machines: order-parameter ODEs and finite-d SGD, computed in WebAssembly",
    endpoints: ENDPOINTS.map((e) => ({ path: e.path, description: e.description, parameters: e.options.map(describe), example: base + e.example })),
    matrices: MATRIX_SYNTAX,
    errors: "400 {error, parameter}: the parameter as written and what it accepts",
    limits: {
      ...limits,
      note: `each request may compute about ${limits.maxWork} s (maxWork): a longer computation answers 200 with status "max-work" and the part computed, one that cannot start is refused with 400 at once; odeWork, sgdWork and the sample counts are coarse guards checked before anything runs`,
    },
  });
}

/** The parameter to blame, as written in the query (else its name on this endpoint). */
function parameterOf(option: string, q: ParsedQuery | undefined, endpoint: Endpoint | undefined): string {
  if (q?.typed[option]) return q.typed[option];
  const s = endpoint?.options.find((o) => o.name === option || o.aliases?.includes(option));
  return s ? s.flag : option;
}

/** A handler with its own work limits (defaults: DEFAULT_LIMITS); `endpoints` adds endpoints (tests, extensions). */
export function createHandler(options: { limits?: Partial<EdgeLimits>; endpoints?: readonly Endpoint[] } = {}): { fetch(request: Request): Promise<Response> } {
  const limits: EdgeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const all = [...ENDPOINTS, ...(options.endpoints ?? [])];
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const path = url.pathname.replace(/(.)\/$/, "$1");
      const endpoint = all.find((e) => e.path === path);
      if (!endpoint && path !== "/") return json(404, { error: `no endpoint ${url.pathname}; endpoints: /, ${all.map((e) => e.path).join(", ")}` });
      if (request.method !== "GET" && request.method !== "HEAD") return json(405, { error: `method ${request.method} not allowed; use GET` }, { allow: "GET, HEAD" });
      if (!endpoint) return index(url, limits);
      const q: ParsedQuery = { values: {}, typed: {} };
      const nameOf = (api: string) => parameterOf(api, q, endpoint);
      try {
        readQuery(url.searchParams, endpoint.options, endpoint.path, q);
        return await endpoint.answer(q, limits, controlOf(limits));
      } catch (err) {
        if (err instanceof QueryError) return json(400, { error: err.message, parameter: err.parameter });
        if (isOptionError(err)) return json(400, { error: problemText(err, nameOf), parameter: nameOf(err.option) });
        if (err instanceof LimitError) return json(400, { error: `${nameOf(err.option)} ${err.message}`, parameter: nameOf(err.option) });
        if (err instanceof WorkLimitError) {
          const first = err.estimate.drivers[0];
          const change = err.estimate.drivers.map(nameOf).join(", ");
          return json(400, { error: `refused: ${err.message} (${err.estimate.breakdown}); lower ${change || "the sizes"} or use the CLI or the Node API`, parameter: first === undefined ? null : nameOf(first), estimate: err.estimate });
        }
        if (err instanceof RangeError || err instanceof TypeError) return json(400, { error: (err as Error).message, parameter: null });
        return json(500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
      }
    },
  };
}


export default createHandler();
