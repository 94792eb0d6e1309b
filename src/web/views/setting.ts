// Form pieces shared by the views of the order-parameter ODE: the teacher-student setting
// (activation, teacher activation, K, M, T, Q0, R0) and the CLI's number/matrix parsers re-addressed to fields.
import { CliError, expandMatrix, parseList, parseMatrix, parseNumber, specShape } from "../../cli/args";
import type { IntegrateOptions } from "../../index";
import { ACTIVATIONS } from "../../core/exports";
import { FieldError, type Field, type Values } from "../view";

export const settingFields: Field[] = [
  { id: "activation", label: "activation", kind: "select", value: "relu", choices: [...ACTIVATIONS], group: "Setting" },
  { id: "teacherActivation", label: "teacher activation", kind: "select", value: "same", choices: ["same", ...ACTIVATIONS], group: "Setting", hint: "same: the student's (THEORY 1); a mismatch needs the exact averages" },
  { id: "K", label: "K (student units)", kind: "number", value: "2", group: "Setting" },
  { id: "M", label: "M (teacher units)", kind: "number", value: "2", group: "Setting" },
  { id: "T", label: "T (teacher overlaps, M × M)", kind: "text", value: "diag:1,2", group: "Setting", hint: `rows separated by ";" ("1,0;0,2"), "diag:1,2", "eye", "0.5*eye" or "zeros"` },
  { id: "Q0", label: "Q0 (initial student overlaps, K × K)", kind: "text", value: "diag:0.1,0.2", group: "Setting", options: ["divergenceBound"] },
  { id: "R0", label: "R0 (initial student-teacher overlaps, K × M)", kind: "text", value: "0.001*eye", group: "Setting", hint: "[[Q0, R0], [R0ᵀ, T]] must be positive definite" },
];

/** The field of the Gaussian averages (exact or Hermite series) and its order. */
export const averagesFields = (group: string): Field[] => [
  { id: "method", label: "Gaussian averages", kind: "select", value: "exact", choices: ["exact", "hermite"], group, hint: "hermite: truncated Hermite series (relu only)" },
  { id: "hermiteOrder", label: "Hermite order", kind: "number", value: "10", group, enabled: (v) => v.method === "hermite" },
];

/** CLI parsers, their errors re-addressed to the field ("--K must be ..." -> "K must be ..."). */
export function field<T>(id: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CliError) throw new FieldError(id, e.message.replace(/^--/, ""));
    throw e;
  }
}

export const num = (v: Values, id: string, integer = false) => field(id, () => parseNumber(id, v[id], { integer })!);

export const list = (v: Values, id: string) => field(id, () => {
  const x = parseList(id, v[id]);
  if (!x || x.length === 0) throw new CliError(`${id} must be a comma-separated list of numbers; got ${JSON.stringify(v[id])}`);
  return x;
});

/** The setting as API options (activation, K, M, T, Q0, R0), shapes checked against K and M. */
export function parseSetting(v: Values): Pick<IntegrateOptions, "activation" | "teacherActivation" | "K" | "M" | "T" | "Q0" | "R0"> & { K: number; M: number } {
  const K = num(v, "K", true), M = num(v, "M", true);
  for (const [id, n] of [["K", K], ["M", M]] as const) if (!(n >= 1 && n <= 100)) throw new FieldError(id, `${id} must be an integer in [1, 100]; got ${n}`);
  const matrix = (id: string, rows: number, cols: number) =>
    field(id, () => {
      const spec = parseMatrix(id, v[id])!;
      const shape = specShape(spec);
      if (shape && (shape[0] !== rows || shape[1] !== cols)) throw new CliError(`${id} must be ${rows} x ${cols}; got ${shape[0]} x ${shape[1]}`);
      return expandMatrix(id, spec, rows, cols);
    });
  const teacher = v.teacherActivation === undefined || v.teacherActivation === "same" ? {} : { teacherActivation: v.teacherActivation as IntegrateOptions["teacherActivation"] };
  return { activation: v.activation as IntegrateOptions["activation"], ...teacher, K, M, T: matrix("T", M, M), Q0: matrix("Q0", K, K), R0: matrix("R0", K, M) };
}

/** method / hermiteOrder as API options. */
export function parseAverages(v: Values): Pick<IntegrateOptions, "method" | "hermiteOrder"> {
  return { method: v.method as IntegrateOptions["method"], ...(v.method === "hermite" ? { hermiteOrder: num(v, "hermiteOrder", true) } : {}) };
}

/** Error message of the setting: C0 (or C, for the fixed-point searches) not positive (semi-)definite is blamed on R0. */
export const settingErrorField = (m: string) => (/^C0? = /.test(m) ? "R0" : undefined);
