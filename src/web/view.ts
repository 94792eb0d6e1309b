// What a view of the page is: its form fields, how their text becomes API options, the
// computation (run inside the page's Web Worker), its figure, its table of numbers and its
// data exports. The page (main.ts) and the worker (worker.ts) know views only through this.

/** One input of a view's form. Values travel as text (form <-> URL). */
export interface Field {
  /** Name in the URL and the form (stable: shared links depend on it). */
  id: string;
  label: string;
  kind: "number" | "text" | "select" | "checkbox";
  /** Default text ("true"/"false" for checkboxes). */
  value: string;
  /** Choices of a select. */
  choices?: readonly string[];
  /** A short hint under the field (syntax, range). */
  hint?: string;
  /** Fieldset it belongs to. */
  group: string;
  /** API option names that, leading an API error message, mean this field caused it. */
  options?: readonly string[];
  /** Whether the field applies for the current values (else shown disabled). */
  enabled?: (values: Values) => boolean;
}

export type Values = Record<string, string>;

/** An invalid input, attached to the field that caused it. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export interface Progress {
  /** What is being computed (e.g. "ODE", "SGD runs"). */
  label: string;
  /** Work done and total (e.g. runs); absent: indeterminate. */
  done?: number;
  total?: number;
}

export interface ComputeContext {
  progress(p: Progress): void;
  /** Hands a first, incomplete result to the page (drawn at once, replaced by the final one). */
  partial(result: unknown): void;
}

/** A rendered table: header and rows of printed cells. */
export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
}

export interface ViewDefinition<P = unknown, R = unknown> {
  /** Name in the URL (?view=...). */
  id: string;
  title: string;
  /** One sentence under the title. */
  description: string;
  fields: readonly Field[];
  /**
   * Form text -> the parameters sent to the worker (plain, structured-cloneable data). Throws
   * FieldError for text that is not even a number or a matrix; ranges are left to the API.
   */
  parse(values: Values): P;
  /** Runs in the Web Worker. Throws the API's TypeError/RangeError on invalid options. */
  compute(params: P, ctx: ComputeContext): Promise<R>;
  /** A Vega-Lite specification of the figure. */
  figure(result: R): Record<string, unknown>;
  /** The numbers printed on the page (only verified digits): one table or several (shown in order). */
  table(result: R): Table | Table[];
  /** One-line summary (status, timings). */
  summary(result: R): string;
  /** Data exports: every sample at full precision. */
  csv(result: R): string;
  json(result: R): string;
  /** The field an API error message points to (default: its leading option name, see Field.options). */
  errorField?(message: string): string | undefined;
}

/** Messages between the page and its worker. */
export type WorkerRequest = { id: number; view: string; params: unknown };
export type WorkerReply =
  | { id: number; type: "progress"; progress: Progress }
  | { id: number; type: "partial" | "result"; result: unknown }
  | { id: number; type: "error"; name: string; message: string };

/** The field an API error message names: the option it starts with (e.g. "Q0[0][1] must be ..."). */
export function fieldOfMessage(view: ViewDefinition, message: string): string | undefined {
  const custom = view.errorField?.(message);
  if (custom) return custom;
  const lead = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(message)?.[1];
  if (!lead) return undefined;
  return view.fields.find((f) => f.id === lead || f.options?.includes(lead))?.id;
}
