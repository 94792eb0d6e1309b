// What a view of the page is: its form fields, how their text becomes API options, the
// computation (run inside the page's Web Worker), its figure, its table of numbers and its
// data exports. The page (main.ts) and the worker (worker.ts) know views only through this.

import type { Progress as ApiProgress } from "../core/control";
import type { FormField } from "../options/form";

/** One input of a view's form, derived from the option schema (src/options/form.ts) or declared by the view. */
export type Field = FormField;

export type Values = Record<string, string>;

export { FieldError } from "../options/form";

/** Progress of the computation: the API's reports (fraction, unit, time left), or a label alone (indeterminate). */
export type Progress = { label: string } & Partial<Omit<ApiProgress, "label">>;

export interface ComputeContext {
  progress(p: Progress): void;
  /** An onProgress callback for an API call (its reports, shown with `label`). */
  listener(label: string, unit?: string): (p: ApiProgress | number, total?: number) => void;
  /** Hands a first, incomplete result to the page (drawn at once, replaced by the final one). */
  partial(result: unknown): void;
}

/** A rendered table: header and rows of printed cells. */
export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
}

/**
 * The view's "Explain" panel: what it computes and what to look at, for a first-time reader or a
 * lecture, with links to the sections of docs/theory.md (shipped with the page as theory.html).
 */
export interface Explain {
  /** Paragraphs of plain text. */
  text: string[];
  /** Sections of docs/theory.md: the link text and the heading's anchor (GitHub's slug, as in the file's contents list). */
  theory: { title: string; anchor: string }[];
}

export interface ViewDefinition<P = unknown, R = unknown> {
  /** Name in the URL (?view=...). */
  id: string;
  title: string;
  /** One sentence under the title. */
  description: string;
  /** The "Explain" panel (a view without one links to the theory's contents). */
  explain?: Explain;
  fields: readonly Field[];
  /**
   * Form text -> the parameters sent to the worker (plain, structured-cloneable data). Reads each
   * field with its declaration (readField): text that the schema refuses is a FieldError at once.
   */
  parse(values: Values): P;
  /** Runs in the Web Worker. The API's option errors are shown at the field of their option (atFields for a stage's own fields). */
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
}

/** Messages between the page and its worker. */
export type WorkerRequest = { id: number; view: string; params: unknown };
export type WorkerReply =
  | { id: number; type: "progress"; progress: Progress }
  | { id: number; type: "partial" | "result"; result: unknown }
  | { id: number; type: "error"; name: string; message: string; field?: string };
