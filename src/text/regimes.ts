// Option text of `scm eta-regimes` (CLI flags, sweep points) -> learningRateRegimes() options.
// Runtime-neutral: `scm sweep` workers import it too.
import type { IntegrateOptions } from "../online/options";
import type { RegimesOptions } from "../fixedpoints/regimes";
import { parseNumber } from "./args";
import { odeOptionArgs, odeOptionsFromArgs, type TextValues } from "./options";

export const etaRegimesOptionArgs = { ...odeOptionArgs, precision: { type: "string" } } as const;

/** The teacher-student setting and the ODE numerics of the options (undefined entries dropped). */
export function settingFromArgs(values: TextValues): { setting: IntegrateOptions; ode: IntegrateOptions } {
  const o = odeOptionsFromArgs(values);
  const { activation, teacherActivation, K, M, T, Q0, R0, v, vStar, method, hermiteOrder } = o;
  const s: IntegrateOptions = { activation, teacherActivation, K, M, T, Q0, R0, v, vStar, method, hermiteOrder };
  for (const k of Object.keys(s) as (keyof IntegrateOptions)[]) if (s[k] === undefined) delete s[k];
  return { setting: s, ode: o };
}

export function etaRegimesOptionsFromArgs(values: TextValues): RegimesOptions {
  const { setting, ode } = settingFromArgs(values);
  const o: RegimesOptions = {
    ...setting, precision: parseNumber("precision", values.precision as string | undefined), integrator: ode.integrator, step: ode.step, rtol: ode.rtol, atol: ode.atol,
    convergenceTolerance: ode.convergenceTolerance, divergenceBound: ode.divergenceBound,
  };
  for (const k of Object.keys(o) as (keyof RegimesOptions)[]) if (o[k] === undefined) delete o[k];
  return o;
}
