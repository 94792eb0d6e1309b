// The command-line reader and the text parsers of the schema: negative values, --flag=value,
// booleans, repeated and unknown flags; and (property-based) the CLI, the edge, the page and the
// API accept exactly the same values of every numeric option, with errors that name the option.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isOptionError, OptionError } from "../src/core/errors";
import { checkOption } from "../src/options/check";
import { COMMANDS, commandByName } from "../src/options/commands";
import { formField, readField, FieldError } from "../src/options/form";
import { parseText } from "../src/options/text";
import { readQuery, QueryError } from "../src/options/query";
import { problemText } from "../src/options/problem";
import { tokenize, UsageError } from "../src/options/tokenize";
import type { OptionSpec } from "../src/options/option";
import { integrate } from "./helpers";

const ode = commandByName("ode")!;
const popgrad = commandByName("popgrad")!;
const read = (argv: string[], spec = ode) => tokenize(argv, spec.options, { context: `scm ${spec.name}` });

describe("tokenize: the schema knows which flags take a value", () => {
  it("negative numbers and lists starting with a minus sign are values", () => {
    expect(tokenize(["--eta", "-1"], ode.options, { context: "scm ode", parse: false }).texts.learningRate).toBe("-1");
    expect(() => read(["--eta", "-1"])).toThrow(/^learningRate must be a finite number > 0; got -1$/);
    expect(read(["--x-range", "-1,2", "--y-range=-2,-1"], popgrad).values).toMatchObject({ xRange: [-1, 2], yRange: [-2, -1] });
    expect(read(["--starts", "-0.5,0.2;0.1,-3"], popgrad).values.starts).toEqual([[-0.5, 0.2], [0.1, -3]]);
  });
  it("--flag=value, booleans, --no-flag, aliases typed are remembered as typed", () => {
    const a = read(["--learning-rate=0.5", "--no-error-estimate", "--alpha-points", "0,1"]);
    expect(a.values).toMatchObject({ learningRate: 0.5, errorEstimate: false, alphas: [0, 1] });
    expect(a.typed).toMatchObject({ learningRate: "--learning-rate", errorEstimate: "--error-estimate", alphas: "--alpha-points" });
    expect(read(["--per-run"], commandByName("sgd")!).values.perRun).toBe(true);
    expect(read(["--per-run=false"], commandByName("sgd")!).values.perRun).toBe(false);
  });
  it("repeatable flags collect; others given twice are refused", () => {
    expect(read(["--out", "a.json", "--out", "b.csv"]).values.out).toEqual(["a.json", "b.csv"]);
    expect(() => read(["--eta", "1", "--learning-rate", "2"])).toThrow(/--learning-rate is given more than once \(--eta "1" and --learning-rate "2"\)/);
  });
  it("unknown flags are refused with the closest known one; a missing value is named", () => {
    expect(() => read(["--alpha-maz", "3"])).toThrow(/unknown option --alpha-maz; did you mean --alpha-max\?/);
    expect(() => read(["--ETA", "3"])).toThrow(/did you mean --eta\?/);
    expect(() => read(["--zzzzzzzz"])).toThrow(/^scm ode: unknown option --zzzzzzzz \(scm ode --help/);
    expect(() => read(["--eta"])).toThrow(/--eta needs a value \(X\); it is the last argument/);
    expect(() => read(["--eta", "--samples", "3"])).toThrow(/--eta needs a value \(X\); got the flag --samples/);
    expect(() => read(["-1"])).toThrow(UsageError);
    expect(() => read(["--no-eta"])).toThrow(/unknown option --no-eta/);
  });
  it("a value the declaration refuses is an OptionError naming the option (the front-end spells it)", () => {
    let err: unknown;
    try {
      read(["--learning-rate", "0"]);
    } catch (e) {
      err = e;
    }
    expect(isOptionError(err)).toBe(true);
    const e = err as OptionError;
    expect(e.option).toBe("learningRate");
    expect(problemText(e, (n) => (n === "learningRate" ? "--learning-rate" : n))).toBe("--learning-rate must be a finite number > 0; got 0");
  });
});

/** Every number-valued option of every command, and the edge's view of the same declarations. */
const numeric: OptionSpec[] = [...new Map(COMMANDS.flatMap((c) => c.options).filter((o) => o.type === "number" || o.type === "integer").map((o) => [o, o])).values()];

/** Text of a double as a user might write it. */
const asText = (x: number) => (Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : String(x));

describe("one acceptance rule in every front-end (property-based)", () => {
  it(`${numeric.length} numeric options: CLI text, query text, form text and the API value are accepted or refused together`, () => {
    const values = fc.oneof(fc.double(), fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(0, -0, 1, -1, 1e-300, 1e300, 2 ** 31, 2 ** 53, 0.5, NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(fc.constantFrom(...numeric), values, (spec, x) => {
        const api = (() => {
          try {
            checkOption(spec, x);
            return true;
          } catch (e) {
            expect(isOptionError(e)).toBe(true);
            expect((e as OptionError).option).toBe(spec.name);
            return false;
          }
        })();
        const text = asText(x);
        const viaText = (() => {
          try {
            parseText(spec, text);
            return true;
          } catch (e) {
            expect(isOptionError(e)).toBe(true);
            expect((e as OptionError).option).toBe(spec.name);
            // every refusal says what is accepted
            expect((e as OptionError).message).toMatch(/must be (a finite number|an integer)/);
            return false;
          }
        })();
        const viaQuery = (() => {
          try {
            readQuery(new URLSearchParams([[spec.flag, text]]), [spec], "/test");
            return true;
          } catch {
            return false;
          }
        })();
        const viaForm = (() => {
          try {
            readField(formField(spec), text);
            return true;
          } catch (e) {
            expect(e).toBeInstanceOf(FieldError);
            return false;
          }
        })();
        // String(x) of a double reads back as x, so text and value must agree
        expect(viaText).toBe(api);
        expect(viaQuery).toBe(api);
        expect(viaForm).toBe(api);
      }),
      { numRuns: 3000 },
    );
  });
  it("integrate() refuses exactly what `scm ode` refuses for its options (learningRate, alphaMax, samples, step, rtol)", () => {
    const specs = ode.options.filter((o) => ["learningRate", "alphaMax", "samples", "step", "rtol"].includes(o.name));
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.oneof(fc.double({ min: -10, max: 10 }), fc.constantFrom(0, 1, 2, 1e-16, 1e-15, NaN, Infinity)), (spec, x) => {
        const cli = (() => {
          try {
            parseText(spec, asText(x));
            return true;
          } catch {
            return false;
          }
        })();
        // tiny runs: alpha grid of two samples up to 1e-3, so an accepted value costs nothing
        const base = spec.name === "alphaMax" ? { samples: 2 } : spec.name === "samples" ? { alphaMax: 1e-3 } : { alphaMax: 1e-3, samples: 2 };
        const api = (() => {
          try {
            integrate({ ...base, [spec.name]: x, maxSteps: 10 });
            return true;
          } catch (e) {
            if (!isOptionError(e)) throw e;
            expect(e.option).toBe(spec.name);
            return false;
          }
        })();
        expect(api).toBe(cli);
      }),
      { numRuns: 150 },
    );
  });
  it("query names: the flag, its camelCase and the API names; unknown and repeated ones are refused as written", () => {
    const specs = ode.options;
    const q = readQuery(new URLSearchParams("alpha-max=3&learningRate=0.5&v-star=1,1"), specs, "/ode");
    expect(q.values).toMatchObject({ alphaMax: 3, learningRate: 0.5, vStar: [1, 1] });
    expect(q.typed).toMatchObject({ alphaMax: "alpha-max", learningRate: "learningRate", vStar: "v-star" });
    expect(() => readQuery(new URLSearchParams("alphaMaxx=3"), specs, "/ode")).toThrow(QueryError);
    expect(() => readQuery(new URLSearchParams("eta=1&learningRate=1"), specs, "/ode")).toThrow(/given more than once/);
  });
});
