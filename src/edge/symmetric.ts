// Edge endpoints of large networks (docs/theory.md section 11): /ode-symmetric, /plateau and
// /eta-limits answer the JSON of `scm ode-symmetric|plateau|eta-limits --format json`. Their
// parameters are the commands' options from the schema, the sample counts bounded by the
// endpoint's limit. The work of a request is bounded as on every endpoint, by maxWork handed to the
// API ("truncate", counted from the kernels' own counters): the trajectory and the list of K stop
// there with status "max-work" and the part computed; the plateau, which has no partial result,
// is refused with 400 when it does not fit (its escape constant once the escape rate fixes the
// integrations' length).
import { etaLimits, integrateSymmetric, plateau, type EtaLimitsOptions, type IntegrateSymmetricOptions, type PlateauOptions } from "../api";
import type { RunControl } from "../core/control";
import { variant } from "../options/option";
import type { ParsedQuery } from "../options/query";
import { pickValues } from "../options/setting";
import { symmetricResultToJSON } from "../symmetric/integrateSymmetric";
import { endpointOptions } from "./endpointOptions";
import type { EdgeLimits, Endpoint } from "./handler";

const jsonText = (text: string) => new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
const names = (e: Endpoint) => e.options.map((o) => o.name);

/** The escape constant integrates the whole escape (~ln(1/delta)/lambda): asked for, not implied by delta, on this endpoint. */
function plateauOptions(maxSamples: number) {
  return endpointOptions("plateau", maxSamples).map((o) =>
    o.name === "escapeConstant" ? variant(o, { default: false, defaultText: "false (even with delta) on this endpoint", help: `${o.help}; refused when its integrations do not fit the work limit` }) : o,
  );
}

/** The large-network endpoints with the sample limits of `limits`. */
export function symmetricEndpoints(limits: EdgeLimits): Endpoint[] {
  const ode: Endpoint = {
    path: "/ode-symmetric", description: "site-symmetric ODE for K = M up to 1e6, T = t I, equal output weights (the JSON of `scm ode-symmetric --format json`)",
    options: endpointOptions("ode-symmetric", limits.odeSamples), example: "/ode-symmetric?activation=erf&K=1000&eta=5e-4&alpha-max=100&samples=11",
    answer: (q, _l, control) => jsonText(JSON.stringify(symmetricResultToJSON(integrateSymmetric({ ...(pickValues(q.values, names(ode)) as IntegrateSymmetricOptions), ...control })))),
  };
  const fixed: Endpoint = {
    path: "/plateau", description: "the unspecialised plateau R = S, its eigenvalues block by block, the escape rate and ln(1/delta)/lambda (the JSON of `scm plateau --format json`; the escape constant only with escape-constant=true)",
    options: plateauOptions(limits.odeSamples), example: "/plateau?activation=erf&K=10&eta=0.2&delta=1e-6",
    answer: (q, _l, control) => {
      const o = pickValues(q.values, names(fixed)) as PlateauOptions;
      return jsonText(JSON.stringify(plateau({ ...o, escapeConstant: o.escapeConstant ?? false, ...control })));
    },
  };
  const limitsEndpoint: Endpoint = {
    path: "/eta-limits", description: "learning-rate limits against K (the JSON of `scm eta-limits --format json`; several activations: an array, the work limit shared equally between them)",
    options: endpointOptions("eta-limits", limits.odeSamples), example: "/eta-limits?activation=erf&K=10,100", answer: (q, _l, control) => etaLimitsAnswer(q, limitsEndpoint, control),
  };
  return [ode, fixed, limitsEndpoint];
}

function etaLimitsAnswer(q: ParsedQuery, endpoint: Endpoint, control: RunControl): Response {
  const { activation, ...rest } = pickValues(q.values, names(endpoint));
  const activations = (activation as EtaLimitsOptions["activation"][] | undefined) ?? [undefined];
  // one request's work, whatever the number of activations
  const share: RunControl = { ...control, maxWork: +((control.maxWork ?? Infinity) / activations.length).toPrecision(3) };
  const results = activations.map((a) => etaLimits({ ...rest, ...(a === undefined ? {} : { activation: a }), ...share } as EtaLimitsOptions));
  return jsonText(JSON.stringify(results.length === 1 ? results[0] : results));
}
