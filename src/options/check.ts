// Validation of an API value against its option's declaration: the API's resolve functions call
// these, so the API accepts exactly what the CLI, the edge and the page accept (they check the
// same declarations). Matrices and vectors are checked where their shape is known (core/validate).
import * as validate from "../core/validate";
import { OptionError, OptionTypeError, showValue } from "../core/errors";
import type { OptionSpec } from "./option";

/** What the option accepts, as a phrase for messages and help ("a finite number > 0", "one of relu, erf"). */
export function acceptedPhrase(spec: OptionSpec): string {
  const r = { ...spec.range, integer: spec.type === "integer" || spec.range?.integer };
  switch (spec.type) {
    case "number":
    case "integer":
      return validate.numberPhrase(r);
    case "enum":
      return spec.multiple ? `one or more (comma-separated) of ${spec.values!.join(", ")}` : `one of ${spec.values!.join(", ")}`;
    case "boolean":
      return "true or false";
    case "list":
      return `a comma-separated list${spec.minLength ? ` of at least ${spec.minLength}` : ""}${spec.maxLength !== undefined ? `${spec.minLength ? " and" : " of"} at most ${spec.maxLength}` : ""} of ${validate.numberPhrase(r).replace(/^an? /, "").replace(/^integer/, "integers").replace(/^finite number/, "finite numbers")}`;
    case "vector":
      return "comma-separated finite numbers, one per unit";
    case "matrix":
      return "a matrix";
    case "pairs":
      return `points "x,y" separated by ";"`;
    case "interval":
      return `"min,max" with finite min < max`;
    case "text":
      return "text";
    case "path":
      return "a file name";
  }
}

/** The value checked against the declaration (numbers, enums, booleans, lists, pairs, intervals). */
export function checkOption<T>(spec: OptionSpec, value: unknown, as: string = spec.name): T {
  const r = { ...spec.range, integer: spec.type === "integer" || spec.range?.integer };
  switch (spec.type) {
    case "number":
    case "integer":
      return validate.number(as, value, r) as T;
    case "enum": {
      if (!spec.multiple) return validate.oneOf(as, value, spec.values!) as T;
      if (!Array.isArray(value)) throw new OptionTypeError({ option: as, value, accepted: acceptedPhrase(spec) });
      if (value.length === 0) throw new OptionError({ option: as, value, accepted: acceptedPhrase(spec), reason: `must name at least one of ${spec.values!.join(", ")}; got none` });
      return value.map((x, i) => validate.oneOf(`${as}[${i}]`, x, spec.values!)) as T;
    }
    case "boolean":
      return validate.bool(as, value) as T;
    case "list": {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new OptionTypeError({ option: as, value, accepted: acceptedPhrase(spec) });
      const v = validate.vector(as, value, (value as ArrayLike<number>).length, r);
      if (spec.minLength !== undefined && v.length < spec.minLength) throw new OptionError({ option: as, value, accepted: acceptedPhrase(spec), reason: `must have at least ${spec.minLength} entr${spec.minLength === 1 ? "y" : "ies"}; got ${v.length}` });
      if (spec.maxLength !== undefined && v.length > spec.maxLength) throw new OptionError({ option: as, value: `${v.length} entries`, accepted: acceptedPhrase(spec), reason: `must have at most ${spec.maxLength} entries; got ${v.length}` });
      return v as T;
    }
    case "interval": {
      const v = validate.vector(as, value, 2);
      if (!(v[1] > v[0])) throw new OptionError({ option: as, value, accepted: acceptedPhrase(spec), reason: `must be [min, max] with max > min; got ${showValue(value)}` });
      return v as T;
    }
    case "pairs": {
      if (!Array.isArray(value)) throw new OptionTypeError({ option: as, value, accepted: "an array of [x, y] points" });
      return value.map((p, i) => validate.vector(`${as}[${i}]`, p, 2)) as T;
    }
    case "text":
    case "path":
      if (typeof value !== "string") throw new OptionTypeError({ option: as, value, accepted: acceptedPhrase(spec) });
      return value as T;
    case "matrix":
    case "vector":
      throw new Error(`checkOption: ${spec.name} is a ${spec.type}; check it where its shape is known`);
  }
}

/** The option's value, or its declared default when it was not given. */
export function resolveOption<T>(spec: OptionSpec, value: unknown, as?: string): T {
  if (value === undefined) {
    if (spec.default === undefined) throw new Error(`resolveOption: ${spec.name} has no default`);
    return spec.default as T;
  }
  return checkOption<T>(spec, value, as);
}
