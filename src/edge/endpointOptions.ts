// The parameters of an endpoint: the API options of its CLI command (src/options/commands.ts),
// the sample counts bounded by the endpoint's limit. They are declared as variants of the schema's
// options, so parsing, the error messages and the GET / listing state the bound.
import { apiOptionsOf } from "../options/commands";
import { variant, type OptionSpec } from "../options/option";

export function endpointOptions(command: string, maxSamples: number): OptionSpec[] {
  return apiOptionsOf(command).map((o) => {
    if (o.name === "samples") return variant(o, { range: { ...o.range, max: Math.min(o.range?.max ?? Infinity, maxSamples) }, help: `${o.help} (at most ${maxSamples} on this endpoint)` });
    if (o.name === "alphas") return variant(o, { maxLength: maxSamples });
    return o;
  });
}
