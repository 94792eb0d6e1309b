// Edge endpoints of large networks (docs/theory.md section 11): /ode-symmetric, /plateau and
// /eta-limits answer the JSON of `scm ode-symmetric|plateau|eta-limits --format json`. Their
// parameters are the commands' options from the schema. Besides maxWork (handed to the API),
// coarse guards checked before anything runs keep a request near the endpoint's work limit:
// the site-symmetric ODE's steps are capped from the calibrated cost of its averages, the escape
// constant D of the plateau (an integration over ~ln(1/delta)/lambda, minutes at large K) is left
// to the CLI and the Node API, and /eta-limits takes a few values of K.
import { etaLimits, integrateSymmetric, plateau, type EtaLimitsOptions, type IntegrateSymmetricOptions, type PlateauOptions } from "../api";
import type { RunControl } from "../core/control";
import { OptionError } from "../core/errors";
import { apiOptionsOf } from "../options/commands";
import type { ParsedQuery } from "../options/query";
import { pickValues } from "../options/setting";
import { symmetricResultToJSON } from "../symmetric/integrateSymmetric";
import { COST_MODEL } from "../work/costModel";
import type { EdgeLimits, Endpoint } from "./handler";

const jsonText = (text: string) => new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });

const STAGES = { euler: 1, rk4: 4, adaptive: 7 } as const;

/**
 * Estimated seconds of one site-symmetric right-hand side: 20 I3 and 29 I4 whatever K is, 7 of
 * those with four distinct variables (assembly/ode/symmetric.ts), at the calibrated cost of each
 * kind of average (src/work/costModel.ts; fallback: the costliest calibrated pair).
 */
export function symmetricRhsSeconds(activation: string, teacherActivation: string): number {
  const c = COST_MODEL.rhs[`${activation}/${teacherActivation}`] ?? COST_MODEL.rhs["relu/erf"] ?? [1e-6, 1e-7, 1e-6, 1e-6];
  return c[0] + 20 * c[1] + 22 * c[2] + 7 * c[3];
}

/** Values of K (times activations) per /eta-limits request: each takes ~0.1-1 s (the escape maximum), ~0.02-0.3 s without it. */
export const ETA_LIMITS_VALUES = { escape: 2, perfectOnly: 8 } as const;

const option = (name: string) => apiOptionsOf(name).map((o) => o.name);

function odeSymmetric(q: ParsedQuery, limits: EdgeLimits, control: RunControl): Response {
  const o = pickValues(q.values, option("ode-symmetric")) as IntegrateSymmetricOptions & Record<string, unknown>;
  const n = o.alphas ? o.alphas.length : (o.samples ?? 301);
  if (n > limits.odeSamples) throw new OptionError({ option: o.alphas ? "alphas" : "samples", value: n, accepted: `at most ${limits.odeSamples} sample points on this endpoint`, reason: `must be at most ${limits.odeSamples} sample points on this endpoint; got ${n}` });
  // steps are capped through maxSteps, which the core enforces (status "max-steps" when reached)
  const activation = o.activation ?? "erf";
  const perStep = STAGES[o.integrator ?? "rk4"] * symmetricRhsSeconds(activation, o.teacherActivation ?? activation);
  const allowed = Math.max(1, Math.floor(limits.maxWork / perStep));
  if (o.maxSteps !== undefined && o.maxSteps > allowed) throw new OptionError({ option: "maxSteps", value: o.maxSteps, accepted: `at most ${allowed} on this endpoint`, reason: `must be <= ${allowed} on this endpoint (about ${limits.maxWork} s of estimated work, ${(perStep * 1e6).toPrecision(2)} us per ${o.integrator ?? "rk4"} step for ${activation}); got ${o.maxSteps}` });
  const capped = o.maxSteps === undefined;
  const r = integrateSymmetric({ ...o, maxSteps: o.maxSteps ?? allowed, ...control } as IntegrateSymmetricOptions);
  const warnings = capped && r.status === "max-steps" ? [`stopped by this endpoint's work limit (maxSteps ${allowed}: about ${limits.maxWork} s of estimated work); run it with the Node API or the CLI for longer integrations`] : [];
  return jsonText(JSON.stringify({ ...symmetricResultToJSON(r), ...(warnings.length ? { warnings } : {}) }));
}

function plateauAnswer(q: ParsedQuery, _limits: EdgeLimits, control: RunControl): Response {
  const o = pickValues(q.values, option("plateau").filter((n) => n !== "escapeConstant")) as PlateauOptions;
  return jsonText(JSON.stringify(plateau({ ...o, escapeConstant: false, ...control } as PlateauOptions)));
}

function etaLimitsAnswer(q: ParsedQuery, limits: EdgeLimits, control: RunControl): Response {
  const { activation, ...rest } = pickValues(q.values, option("eta-limits"));
  const activations = (activation as EtaLimitsOptions["activation"][] | undefined) ?? [undefined];
  const Ks = (rest.K as number[] | undefined)?.length ?? 20;
  const escape = rest.escape !== false;
  const most = escape ? ETA_LIMITS_VALUES.escape : ETA_LIMITS_VALUES.perfectOnly;
  if (Ks * activations.length > most) {
    // the activations when K alone would fit, else K
    const blamed = activations.length > 1 && Ks <= most ? "activation" : "K";
    throw new OptionError({
      option: blamed, value: blamed === "K" ? rest.K : activation, accepted: `at most ${most} values of K (times activations) on this endpoint`,
      reason: `must give at most ${most} values of K (times activations) on this endpoint${escape ? ` (${ETA_LIMITS_VALUES.perfectOnly} with escape=false)` : ""}: each takes about ${escape ? "0.1-1 s (the perfect-learning limit and the fastest escape)" : "0.02-0.3 s"}, a request about ${limits.maxWork} s; got ${Ks * activations.length}${rest.K === undefined ? " (the default K list)" : ""}; use scm eta-limits or the Node API for longer lists`,
    });
  }
  const results = activations.map((a) => etaLimits({ ...rest, ...(a === undefined ? {} : { activation: a }), ...control } as EtaLimitsOptions));
  return jsonText(JSON.stringify(results.length === 1 ? results[0] : results));
}

export const SYMMETRIC_ENDPOINTS: readonly Endpoint[] = [
  {
    path: "/ode-symmetric", description: "site-symmetric ODE for K = M up to 1e6, T = t I, equal output weights (the JSON of `scm ode-symmetric --format json`)",
    options: apiOptionsOf("ode-symmetric"), example: "/ode-symmetric?activation=erf&K=1000&eta=5e-4&alpha-max=100&samples=11", answer: odeSymmetric,
  },
  {
    path: "/plateau", description: "the unspecialised plateau R = S, its eigenvalues block by block, the escape rate and ln(1/delta)/lambda (the JSON of `scm plateau --format json --no-escape-constant`)",
    options: apiOptionsOf("plateau").filter((o) => o.name !== "escapeConstant"), example: "/plateau?activation=erf&K=10&eta=0.2&delta=1e-6", answer: plateauAnswer,
  },
  {
    path: "/eta-limits", description: `learning-rate limits at ${ETA_LIMITS_VALUES.escape} values of K (${ETA_LIMITS_VALUES.perfectOnly} with escape=false) per request (the JSON of \`scm eta-limits --format json\`)`,
    options: apiOptionsOf("eta-limits"), example: "/eta-limits?activation=erf&K=10,100", answer: etaLimitsAnswer,
  },
];
