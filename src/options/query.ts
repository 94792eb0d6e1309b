// Query parameters (the edge function) read with the schema: each option under its flag
// ("alpha-max"), its camelCase ("alphaMax") or its API name and aliases ("learningRate", "eta").
// Unknown and repeated parameters are refused, naming the parameter as written.
import { queryNamesOf, type OptionSpec } from "./option";
import { parseText } from "./text";
import { closest } from "./tokenize";

/** A query that cannot be read (unknown or repeated parameter). */
export class QueryError extends Error {
  constructor(message: string, readonly parameter: string) {
    super(message);
    this.name = "QueryError";
  }
}

export interface ParsedQuery {
  /** API name -> value (parsed and checked against its declaration). */
  values: Record<string, unknown>;
  /** API name -> the parameter name as written in the query. */
  typed: Record<string, string>;
}

/** Reads the query into `out` (pass one to know the names written so far when an error is thrown). */
export function readQuery(params: URLSearchParams, specs: readonly OptionSpec[], path: string, out: ParsedQuery = { values: {}, typed: {} }): ParsedQuery {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) for (const n of queryNamesOf(s)) if (!byName.has(n)) byName.set(n, s);
  for (const [key, text] of params) {
    const spec = byName.get(key);
    if (!spec) {
      const near = closest(key, [...new Set(specs.map((s) => s.flag))]);
      throw new QueryError(`unknown parameter ${JSON.stringify(key)} for ${path}${near ? `; did you mean ${JSON.stringify(near)}?` : ""} (accepted: ${specs.map((s) => s.flag).join(", ")})`, key);
    }
    if (out.typed[spec.name] !== undefined) throw new QueryError(`parameter ${JSON.stringify(key)} given more than once (also as ${JSON.stringify(out.typed[spec.name])}); give it once`, key);
    out.typed[spec.name] = key;
    out.values[spec.name] = parseText(spec, text);
  }
  return out;
}
