// scm sweep --remote against real workerd processes on loopback: the authenticated mode (no
// secret, a wrong one, the right one), an endpoint killed in the middle of a sweep (nothing lost,
// nothing written twice, every line equal to the local sweep's), and points too large for one
// request (an SGD point split by runs and aggregated, an ODE point computed locally with a note).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateWork } from "./helpers";
import { canonicalJson } from "../src/text/grid";
import { untimed, type SweepLine } from "../src/sweep/line";
import { VERSION_STAMP } from "../src/sweep/version";
import { startWorkerd, type Workerd } from "./workerd";
import { createHandler } from "../src/edge/handler";
import { secretMatches } from "../src/edge/auth";
import { runPoint } from "../src/sweep/points";

const SECRET = "correct horse battery staple";
const env = (secret?: string) => {
  const e: Record<string, string | undefined> = { ...process.env, SCM_EDGE_SECRET: secret };
  if (secret === undefined) delete e.SCM_EDGE_SECRET;
  return e as NodeJS.ProcessEnv;
};
const scm = (args: string[], secret?: string) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8", env: env(secret) });
const tmp = () => mkdtempSync(join(tmpdir(), "scm-remote-"));
const readLines = (path: string): SweepLine[] => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)) : []);
/** Lines keyed by point, timings removed (the only fields that differ between two computations of a point). */
const byPoint = (lines: SweepLine[], keep: (l: SweepLine) => SweepLine = (l) => l) => new Map(lines.map((l) => [canonicalJson([l.command, l.options]), canonicalJson(untimed(keep(l)))]));

let a: Workerd, b: Workerd, small: Workerd;

beforeAll(async () => {
  if (!existsSync("dist/edge/worker.js")) throw new Error("dist/edge/worker.js missing: run npm run build first");
  // two deployments sharing a secret, and an open one with a tiny work limit per request
  [a, b, small] = await Promise.all([startWorkerd({ secret: SECRET }), startWorkerd({ secret: SECRET }), startWorkerd({ maxWork: 0.01 })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a, b, small].filter(Boolean).map((w) => w.kill()));
});

describe("POST /point (the handler in Node)", () => {
  const handler = createHandler();
  const post = async (body: unknown, h = handler) => {
    const r = await h.fetch(new Request("http://edge.test/point", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) }));
    return { status: r.status, version: r.headers.get("x-soft-committee-version"), text: await r.text() };
  };
  it("answers a point with the text a local sweep writes, stamped with the version", async () => {
    const options = { alphaMax: 3, samples: 4, learningRate: 0.5 };
    const r = await post({ command: "ode", options });
    expect(r.status).toBe(200);
    expect(r.version).toBe(`${VERSION_STAMP.package}+${VERSION_STAMP.core}`);
    const local = JSON.parse(runPoint("ode", options, { maxWork: 600 }));
    expect(untimed(JSON.parse(r.text))).toEqual(untimed(local));
  });
  it("refuses what is not a point: 405, 400 (body), 422 (the API's error, as a local line holds it), 400 with the estimate", async () => {
    expect((await handler.fetch(new Request("http://edge.test/point"))).status).toBe(405);
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ command: "popgrad", options: {} })).status).toBe(400);
    expect((await post({ command: "ode", options: {}, firstRun: 0, count: 1 })).status).toBe(400);
    const bad = await post({ command: "ode", options: { K: 1, M: 1, T: [[1]], Q0: [[1]], R0: [[1.2]] } });
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text)).toMatchObject({ name: "OptionError", error: expect.stringMatching(/R0 must keep C0 = .*positive definite/) });
    const big = await post({ command: "ode", options: { alphaMax: 1e5 } });
    expect(big.status).toBe(400);
    expect(JSON.parse(big.text).estimate.seconds).toBeGreaterThan(1);
  });
  it("the secret is compared whole (equal strings only)", async () => {
    expect(await secretMatches("abc", "abc")).toBe(true);
    for (const other of ["", "ab", "abd", "abcd", "ABC"]) expect(await secretMatches(other, "abc"), other).toBe(false);
  });
});

describe("the edge's authenticated mode", () => {
  it("refuses requests without the secret or with a wrong one (401), answers with it", async () => {
    const get = (headers: Record<string, string>) => fetch(`${a.url}/`, { headers });
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong" }, { authorization: `Bearer ${SECRET}x` }, { authorization: SECRET }]) {
      const r = await get(headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect((await r.json()).error).toMatch(/authorization|secret/);
    }
    const post = await fetch(`${a.url}/point`, { method: "POST", body: JSON.stringify({ command: "ode", options: { alphaMax: 1, samples: 2 } }) });
    expect(post.status).toBe(401);
    const ok = await get({ authorization: `Bearer ${SECRET}` });
    expect(ok.status).toBe(200);
    expect((await ok.json()).version).toEqual(VERSION_STAMP);
    // the open deployment needs none
    expect((await fetch(`${small.url}/`)).status).toBe(200);
  });
  it("scm sweep --remote: exit 2 before any work without the secret or with a wrong one", () => {
    const out = join(tmp(), "x.jsonl");
    const args = ["sweep", "ode", "--eta", "0.5,1", "--alpha-max", "1", "--samples", "2", "--remote", a.url, "--out", out];
    const none = scm(args);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--remote has http:\/\/127\.0\.0\.1:\d+, which refused the request: it needs a secret; set the environment variable SCM_EDGE_SECRET/);
    const wrong = scm(args, "not it");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/refused the secret in SCM_EDGE_SECRET/);
    expect(readLines(out)).toEqual([]);
  });
});

describe("fan-out to two endpoints", () => {
  it("an endpoint killed mid-sweep: every point written once, equal to the local sweep", async () => {
    const dir = tmp();
    const grid = ["sweep", "ode", "--eta", "0.5:1.4:0.1", "--alpha-max", "60", "--samples", "3"];
    const local = scm([...grid, "--workers", "2", "--out", join(dir, "local.jsonl")]);
    expect(local.status, local.stderr).toBe(0);
    const out = join(dir, "remote.jsonl");
    const child = spawn(process.execPath, ["bin/scm.js", ...grid, "--remote", `${a.url},${b.url}`, "--concurrency", "2", "--timeout", "30", "--out", out], { env: env(SECRET), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    const exited = new Promise<number>((r) => child.once("exit", (code) => r(code ?? -1)));
    // kill b once the first points are in, well before the last
    let linesAtKill = -1;
    for (let i = 0; i < 600 && linesAtKill < 0; i++) {
      const n = readLines(out).length;
      if (n >= 2) {
        await b.kill();
        linesAtKill = n;
      } else await new Promise((r) => setTimeout(r, 50));
    }
    expect(linesAtKill).toBeGreaterThanOrEqual(2);
    expect(linesAtKill).toBeLessThan(10); // b died with points still to compute
    expect(await exited, stderr).toBe(0);
    const lines = readLines(out);
    expect(lines.length).toBe(10); // nothing lost, nothing written twice
    expect(new Set(lines.map((l) => canonicalJson(l.options))).size).toBe(10);
    expect(byPoint(lines)).toEqual(byPoint(readLines(join(dir, "local.jsonl"))));
    expect(stderr).toMatch(/10 points done, 0 failed/);
    const [, requests] = /\((\d+) requests, \d+ retries/.exec(stderr)!;
    expect(Number(requests)).toBeGreaterThanOrEqual(10);
  }, 120_000);
});

describe("points too large for one request", () => {
  it("an SGD point is split by runs and aggregated as simulateSync does; an ODE point runs locally with a note", () => {
    const sgd = { d: 200, runs: 12, alphaMax: 10, samples: 3 };
    // the endpoint allows 0.01 s per request: the point does not fit, one run does
    expect(estimateWork("simulateSync", sgd).seconds).toBeGreaterThan(0.01);
    expect(estimateWork("simulateSync", { ...sgd, runs: 2 }).seconds).toBeLessThan(0.01);
    const dir = tmp();
    const sgdArgs = ["sweep", "sgd", "--d", "200", "--runs", "12", "--alpha-max", "10", "--samples", "3", "--seed", "5", "--eta", "0.5,1", "--test-inputs", "20"];
    const remote = scm([...sgdArgs, "--remote", small.url, "--out", join(dir, "r.jsonl")]);
    expect(remote.status, remote.stderr).toBe(0);
    expect(remote.stderr).toMatch(/2 points split by runs/);
    const local = scm([...sgdArgs, "--workers", "2", "--out", join(dir, "l.jsonl")]);
    expect(local.status, local.stderr).toBe(0);
    const lines = readLines(join(dir, "r.jsonl"));
    expect(lines.every((l) => l.note === undefined)).toBe(true);
    expect(byPoint(lines)).toEqual(byPoint(readLines(join(dir, "l.jsonl"))));

    expect(estimateWork("integrate", { alphaMax: 20, samples: 3 }).seconds).toBeGreaterThan(0.01);
    expect(estimateWork("integrate", { alphaMax: 2, samples: 3 }).seconds).toBeLessThan(0.01);
    const odeArgs = ["sweep", "ode", "--alpha-max", "2,20", "--samples", "3"];
    const r2 = scm([...odeArgs, "--remote", small.url, "--out", join(dir, "r2.jsonl")]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/1 points computed locally/);
    const l2 = scm([...odeArgs, "--out", join(dir, "l2.jsonl")]);
    expect(l2.status, l2.stderr).toBe(0);
    const lines2 = readLines(join(dir, "r2.jsonl"));
    expect(lines2.find((l) => l.options.alphaMax === 20)!.note).toMatch(/^computed locally: estimated at .* s, more than the endpoints' maxWork 0\.01 s$/);
    expect(lines2.find((l) => l.options.alphaMax === 2)!.note).toBeUndefined();
    const noNote = (l: SweepLine) => ({ ...l, note: undefined });
    expect(byPoint(lines2, noNote)).toEqual(byPoint(readLines(join(dir, "l2.jsonl"))));
  }, 120_000);
});
