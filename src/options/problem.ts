// An option error told in the words of a front-end: the option as its user wrote it (a flag
// "--eta", a query name "alphaMax", a form field's label), the part at fault and the reason, with
// the related options of a cross-option rule spelled the same way. Front-ends read the error's
// fields; none parses messages.
import type { OptionProblem } from "../core/errors";
import type { OptionSpec } from "./option";

/** "[3]" of a list -> " entry 4"; "[1][0]" of a matrix -> " entry (2,1)": the 1-based words of the text syntax. */
export function elementWords(element: string, spec: OptionSpec | undefined): string {
  if (!spec || !element) return element;
  const one = /^\[(\d+)\]$/.exec(element);
  if (one && (spec.type === "list" || spec.type === "vector" || spec.type === "interval" || spec.type === "enum")) return ` entry ${Number(one[1]) + 1}`;
  const two = /^\[(\d+)\]\[(\d+)\]$/.exec(element);
  if (two && spec.type === "matrix") return ` entry (${Number(two[1]) + 1},${Number(two[2]) + 1})`;
  if (one && spec.type === "pairs") return ` point ${Number(one[1]) + 1}`;
  return element;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The message of `problem` for a front-end: `nameOf` spells an API name as that front-end's user
 * knows it; `specOf` finds the declaration (for 1-based element words).
 */
export function problemText(problem: OptionProblem, nameOf: (apiName: string) => string, specOf: (apiName: string) => OptionSpec | undefined = () => undefined): string {
  // the related options as the user spells them, in the prose only: a formula such
  // as [[Q0, R0], [R0^T, T]] keeps the mathematical names
  const parts = problem.reason.split(/(\[\[.*?\]\])/);
  for (const r of new Set(problem.related)) {
    const spelled = nameOf(r);
    if (spelled === r) continue;
    const word = new RegExp(`(?<![\\w.-])${escape(r)}(?![\\w])`, "g");
    for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i].replace(word, spelled);
  }
  const reason = parts.join("");
  return `${nameOf(problem.option)}${elementWords(problem.element, specOf(problem.option))} ${reason}`;
}
