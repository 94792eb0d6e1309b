// The option schema is the one source of every front-end's options: each command's help text and
// docs/cli.md list every option of the command, the edge's GET / lists every option of each
// endpoint, the web views' fields are the declarations' (ids, choices, defaults), and docs/cli.md
// is exactly what `npm run docs:cli` generates.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { COMMANDS, SWEEPS } from "../src/options/commands";
import { commandHelp, mainHelp } from "../src/options/help";
import { cliReference } from "../src/options/docs";
import { flagsOf, GROUPS } from "../src/options/option";
import { valueText } from "../src/options/text";
import { ACTIVATIONS } from "../src/options/values";
import { ENDPOINTS, createHandler } from "../src/edge/handler";
import { views } from "../src/web/views";
import { sweepHelp } from "../src/cli/sweep";

describe("help texts and docs/cli.md come from the schema", () => {
  it("docs/cli.md is the fresh generation (npm run docs:cli)", () => {
    expect(readFileSync("docs/cli.md", "utf8")).toBe(cliReference());
  });
  it("every option of every command appears in its --help text and in its docs/cli.md section", () => {
    const docs = cliReference();
    for (const c of COMMANDS) {
      const help = commandHelp(c);
      const section = docs.slice(docs.indexOf(`## scm ${c.name}\n`), docs.indexOf("\n## scm ", docs.indexOf(`## scm ${c.name}\n`) + 1) >>> 0 || undefined);
      expect(section.length, c.name).toBeGreaterThan(0);
      for (const o of c.options) {
        expect(help, `${c.name} --${o.flag}`).toContain(`--${o.flag}`);
        expect(help, `${c.name} ${o.help}`).toContain(o.help.split(" ").slice(0, 3).join(" "));
        expect(section, `${c.name} --${o.flag} in docs`).toContain(`\`--${o.flag}`);
        for (const alias of flagsOf(o).slice(1)) expect(help).toContain(`--${alias}`);
      }
      // the summary line is the same in the command list and the command's own help
      expect(mainHelp().replace(/\s+/g, " ")).toContain(`${c.name} ${c.summary}`.replace(/\s+/g, " "));
      expect(help.split("\n")[0]).toBe(`scm ${c.name}: ${c.summary}`);
    }
  });
  it("every sweepable command is listed in scm sweep --help; its points take the command's options", () => {
    const help = sweepHelp();
    for (const s of SWEEPS) {
      expect(help).toContain(s.command);
      for (const o of s.options) expect(o.group === "output" || o.group === "control").toBe(false);
    }
  });
  it("groups are shown in the declared order", () => {
    const help = commandHelp(COMMANDS.find((c) => c.name === "compare")!);
    const order = Object.values(GROUPS).filter((g) => help.includes(`\n${g}\n`));
    expect(order.map((g) => help.indexOf(`\n${g}\n`))).toEqual([...order.map((g) => help.indexOf(`\n${g}\n`))].sort((a, b) => a - b));
    expect(order.length).toBeGreaterThanOrEqual(5);
  });
});

describe("the edge's GET / lists every option of each endpoint from the schema", () => {
  it("names, accepted values, defaults and help as declared", async () => {
    const r = await createHandler().fetch(new Request("http://edge.test/"));
    const body = await r.json();
    expect(body.endpoints.map((e: { path: string }) => e.path)).toEqual(ENDPOINTS.map((e) => e.path));
    for (const e of ENDPOINTS) {
      const listed = body.endpoints.find((x: { path: string }) => x.path === e.path).parameters as { name: string; help: string; also: string[] }[];
      expect(listed.map((p) => p.name)).toEqual(e.options.map((o) => o.flag));
      for (const o of e.options) {
        const p = listed.find((x) => x.name === o.flag)!;
        expect(p.help).toBe(o.help);
        for (const alias of [o.name, ...(o.aliases ?? [])]) if (alias !== o.flag) expect(p.also).toContain(alias);
        expect(o.cliOnly).not.toBe(true);
      }
    }
  });
});

describe("the web views' fields are the schema's", () => {
  it("each field with a declaration: its id, choices and default text come from it", () => {
    let checked = 0;
    for (const v of views) {
      const ids = v.fields.map((f) => f.id);
      expect(new Set(ids).size, v.id).toBe(ids.length);
      for (const f of v.fields) {
        if (!f.spec) continue;
        checked++;
        expect(f.option).toBe(f.spec.name);
        if (f.kind === "select") for (const c of f.spec.values!) expect(f.choices, `${v.id} ${f.id}`).toContain(c);
        if (f.spec.web?.id) expect(f.id).toBe(f.spec.web.id);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });
  it("the ODE views offer exactly the API's activations (one exported list)", () => {
    for (const id of ["online", "regimes"]) {
      const f = views.find((v) => v.id === id)!.fields.find((x) => x.id === "activation")!;
      expect(f.choices).toEqual([...ACTIVATIONS]);
    }
  });
  it("defaults of the online view spell out the reference setting and the API defaults", () => {
    const online = views.find((v) => v.id === "online")!;
    const value = (id: string) => online.fields.find((f) => f.id === id)!.value;
    expect(value("eta")).toBe("1");
    expect(value("samples")).toBe("301");
    expect(value("step")).toBe(valueText(0.01));
  });
});
