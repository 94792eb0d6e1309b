// Form fields of the web page from the option declarations: label, widget, default text, hint and
// the validation of the typed text are those of the schema, so the page accepts exactly what the
// CLI and the API accept. A view picks options and may override the field's id, label, group...
import { isOptionError } from "../core/errors";
import { acceptedPhrase } from "./check";
import { GROUPS, type OptionSpec } from "./option";
import { parseText, valueText } from "./text";
import { elementWords } from "./problem";

/** One input of a view's form. Values travel as text (form <-> URL). */
export interface FormField {
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
  /** The API option it sets (errors naming it are shown at this field). */
  option?: string;
  /** Its declaration: the page checks the text with it as it is typed. */
  spec?: OptionSpec;
  /** Whether the field applies for the current values (else shown disabled). */
  enabled?: (values: Record<string, string>) => boolean;
}

const KIND: Record<OptionSpec["type"], FormField["kind"]> = {
  number: "number", integer: "number", enum: "select", boolean: "checkbox", matrix: "text", vector: "text", list: "text", pairs: "text", interval: "text", text: "text", path: "text",
};

/** The field of an option; `overrides` replace any part (a view's own label, group, default). */
export function formField(spec: OptionSpec, overrides: Partial<FormField> = {}): FormField {
  const web = spec.web;
  const kind = web?.widget ?? KIND[spec.type];
  const value = web?.value ?? (spec.type === "boolean" ? String(spec.default === true) : valueText(spec.default));
  const numeric = spec.type === "number" || spec.type === "integer" || spec.type === "list";
  return {
    id: web?.id ?? spec.name,
    label: web?.label ?? spec.flag,
    kind,
    value,
    ...(kind === "select" ? { choices: spec.values } : {}),
    ...(web?.hint ? { hint: web.hint } : numeric && spec.range ? { hint: acceptedPhrase(spec) } : {}),
    group: GROUPS[spec.group],
    option: spec.name,
    spec,
    ...overrides,
  };
}

/** An invalid field: the page shows `message` next to it. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = "FieldError";
  }
}

/** The message of an option error shown next to its field: "must be a finite number > 0; got 0", "entry (2,1) must be finite; got NaN". */
export function atField(f: FormField, e: { element: string; reason: string }): string {
  return `${elementWords(e.element, f.spec).trim()} ${e.reason}`.trim();
}

/** The field's text read with its declaration (the API's value); errors are FieldErrors at the field. */
export function readField<T>(f: FormField, text: string | undefined): T {
  if (!f.spec) throw new Error(`field ${f.id} has no option declaration`);
  try {
    return parseText(f.spec, text ?? "") as T;
  } catch (e) {
    if (isOptionError(e)) throw new FieldError(f.id, atField(f, e));
    throw e;
  }
}

/** Runs `compute`; an option error becomes a FieldError at `field` (the stage's own field for an ambiguous option). */
export function atFields<T>(fields: readonly FormField[], compute: () => T, byOption: Record<string, string> = {}): T {
  try {
    return compute();
  } catch (e) {
    if (isOptionError(e)) {
      const id = byOption[e.option] ?? fields.find((f) => f.option === e.option || f.spec?.aliases?.includes(e.option))?.id;
      const f = fields.find((x) => x.id === id);
      if (f) throw new FieldError(f.id, atField(f, e));
    }
    throw e;
  }
}
