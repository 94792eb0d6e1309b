// The teacher-student setting from option values (CLI flags, query parameters, form fields): K and
// M from the matrices when not given, matrices expanded to their shapes. Outside the reference
// setting Q0 and R0 are required. Errors are OptionErrors naming the option.
import { OptionError } from "../core/errors";
import { expandMatrix, specShape, type MatrixSpec } from "./matrix";
import { K as Kspec, M as Mspec } from "./catalog/setting";
import { checkOption } from "./check";

export interface SettingValues {
  activation?: string;
  teacherActivation?: string;
  slope?: number;
  hermiteCoefficients?: number[];
  K?: number;
  M?: number;
  T?: number[][];
  Q0?: number[][];
  R0?: number[][];
  v?: number[];
  vStar?: number[];
  outputScaling?: string;
  noise?: number;
  weightDecay?: number;
  trainSecondLayer?: boolean;
  learningRate2?: number;
}

/** Options that go with the setting wherever it goes (docs/theory.md section 9), copied as given. */
const WITH_SETTING = ["outputScaling", "noise", "weightDecay", "trainSecondLayer", "learningRate2"] as const;

const SHAPE_OPTIONS = ["K", "M", "T", "Q0", "R0"] as const;

/**
 * The setting's API options from parsed values (matrices as MatrixSpecs). `names` renames the
 * initial overlaps (Q and R for the generalization error of a given state). Options not given stay
 * undefined, so the API's defaults apply (the reference setting when none of K, M, T, Q0, R0 is given).
 */
export function settingFromValues(values: Record<string, unknown>, names: { Q0: string; R0: string } = { Q0: "Q0", R0: "R0" }): SettingValues {
  const spec = (k: string) => values[k] as MatrixSpec | undefined;
  const T = spec("T"), Q0 = spec(names.Q0), R0 = spec(names.R0);
  const o: SettingValues = {};
  if (values.activation !== undefined) o.activation = values.activation as string;
  if (values.teacherActivation !== undefined) o.teacherActivation = values.teacherActivation as string;
  if (values.slope !== undefined) o.slope = values.slope as number;
  if (values.hermiteCoefficients !== undefined) o.hermiteCoefficients = values.hermiteCoefficients as number[];
  if (values.v !== undefined) o.v = values.v as number[];
  if (values.vStar !== undefined) o.vStar = values.vStar as number[];
  for (const n of WITH_SETTING) if (values[n] !== undefined) (o as Record<string, unknown>)[n] = values[n];
  const given = SHAPE_OPTIONS.filter((k) => values[k === "Q0" ? names.Q0 : k === "R0" ? names.R0 : k] !== undefined);
  if (given.length === 0) return o;
  const K = (values.K as number | undefined) ?? specShape(Q0)?.[0] ?? specShape(R0)?.[0] ?? 2;
  const M = (values.M as number | undefined) ?? specShape(T)?.[0] ?? specShape(R0)?.[1] ?? 2;
  checkOption(Kspec, K);
  checkOption(Mspec, M);
  const required = (name: string, rows: number, cols: number) =>
    new OptionError({ option: name, value: undefined, accepted: `a ${rows} x ${cols} matrix`, reason: `is required (a ${rows} x ${cols} matrix) outside the reference setting (here ${given.map((g) => (g === "Q0" ? names.Q0 : g === "R0" ? names.R0 : g)).join(", ")} ${given.length === 1 ? "is" : "are"} given)`, related: given.filter((g) => g !== "Q0" && g !== "R0") });
  if (!Q0) throw required(names.Q0, K, K);
  if (!R0) throw required(names.R0, K, M);
  o.K = K;
  o.M = M;
  if (T) o.T = expandMatrix("T", T, M, M);
  o.Q0 = expandMatrix(names.Q0, Q0, K, K);
  o.R0 = expandMatrix(names.R0, R0, K, M);
  return o;
}

/** The values of the given options that are not part of the setting (copied as they are). */
export function pickValues(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const n of names) if (values[n] !== undefined) o[n] = values[n];
  return o;
}
