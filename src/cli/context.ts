// What a command's run function gets: its parsed options (by API name, declared defaults filled
// in), the names the user typed (for messages), its output files (checked before any work) and the
// progress and work-limit fields to hand to the API.
import type { Progress, RunControl } from "../core/control";
import type { CommandSpec } from "../options/commands";
import type { OptionSpec } from "../options/option";
import type { ParsedArgs } from "../options/tokenize";
import { progressListener } from "../text/progress";
import type { Format } from "../text/odeTable";
import { checkFile, checkFolder, checkSvg, formatOfPath, writeWhole } from "./files";

/** The command's side of the terminal (the worker posts these to the main thread). */
export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  progress(p: Progress): void;
  /** The text on stdin (optimal-lr --batch -). */
  readStdin(): string;
}

/** The declaration of an option of `command`, by API name (or alias). */
export const specIn = (command: CommandSpec, api: string): OptionSpec | undefined => command.options.find((o) => o.name === api || o.aliases?.includes(api));

/** An API name as the user knows it: the flag typed, else the command's flag, else the name itself. */
export function flagName(command: CommandSpec, args: ParsedArgs, api: string): string {
  const typed = args.typed[api];
  if (typed) return typed;
  const s = specIn(command, api);
  return s ? `--${s.flag}` : api;
}

export class Context {
  /** --out files with the format each gets (from its extension, else --format). */
  readonly outs: { path: string; format: Format }[] = [];

  constructor(readonly spec: CommandSpec, readonly args: ParsedArgs, readonly io: Io) {
    this.checkOutputs();
  }

  /** The declaration of an option of this command, by API name (or alias). */
  specOf = (api: string): OptionSpec | undefined => specIn(this.spec, api);

  /** An API name as the user knows it: the flag typed, else the command's flag, else the name itself. */
  nameOf = (api: string): string => flagName(this.spec, this.args, api);

  /** Whether the user typed this option (for messages: the names as given). */
  typed = (api: string): boolean => this.args.typed[api] !== undefined;

  has(name: string): boolean {
    return this.args.values[name] !== undefined;
  }

  /** The value given, or the declared default. */
  get<T>(name: string): T {
    const v = this.args.values[name];
    return (v === undefined ? this.specOf(name)?.default : v) as T;
  }

  /** The value given, or undefined (the API applies its default). */
  given<T>(name: string): T | undefined {
    return this.args.values[name] as T | undefined;
  }

  /** The values given of these options, keyed by API name. */
  pick(names: readonly string[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const n of names) if (this.args.values[n] !== undefined) o[n] = this.args.values[n];
    return o;
  }

  /** The RunControl fields for an API call: the work limit and a progress listener. */
  control(label: string, unit = ""): Required<Pick<RunControl, "maxWork">> & { onProgress: (p: Progress | number, total?: number) => void } {
    return { maxWork: this.get<number>("maxWork"), onProgress: progressListener(label, unit, (p) => this.io.progress(p)) };
  }

  get format(): Format {
    return this.get<Format>("format") ?? "table";
  }

  /** Before any work: every file asked for can be written, in a format that exists. */
  private checkOutputs(): void {
    const formatSpec = this.specOf("format");
    const allowed = formatSpec?.values ?? ["json"];
    for (const o of this.spec.options) {
      const given = this.args.values[o.name];
      if (given === undefined || o.type !== "path") continue;
      const flag = this.args.typed[o.name] ?? `--${o.flag}`;
      if (o.name === "out" && o.group === "output") {
        for (const path of given as string[]) {
          const format = formatOfPath(flag, path, this.format, allowed);
          checkFile(flag, path);
          this.outs.push({ path, format });
        }
      } else if (o.name === "plot") checkSvg(flag, given as string);
      else if (o.name === "outDir") checkFolder(flag, given as string);
      else if (o.group === "sweep" && o.name === "out") for (const path of [given as string | string[]].flat()) checkFile(flag, path);
    }
    if (this.spec.options.some((o) => o.name === "outDir") && this.args.values.outDir === undefined) checkFolder("--out-dir", this.get<string>("outDir"));
  }

  /** The rendering on stdout, or in each --out file in its format. */
  emit(render: (f: Format) => string): void {
    if (this.outs.length === 0) this.io.stdout(render(this.format));
    for (const { path, format } of this.outs) writeWhole(this.nameOf("out"), path, render(format));
  }

  /** A file asked for by `option` (plot, a file in --out-dir), written whole. */
  writeFile(option: string, path: string, data: string): void {
    writeWhole(this.nameOf(option), path, data);
  }
}
