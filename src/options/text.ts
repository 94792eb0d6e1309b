// Option values written as text (CLI flags, query parameters, form fields) -> the API's values,
// checked against the declaration. Errors are OptionErrors carrying the API name; each front-end
// prints the name its user wrote.
import { OptionError, OptionTypeError } from "../core/errors";
import { numberText } from "../core/validate";
import { acceptedPhrase, checkOption } from "./check";
import { parseMatrix, type MatrixSpec } from "./matrix";
import type { OptionSpec } from "./option";

const number = (s: string) => (s.trim() === "" ? NaN : Number(s.trim()));

function wrongText(spec: OptionSpec, text: string, detail?: string): OptionTypeError {
  const accepted = acceptedPhrase(spec);
  return new OptionTypeError({ option: spec.name, value: text, accepted, reason: `must be ${accepted}; got ${JSON.stringify(text)}${detail ? ` (${detail})` : ""}` });
}

/** Comma-separated numbers; entry errors say which entry. */
function numbers(spec: OptionSpec, text: string, separator = ","): number[] {
  if (text.trim() === "") throw wrongText(spec, text);
  return text.split(separator).map((s, i) => {
    const x = number(s);
    if (!Number.isFinite(x)) throw wrongText(spec, text, `entry ${i + 1} is ${JSON.stringify(s.trim())}`);
    return x;
  });
}

export const BOOLEAN_TEXT = { true: ["true", "1", "yes", "on", ""], false: ["false", "0", "no", "off"] } as const;

/**
 * The value of `text` for `spec`: numbers, enums and lists checked against the declared range;
 * matrices as a MatrixSpec (expanded once K and M are known); vectors as numbers (length checked
 * by the API, which knows K and M).
 */
export function parseText(spec: OptionSpec, text: string): unknown {
  switch (spec.type) {
    case "number":
    case "integer": {
      const x = number(text);
      if (!Number.isFinite(x)) throw wrongText(spec, text);
      if (spec.type === "integer" && !Number.isInteger(x)) throw new OptionError({ option: spec.name, value: text, accepted: acceptedPhrase(spec) });
      return checkOption(spec, x);
    }
    case "enum":
      if (!spec.multiple) return checkOption(spec, text.trim());
      if (text.trim() === "") throw wrongText(spec, text);
      return checkOption(spec, text.split(",").map((s) => s.trim()));
    case "boolean": {
      const t = text.trim().toLowerCase();
      if ((BOOLEAN_TEXT.true as readonly string[]).includes(t)) return true;
      if ((BOOLEAN_TEXT.false as readonly string[]).includes(t)) return false;
      throw new OptionTypeError({ option: spec.name, value: text, accepted: "true or false", reason: `must be true or false (or empty); got ${JSON.stringify(text)}` });
    }
    case "matrix":
      return parseMatrix(spec.name, text) satisfies MatrixSpec;
    case "vector":
      return numbers(spec, text);
    case "list":
      return checkOption(spec, numbers(spec, text));
    case "interval": {
      const v = numbers(spec, text);
      if (v.length !== 2) throw wrongText(spec, text, `${v.length} numbers`);
      return checkOption(spec, v);
    }
    case "pairs": {
      if (text.trim() === "") throw wrongText(spec, text);
      return text.split(";").filter((p, i, all) => p.trim() !== "" || i < all.length - 1).map((p, i) => {
        const v = p.split(",").map(number);
        if (v.length !== 2 || !v.every(Number.isFinite)) throw wrongText(spec, text, `point ${i + 1} is ${JSON.stringify(p.trim())}, not "x,y"`);
        return [v[0], v[1]] as [number, number];
      });
    }
    case "text":
      return text;
    case "path":
      if (text.trim() === "") throw new OptionTypeError({ option: spec.name, value: text, accepted: "a file name", reason: `must be a file name; got ""` });
      return text;
  }
}

/** The text form of an API value (defaults in help texts, form fields). */
export function valueText(value: unknown): string {
  if (value === undefined) return "";
  const one = (x: unknown) => (typeof x === "number" ? numberText(x) : String(x));
  if (Array.isArray(value)) return value.map((x) => (Array.isArray(x) ? x.map(one).join(",") : one(x))).join(Array.isArray(value[0]) ? ";" : ",");
  return one(value);
}
