// What an option is: declared once (API name, CLI flag, query name, web field, type, range,
// default, unit, help), and read by every layer: the API's validation (check.ts), the CLI's parser
// and help (tokenize.ts, help.ts), the edge's query parsing and listing (query.ts), the web page's
// fields (form.ts) and the sweep axes (sweep.ts). Runtime-neutral, plain data.
import type { NumberRange } from "../core/validate";

/** How an option's value is written and what the API receives. */
export type OptionType =
  | "number" // a finite number
  | "integer" // an integer (written 1000 or 1e3)
  | "enum" // one of `values`
  | "boolean" // a flag: --x / --no-x, x=true|false in a query
  | "matrix" // "1,0;0,2", "diag:1,2", "eye", "0.5*eye", "zeros" (expanded once its shape is known)
  | "vector" // "a,b,c": one number per unit (length fixed by the setting)
  | "list" // "a,b,c": any number of numbers (each checked against `element`)
  | "pairs" // "x,y;x,y": points of the plane
  | "interval" // "min,max" with max > min
  | "schedule" // a learning-rate schedule: "inverse:1,10", "piecewise:0:1,50:0.5", "greedy" (options/schedule.ts)
  | "text" // free text (JSON)
  | "path"; // a file or folder

/** Fieldsets and help sections, in the order they are shown. */
export const GROUPS = {
  setting: "Setting",
  learning: "Learning and sampling",
  training: "Noise, weight decay, second layer",
  numerics: "Numerics",
  simulation: "Simulation",
  comparison: "Comparison",
  fixedPoints: "Fixed points",
  continuation: "Continuation",
  thresholds: "Thresholds",
  plateau: "Plateau and escape",
  equilibrium: "Equilibrium",
  populationGradient: "Population gradient",
  optimalLr: "Optimal learning rate",
  schedules: "Optimal schedule",
  sweep: "Sweep",
  output: "Output",
  control: "Control",
} as const;

export type GroupId = keyof typeof GROUPS;

/** A form field of the web page (the view may override any part). */
export interface WebField {
  /** Name in the URL and the form (default: the API name). */
  id?: string;
  label: string;
  widget?: "number" | "text" | "select" | "checkbox";
  /** Default text of the field when it differs from the API default (e.g. the reference setting's T). */
  value?: string;
  hint?: string;
}

export interface OptionSpec<T = unknown> {
  /** The API's name (options object key), e.g. "learningRate". */
  name: string;
  /** Other API names of the same option, e.g. ["eta"]. */
  aliases?: readonly string[];
  /** The CLI flag without "--" and the edge's query name, e.g. "eta", "alpha-max". */
  flag: string;
  type: OptionType;
  group: GroupId;
  /** One line of help (no trailing period). */
  help: string;
  /** Placeholder after the flag in help texts (default from the type: X, N, MATRIX, ...). */
  placeholder?: string;
  /** Accepted values of an enum (one exported list, so new values flow to every front-end). */
  values?: readonly string[];
  /** Enums: one or more values, comma-separated ("erf,relu"); the API gets an array. */
  multiple?: boolean;
  /** Range of a number or integer, or of each entry of a list or vector. */
  range?: NumberRange;
  /** Entries of a list: at least this many. */
  minLength?: number;
  /** Entries of a list: at most this many. */
  maxLength?: number;
  /** Default in the API's form; undefined when there is none or it depends on other options. */
  default?: T;
  /** How the default reads in help texts when it is not a plain value ("from Q0, else 2"). */
  defaultText?: string;
  unit?: string;
  /** Whether `scm sweep` may span it (default: every non-boolean option of a sweepable command). */
  sweep?: boolean;
  /** The CLI flag may be given several times (each value kept, e.g. --out a.json --out a.csv). */
  repeatable?: boolean;
  /** Booleans: the CLI also accepts --no-<flag> (always true for booleans with default true). */
  negatable?: boolean;
  /** Not settable from the edge (files, threads, plots). */
  cliOnly?: boolean;
  web?: WebField;
}

/** Declares an option (identity function with checks that keep the schema consistent). */
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  if (spec.type === "enum" && !spec.values?.length) throw new Error(`option ${spec.name}: an enum needs values`);
  if (/^-/.test(spec.flag) || /\s/.test(spec.flag)) throw new Error(`option ${spec.name}: flag ${spec.flag} must be written without dashes`);
  return Object.freeze(spec);
}

/** The same option with some parts changed for one command (default, range, accepted values, help). */
export function variant<T>(base: OptionSpec<T>, changes: Partial<OptionSpec<T>>): OptionSpec<T> {
  return option({ ...base, ...changes, web: changes.web === undefined ? base.web : { ...base.web, ...changes.web } as WebField });
}

/** camelCase -> kebab-case: alphaMax -> alpha-max, vStar -> v-star, guessQ -> guess-q. */
export const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a}-${b.toLowerCase()}`);

/** kebab-case -> camelCase: alpha-max -> alphaMax. */
export const camel = (s: string) => s.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every spelling a CLI user may type for the option (without "--"), the flag first. */
export function flagsOf(spec: OptionSpec): string[] {
  return [...new Set([spec.flag, kebab(spec.name), ...(spec.aliases ?? []).map(kebab)])];
}

/** Every spelling a query may use: the flag, its camelCase, the API name and its aliases. */
export function queryNamesOf(spec: OptionSpec): string[] {
  return [...new Set([spec.flag, camel(spec.flag), spec.name, ...(spec.aliases ?? []), ...flagsOf(spec)])];
}

export function placeholderOf(spec: OptionSpec): string {
  if (spec.placeholder) return spec.placeholder;
  switch (spec.type) {
    case "number": return "X";
    case "integer": return "N";
    case "enum": return spec.multiple ? `${spec.values!.join("|")}[,...]` : spec.values!.join("|");
    case "boolean": return "";
    case "matrix": return "MATRIX";
    case "vector": return "a,b,...";
    case "list": return spec.range?.integer ? "N,N,..." : "a,b,c";
    case "pairs": return "x,y;x,y;...";
    case "interval": return "min,max";
    case "schedule": return "SCHEDULE";
    case "text": return "TEXT";
    case "path": return "FILE";
  }
}
