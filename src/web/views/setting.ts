// Form pieces shared by the views of the order-parameter ODE: the teacher-student setting
// (activation, teacher activation, K, M, T, Q0, R0) and the averages, as fields of the option schema.
import type { IntegrateOptions } from "../../index";
import * as S from "../../options/catalog/setting";
import { averageTolerance, hermiteOrder, method } from "../../options/catalog/numerics";
import { atFields, formField, readField } from "../../options/form";
import { settingFromValues } from "../../options/setting";
import { ACTIVATIONS } from "../../options/values";
import type { Field, Values } from "../view";

const uses = (v: Values, a: string) => v.activation === a || v.teacherActivation === a;

export const settingFields: Field[] = [
  formField(S.activation, { group: "Setting" }),
  formField(S.teacherActivation, { value: "same", choices: ["same", ...ACTIVATIONS], group: "Setting" }),
  formField(S.K, { group: "Setting" }),
  formField(S.M, { group: "Setting" }),
  formField(S.T, { group: "Setting" }),
  formField(S.Q0, { group: "Setting" }),
  formField(S.R0, { group: "Setting" }),
  // last: the activations' parameters, disabled unless an activation uses them (a disabled field first would take no focus)
  formField(S.leakyReluSlope, { group: "Setting", enabled: (v) => v.activation === "leakyRelu" || v.teacherActivation === "leakyRelu" }),
  formField(S.hermiteCoefficients, { group: "Setting", value: "", enabled: (v) => v.activation === "hermiteCoefficients" || v.teacherActivation === "hermiteCoefficients" }),
];

/** The field of the Gaussian averages (exact or Hermite series) and its order. */
export const averagesFields = (group: string): Field[] => [
  formField(method, { group }),
  formField(hermiteOrder, { group, enabled: (v) => v.method === "hermite" }),
  formField(averageTolerance, { group, enabled: (v) => NUMERICAL.some((a) => uses(v, a)) }),
];

/** Activations whose averages are computed by quadrature (the tolerance applies to them only). */
const NUMERICAL = ["tanh", "sigmoid", "silu", "softplus"];

/** A field of `fields` by id. */
export const fieldOf = (fields: readonly Field[], id: string): Field => {
  const f = fields.find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};

/** The text of field `id` read with its declaration (FieldError at the field when refused). */
export const read = <T>(fields: readonly Field[], v: Values, id: string): T => readField<T>(fieldOf(fields, id), v[id]);

/** The setting as API options (activations and their parameters, K, M, T, Q0, R0), shapes checked against K and M. */
export function parseSetting(v: Values, fields: readonly Field[] = settingFields): Pick<IntegrateOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0"> & { K: number; M: number } {
  const r = <T>(id: string) => read<T>(fields, v, id);
  const values: Record<string, unknown> = {
    activation: r("activation"),
    ...(v.teacherActivation === undefined || v.teacherActivation === "same" ? {} : { teacherActivation: r("teacherActivation") }),
    ...(uses(v, "leakyRelu") && v.slope !== undefined && v.slope.trim() !== "" ? { slope: r("slope") } : {}),
    ...(uses(v, "hermiteCoefficients") && v.hermiteCoefficients !== undefined && v.hermiteCoefficients.trim() !== "" ? { hermiteCoefficients: r("hermiteCoefficients") } : {}),
    K: r("K"), M: r("M"), T: r("T"), Q0: r("Q0"), R0: r("R0"),
  };
  const s = atFields(fields, () => settingFromValues(values));
  return s as ReturnType<typeof parseSetting>;
}

/** method / hermiteOrder as API options. */
export function parseAverages(v: Values, fields: readonly Field[]): Pick<IntegrateOptions, "method" | "hermiteOrder" | "averageTolerance"> {
  const m = read<IntegrateOptions["method"]>(fields, v, "method");
  const numerical = NUMERICAL.some((a) => uses(v, a)) && v.averageTolerance !== undefined && v.averageTolerance.trim() !== "";
  return { method: m, ...(m === "hermite" ? { hermiteOrder: read<number>(fields, v, "hermiteOrder") } : {}), ...(numerical ? { averageTolerance: read<number>(fields, v, "averageTolerance") } : {}) };
}
