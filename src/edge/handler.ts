// A fetch handler (Cloudflare Workers, workerd, Deno, Bun, any runtime with Request/Response)
// answering GET /ode, /sgd and /eg with the JSON of `scm ode --format json`, `scm sgd --format
// json` and a generalization error, and the large-network endpoints of src/edge/symmetric.ts. Query parameters are the options of the schema
// (src/options/), under their CLI names (alpha-max, with the CLI's matrix syntax) or their
// camelCase and API names (alphaMax, learningRate); errors answer 400 with the parameter as written.
// Runtime-neutral: the core comes from whichever entry registered it (src/edge/worker.ts imports
// the workerd entry, which hands the runtime's compiled WebAssembly.Module to the engine).
import { generalizationError, integrate, simulateSync } from "../api";
import { isOptionError, OptionError, WorkLimitError } from "../core/errors";
import type { RunControl } from "../core/control";
import { acceptedPhrase } from "../options/check";
import { defaultPhrase } from "../options/help";
import { placeholderOf, queryNamesOf, type OptionSpec } from "../options/option";
import { problemText } from "../options/problem";
import { QueryError, readQuery, type ParsedQuery } from "../options/query";
import { settingFromValues } from "../options/setting";
import { activation, K, M, Q, R, T, teacherActivation, v, vStar } from "../options/catalog/setting";
import { MATRIX_SYNTAX } from "../options/matrix";
import { resultJson, simulationJson } from "../text/json";
import { withControl } from "../text/progress";
import { endpointOptions } from "./endpointOptions";
import { symmetricEndpoints } from "./symmetric";
import { authorize, SECRET_BINDING } from "./auth";
import { point, POINT_PATH } from "./point";
import { MAX_BATCH_POINTS, points, POINTS_PATH } from "./points";
import { VERSION_STAMP } from "../sweep/version";

/** Work allowed per request. */
export interface EdgeLimits {
  /**
   * Seconds of computation per request (the kernels' work counted in the cost model's seconds),
   * passed to the API as maxWork with workLimitAction "truncate": a computation stops there and
   * answers its part with status "max-work"; one whose first part cannot fit is refused with 400.
   */
  maxWork: number;
  /** ODE: sample points per request (the largest samples, the longest alpha-points). */
  odeSamples: number;
  /** SGD: sample points per request. */
  sgdSamples: number;
}

export const DEFAULT_LIMITS: EdgeLimits = Object.freeze({ maxWork: 0.5, odeSamples: 10_001, sgdSamples: 1_001 });

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
const controlOf = (limits: EdgeLimits): RunControl => ({ maxWork: limits.maxWork, workLimitAction: "truncate" });

/** The API options of a query: the setting (matrices expanded) and every other option given. */
function apiOptions(q: ParsedQuery, endpoint: Endpoint): Record<string, unknown> {
  const o: Record<string, unknown> = { ...settingFromValues(q.values) };
  for (const s of endpoint.options) if (q.values[s.name] !== undefined && !(s.name in o)) o[s.name] = q.values[s.name];
  return o;
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
    ...(s.slope !== undefined ? { slope: s.slope } : {}),
    ...(s.hermiteCoefficients !== undefined ? { hermiteCoefficients: s.hermiteCoefficients } : {}),
    K: s.K!, M: s.M!,
    T: s.T ?? Array.from({ length: s.M! }, (_, i) => Array.from({ length: s.M! }, (_, j) => (i === j ? 1 : 0))),
    Q: s.Q0!, R: s.R0!,
    ...(s.v !== undefined ? { v: s.v } : {}),
    ...(s.vStar !== undefined ? { vStar: s.vStar } : {}),
  };
  return json(200, { eg: generalizationError(options as Parameters<typeof generalizationError>[0]), options });
}

const EG_OPTIONS: readonly OptionSpec[] = [activation, teacherActivation, K, M, T, Q, R, v, vStar];

/** The endpoints with the sample limits of `limits`. */
export function endpoints(limits: EdgeLimits = DEFAULT_LIMITS): Endpoint[] {
  const list: Endpoint[] = [
    {
      path: "/ode", description: "order-parameter ODE of online SGD (the JSON of `scm ode --format json`)", options: endpointOptions("ode", limits.odeSamples),
      example: "/ode?activation=erf&K=2&M=2&T=eye&Q0=0.2*eye&R0=zeros&eta=0.5&alphaMax=50&samples=11",
      answer: (q, _l, control) => jsonText(resultJson(integrate(withControl(apiOptions(q, list[0]), control)))),
    },
    {
      path: "/sgd", description: "finite-d online SGD runs in one thread (the JSON of `scm sgd --format json`)", options: endpointOptions("sgd", limits.sgdSamples),
      example: "/sgd?d=200&runs=4&alpha-max=5&samples=6&seed=1",
      answer: (q, _l, control) => jsonText(simulationJson(simulateSync(withControl(apiOptions(q, list[1]), control)))),
    },
    { path: "/eg", description: "generalization error eps_g for given overlaps", options: EG_OPTIONS, example: "/eg?activation=relu&Q=diag:1,1&R=0.5,0;0,0.5&T=eye", answer: (q) => eg(q) },
    ...symmetricEndpoints(limits),
  ];
  return list;
}

/** The endpoints with the default limits. */
export const ENDPOINTS: readonly Endpoint[] = endpoints();

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

/** The text of GET / (the listing of every endpoint and parameter, some 30 kB) for this base URL. */
function index(base: string, limits: EdgeLimits, all: readonly Endpoint[]): string {
  return JSON.stringify({
    name: "soft-committee",
    description: "Statistical physics of learning in soft committee machines: order-parameter ODEs and finite-d SGD, computed in WebAssembly",
    version: VERSION_STAMP,
    sweeps: `POST ${POINT_PATH} {command, options}: one point of scm sweep --remote (the line's result, never truncated: refused with 400 and the estimate above maxWork); POST ${POINTS_PATH} {points: [{command, options}, ...]}: up to ${MAX_BATCH_POINTS} points whose estimates add up to at most maxWork, answered as JSON lines {index, status, result | error} as each point is computed`,
    endpoints: all.map((e) => ({ path: e.path, description: e.description, parameters: e.options.map(describe), example: base + e.example })),
    matrices: MATRIX_SYNTAX,
    errors: "400 {error, parameter}: the parameter as written and what it accepts",
    limits: {
      ...limits,
      note: `each request may compute about ${limits.maxWork} s (maxWork, counted from the kernels' own work, so the same in every runtime): a longer computation answers 200 with status "max-work" and the part computed, one whose first part cannot fit is refused with 400 at once, naming the parameter to change; at most ${limits.odeSamples} sample points on /ode and /ode-symmetric, ${limits.sgdSamples} on /sgd`,
    },
  });
}

/** The parameter to blame, as written in the query (else its name on this endpoint). */
function parameterOf(option: string, q: ParsedQuery | undefined, endpoint: Endpoint | undefined): string {
  if (q?.typed[option]) return q.typed[option];
  const s = endpoint?.options.find((o) => o.name === option || o.aliases?.includes(option));
  return s ? s.flag : option;
}

/** Bindings of the deployment (workerd config, Cloudflare secrets) the handler reads. */
export interface EdgeEnv {
  /** The shared secret of the authenticated mode (src/edge/auth.ts); unset or null: open. */
  SCM_EDGE_SECRET?: string | null;
}

/**
 * A handler with its own work limits (defaults: DEFAULT_LIMITS); `endpoints` adds endpoints (tests,
 * extensions); `secret` requires `authorization: Bearer <secret>` (else the SCM_EDGE_SECRET binding does).
 */
export function createHandler(options: { limits?: Partial<EdgeLimits>; endpoints?: readonly Endpoint[]; secret?: string } = {}): { fetch(request: Request, env?: EdgeEnv): Promise<Response> } {
  const limits: EdgeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const all = [...endpoints(limits), ...(options.endpoints ?? [])];
  let listing: { base: string; text: string } | undefined;
  return {
    async fetch(request: Request, env?: EdgeEnv): Promise<Response> {
      const refused = await authorize(request, options.secret ?? env?.[SECRET_BINDING]);
      if (refused) return refused;
      const url = new URL(request.url);
      const path = url.pathname.replace(/(.)\/$/, "$1");
      if (path === POINT_PATH) return point(request, limits.maxWork);
      if (path === POINTS_PATH) return points(request, limits.maxWork);
      const endpoint = all.find((e) => e.path === path);
      if (!endpoint && path !== "/") return json(404, { error: `no endpoint ${url.pathname}; endpoints: /, ${all.map((e) => e.path).join(", ")}` });
      if (request.method !== "GET" && request.method !== "HEAD") return json(405, { error: `method ${request.method} not allowed; use GET` }, { allow: "GET, HEAD" });
      if (!endpoint) {
        // built once per base URL (the last one only: a Host header cannot grow a cache), as every sweep starts with GET / of each endpoint
        const base = `${url.protocol}//${url.host}`;
        if (listing?.base !== base) listing = { base, text: index(base, limits, all) };
        return jsonText(listing.text);
      }
      const q: ParsedQuery = { values: {}, typed: {} };
      const nameOf = (api: string) => parameterOf(api, q, endpoint);
      try {
        readQuery(url.searchParams, endpoint.options, endpoint.path, q);
        return await endpoint.answer(q, limits, controlOf(limits));
      } catch (err) {
        if (err instanceof QueryError) return json(400, { error: err.message, parameter: err.parameter });
        if (isOptionError(err)) return json(400, { error: problemText(err, nameOf, (api) => endpoint.options.find((o) => o.name === api || o.aliases?.includes(api))), parameter: nameOf(err.option) });
        if (err instanceof LimitError) return json(400, { error: `${nameOf(err.option)} ${err.message}`, parameter: nameOf(err.option) });
        if (err instanceof WorkLimitError) {
          // the drivers: of the memory, of the first part that did not fit, or of the whole
          const first = err.estimate.drivers[0];
          const change = err.estimate.drivers.map(nameOf).join(", ");
          const msg = err.message.replace(/; reduce [^;]*$/, "");
          const limit = err.kind === "time" ? ` (this endpoint's work limit: ${limits.maxWork} s of computation per request)` : "";
          return json(400, { error: `refused: ${msg}${msg.includes(err.estimate.breakdown) ? "" : ` (${err.estimate.breakdown})`}${limit}; lower ${change || "the sizes"} or use the CLI or the Node API`, parameter: first === undefined ? null : nameOf(first), estimate: err.estimate });
        }
        if (err instanceof RangeError || err instanceof TypeError) return json(400, { error: (err as Error).message, parameter: null });
        return json(500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
      }
    },
  };
}


export default createHandler();
