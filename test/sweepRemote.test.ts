// scm sweep --remote against real workerd processes on loopback: the authenticated mode (no
// secret, a wrong one, the right one), an endpoint killed in the middle of a sweep (nothing lost,
// nothing written twice, every line equal to the local sweep's), batches of points (POST /points)
// cut by an endpoint that dies or stalls in the middle of one, or refused whole, and points too
// large for one request (an SGD point split by runs and aggregated, an ODE point computed locally
// with a note). The endpoints that fail on cue are the handler itself served by node:http in this
// process, which can stop after a chosen number of answer lines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateWork } from "./helpers";
import { canonicalJson } from "../src/text/grid";
import { untimed, type SweepLine } from "../src/sweep/line";
import { VERSION_STAMP } from "../src/sweep/version";
import { startWorkerd, type Workerd } from "./workerd";
import { createHandler, DEFAULT_LIMITS } from "../src/edge/handler";
import { MAX_BATCH_POINTS } from "../src/edge/points";
import { secretMatches } from "../src/edge/auth";
import { connectEndpoints, RemoteSweep } from "../src/cli/sweepRemote";
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

describe("POST /points (the handler in Node)", () => {
  const handler = createHandler();
  const post = async (body: unknown, h = handler) => {
    const r = await h.fetch(new Request("http://edge.test/points", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) }));
    return { status: r.status, type: r.headers.get("content-type"), version: r.headers.get("x-soft-committee-version"), text: await r.text() };
  };
  const linesOf = (text: string) => text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  it("answers each point as a line, in order, with the text a local run gives; a point's own error is its line (422), the next is still computed", async () => {
    const good = [{ alphaMax: 3, samples: 4, learningRate: 0.5 }, { alphaMax: 2, samples: 3, learningRate: 1.2 }];
    const bad = { K: 1, M: 1, T: [[1]], Q0: [[1]], R0: [[1.2]] };
    const r = await post({ points: [{ command: "ode", options: good[0] }, { command: "ode", options: bad }, { command: "ode", options: good[1] }] });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/x-ndjson/);
    expect(r.version).toBe(`${VERSION_STAMP.package}+${VERSION_STAMP.core}`);
    const lines = linesOf(r.text);
    expect(lines.map((l) => [l.index, l.status])).toEqual([[0, 200], [1, 422], [2, 200]]);
    for (const [i, o] of [[0, good[0]], [2, good[1]]] as const) expect(untimed(JSON.parse(lines[i].result))).toEqual(untimed(JSON.parse(runPoint("ode", o, { maxWork: 600 }))));
    expect(lines[1]).toMatchObject({ name: "OptionError", error: expect.stringMatching(/R0 must keep C0 = .*positive definite/) });
  });
  it("refuses a batch whose estimates add up to more than maxWork (400 with the sum); a single point above it is refused by its own line", async () => {
    const o = (learningRate: number) => ({ alphaMax: 30, samples: 3, learningRate });
    const one = estimateWork("integrate", o(0.5)).seconds;
    // room for two points, not three
    const limited = createHandler({ limits: { maxWork: 2.5 * one } });
    const three = await post({ points: [0.5, 0.6, 0.7].map((eta) => ({ command: "ode", options: o(eta) })) }, limited);
    expect(three.status).toBe(400);
    expect(JSON.parse(three.text).estimate.seconds).toBeCloseTo(3 * one, 12);
    const two = await post({ points: [0.5, 0.6].map((eta) => ({ command: "ode", options: o(eta) })) }, limited);
    expect(two.status).toBe(200);
    expect(linesOf(two.text).map((l) => l.status)).toEqual([200, 200]);
    const big = await post({ points: [{ command: "ode", options: { alphaMax: 1e5 } }] });
    expect(big.status).toBe(200);
    const [line] = linesOf(big.text);
    expect(line).toMatchObject({ index: 0, status: 400 });
    expect(line.estimate.seconds).toBeGreaterThan(DEFAULT_LIMITS.maxWork);
  });
  it("refuses what is not a batch: 405, 400 (not JSON, no points, too many, an entry that is not a point)", async () => {
    expect((await handler.fetch(new Request("http://edge.test/points"))).status).toBe(405);
    const p = { command: "ode", options: { alphaMax: 0.01, samples: 2 } };
    for (const body of ["{not json", {}, { points: [] }, { points: {} }, { points: Array(MAX_BATCH_POINTS + 1).fill(p) }, { points: [p, { command: "popgrad", options: {} }] }, { points: [p, { command: "ode", options: [] }] }])
      expect((await post(body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect((await post({ points: Array(MAX_BATCH_POINTS).fill(p) })).status).toBe(200);
  });
});

describe("POST /points in workerd", () => {
  it("streams: each point's line is sent when it is computed, before the next point is done", async () => {
    const w = await startWorkerd({ maxWork: 10 });
    try {
      // three points of about 0.2 s each: the first line must come alone, well before the others
      const points = [0.5, 0.7, 0.9].map((learningRate) => ({ command: "ode", options: { alphaMax: 200, samples: 3, learningRate } }));
      const r = await fetch(`${w.url}/points`, { method: "POST", body: JSON.stringify({ points }) });
      expect(r.status).toBe(200);
      const reader = r.body!.getReader();
      const decoder = new TextDecoder();
      const first = decoder.decode((await reader.read()).value, { stream: true });
      expect(first.endsWith("\n")).toBe(true);
      expect(first.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l).index)).toEqual([0]);
      let rest = "";
      for (let c = await reader.read(); !c.done; c = await reader.read()) rest += decoder.decode(c.value, { stream: true });
      const lines = [first, rest].join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.index, l.status])).toEqual([[0, 200], [1, 200], [2, 200]]);
      lines.forEach((l, i) => expect(untimed(JSON.parse(l.result))).toEqual(untimed(JSON.parse(runPoint("ode", points[i].options, { maxWork: 600 })))));
    } finally {
      await w.kill();
    }
  }, 60_000);
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
    const [, requests, retries] = /\((\d+) requests, (\d+) retries/.exec(stderr)!;
    // batches: fewer requests than points; the points of b's unfinished batch were sent again
    expect(Number(requests)).toBeGreaterThanOrEqual(2);
    expect(Number(requests)).toBeLessThan(10);
    expect(Number(retries)).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

/** What a served handler did with one POST /points. */
interface Served { points: number; status: number; lines: string[] }

/**
 * The edge handler served by node:http on loopback (so it can fail on cue): `getLimit` and
 * `postLimit` are the maxWork of GET / and of the POSTs (a deployment advertising more than it
 * takes), `cut` ends the first batch answer after that many lines, by closing the server and every
 * connection ("die", an endpoint killed), by sending nothing more ("stall", a hung endpoint) or by
 * closing this connection only ("drop", a flaky one; `batches`: of so many batches, default 1);
 * `postStamp` replaces the version header of the POST answers (a deployment replaced mid-sweep).
 */
async function serveHandler(o: { getLimit?: number; postLimit?: number; cut?: { after: number; how: "die" | "stall" | "drop"; batches?: number }; postStamp?: string } = {}) {
  const get = createHandler({ limits: { maxWork: o.getLimit ?? DEFAULT_LIMITS.maxWork } });
  const postHandler = createHandler({ limits: { maxWork: o.postLimit ?? o.getLimit ?? DEFAULT_LIMITS.maxWork } });
  const served: Served[] = [];
  let cuts = o.cut?.batches ?? 1;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, body: req.method === "POST" ? body : undefined });
    const r = await (req.method === "POST" ? postHandler : get).fetch(request);
    const headers: Record<string, string> = {};
    r.headers.forEach((value, name) => (headers[name] = value));
    if (o.postStamp !== undefined && req.method === "POST") headers["x-soft-committee-version"] = o.postStamp;
    res.writeHead(r.status, headers);
    const record: Served | undefined = req.url === "/points" ? { points: JSON.parse(body).points.length, status: r.status, lines: [] } : undefined;
    if (record) served.push(record);
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const c = await reader.read();
      if (c.done) break;
      await new Promise((done) => res.write(c.value, done)); // handed to the kernel: sent even if killed next
      if (record && r.status === 200) {
        record.lines.push(...decoder.decode(c.value).split("\n").filter((l) => l !== ""));
        if (o.cut && cuts > 0 && record.lines.length >= o.cut.after) {
          cuts--;
          await reader.cancel();
          if (o.cut.how === "die") {
            server.close();
            server.closeAllConnections();
          }
          if (o.cut.how === "drop") res.socket?.destroy();
          return; // "stall": the answer stays open, nothing more comes
        }
      }
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, served, close: () => { server.close(); server.closeAllConnections(); } };
}

/** scm sweep in a child process without blocking this one (which serves an endpoint). */
function scmAsync(args: string[], secret?: string): Promise<{ status: number; stderr: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["bin/scm.js", ...args], { env: env(secret), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  return new Promise((r) => child.once("exit", (code) => r({ status: code ?? -1, stderr, ms: performance.now() - t0 })));
}

describe("batches cut in the middle", () => {
  // 12 points of 0.163 s estimated each: three fit the default maxWork (0.5 s), so the first batches hold three
  const grid = ["sweep", "ode", "--eta", "0.5:1.6:0.1", "--alpha-max", "60", "--samples", "3"];
  let local: Map<string, string>;
  beforeAll(() => {
    const out = join(tmp(), "local.jsonl");
    const r = scm([...grid, "--workers", "2", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    local = byPoint(readLines(out));
    expect(local.size).toBe(12);
  }, 60_000);

  it("an endpoint killed after the first line of a batch: that line kept as sent, the rest computed elsewhere, each point once, equal to the local sweep", async () => {
    const one = estimateWork("integrate", { alphaMax: 60, samples: 3 }).seconds;
    expect(3 * one).toBeLessThanOrEqual(DEFAULT_LIMITS.maxWork);
    expect(4 * one).toBeGreaterThan(DEFAULT_LIMITS.maxWork);
    const fake = await serveHandler({ cut: { after: 1, how: "die" } });
    try {
      const out = join(tmp(), "remote.jsonl");
      // the served endpoint first: the first batch goes there
      const r = await scmAsync([...grid, "--remote", `${fake.url},${a.url}`, "--concurrency", "2", "--out", out], SECRET);
      expect(r.status, r.stderr).toBe(0);
      const [first] = fake.served;
      expect(first.points).toBe(3); // ceil(12 / (2 x 2)), within maxWork
      expect(first.lines.length).toBe(1); // killed with two points of the batch unanswered
      const lines = readLines(out);
      expect(lines.length).toBe(12);
      expect(new Set(lines.map((l) => canonicalJson(l.options))).size).toBe(12);
      expect(byPoint(lines)).toEqual(local);
      // the answered point was written from the killed endpoint's line (its own timing, not a recomputation)
      const sent = JSON.parse(first.lines[0]);
      const written = readFileSync(out, "utf8").split("\n").filter((l) => l.endsWith(`"result":${sent.result}}`));
      expect(written.length).toBe(1);
      const [, retries] = /\d+ requests, (\d+) retries/.exec(r.stderr)!;
      expect(Number(retries)).toBeGreaterThanOrEqual(2);
      expect(r.stderr).toMatch(/12 points done, 0 failed/);
    } finally {
      fake.close();
    }
  }, 120_000);

  it("an endpoint that stops answering mid-batch: past --timeout without a line the unanswered points are retried, each point once", async () => {
    const fake = await serveHandler({ cut: { after: 1, how: "stall" } });
    try {
      const out = join(tmp(), "remote.jsonl");
      const r = await scmAsync([...grid, "--remote", `${fake.url},${a.url}`, "--concurrency", "2", "--timeout", "1", "--out", out], SECRET);
      expect(r.status, r.stderr).toBe(0);
      expect(fake.served[0].lines.length).toBe(1);
      expect(r.ms).toBeGreaterThan(1000); // the deadline passed once
      const lines = readLines(out);
      expect(lines.length).toBe(12);
      expect(byPoint(lines)).toEqual(local);
      const [, retries] = /\d+ requests, (\d+) retries/.exec(r.stderr)!;
      expect(Number(retries)).toBeGreaterThanOrEqual(2);
    } finally {
      fake.close();
    }
  }, 120_000);

  it("RemoteSweep in process: two endpoints that drop every batch after its first line (its second), resting 1-5 ms: each point written exactly once, equal to a local run", async () => {
    // points retried again and again, taken out of the queue's middle while older retries wait out their back-off
    const flaky = await serveHandler({ cut: { after: 1, how: "drop", batches: Infinity } });
    const good = await serveHandler({ cut: { after: 2, how: "drop", batches: Infinity } });
    try {
      const points = Array.from({ length: 40 }, (_, i) => {
        const options = { alphaMax: 0.5, samples: 2, learningRate: 0.05 * (i + 1) };
        return { key: `ode ${canonicalJson(options)}`, command: "ode", options };
      });
      const endpoints = await connectEndpoints([flaky.url, good.url], undefined, 10_000, () => undefined);
      const writes = new Map<string, string[]>();
      const sweep = new RemoteSweep(endpoints, { concurrency: 4, timeoutMs: 10_000, retries: 100, secret: undefined, maxWork: 600, backoffMs: 1, maxBackoffMs: 5 }, {
        write: (p, outcome) => writes.set(p.key, [...(writes.get(p.key) ?? []), "result" in outcome ? outcome.result : outcome.error]),
        runLocal: () => Promise.reject(new Error("no point is too large here")),
        message: () => undefined,
      });
      const stats = await sweep.run(points);
      expect(stats.lost).toEqual([]);
      expect(writes.size).toBe(40);
      for (const p of points) {
        expect(writes.get(p.key)!.length, p.key).toBe(1);
        expect(untimed(JSON.parse(writes.get(p.key)![0]))).toEqual(untimed(JSON.parse(runPoint("ode", p.options, { maxWork: 600 }))));
      }
      // both kept getting batches (they rest 1-5 ms) and cut them; every unanswered point was sent again
      const served = [...flaky.served, ...good.served];
      expect(flaky.served.filter((b) => b.points > b.lines.length).length).toBeGreaterThanOrEqual(3);
      expect(good.served.filter((b) => b.points > b.lines.length).length).toBeGreaterThanOrEqual(3);
      expect(stats.retries).toBe(served.reduce((n, b) => n + b.points - b.lines.length, 0));
    } finally {
      flaky.close();
      good.close();
    }
  }, 120_000);

  it("RemoteSweep in process: batches hold at most MAX_BATCH_POINTS points, fewer towards the end", async () => {
    const edge = await serveHandler();
    try {
      const points = Array.from({ length: 600 }, (_, i) => {
        const options = { alphaMax: 0.01, samples: 2, learningRate: 0.001 * (i + 1) };
        return { key: `ode ${canonicalJson(options)}`, command: "ode", options };
      });
      expect(MAX_BATCH_POINTS * estimateWork("integrate", points[0].options).seconds).toBeLessThan(DEFAULT_LIMITS.maxWork);
      const endpoints = await connectEndpoints([edge.url], undefined, 10_000, () => undefined);
      const written = new Set<string>();
      const sweep = new RemoteSweep(endpoints, { concurrency: 1, timeoutMs: 10_000, retries: 0, secret: undefined, maxWork: 600 }, {
        write: (p) => written.add(p.key),
        runLocal: () => Promise.reject(new Error("no point is too large here")),
        message: () => undefined,
      });
      const stats = await sweep.run(points);
      expect(written.size).toBe(600);
      // guided sizes: ceil(600 / 2) capped at 256, then ceil(344 / 2) = 172, 86, 43, ...
      expect(edge.served.map((b) => b.points).slice(0, 4)).toEqual([256, 172, 86, 43]);
      expect(edge.served.reduce((n, b) => n + b.points, 0)).toBe(600);
      expect(stats.requests).toBe(edge.served.length);
    } finally {
      edge.close();
    }
  }, 120_000);

  it("an endpoint whose batch answers carry another version stamp is dropped; its points are computed elsewhere; a rerun finds every point done", async () => {
    const fake = await serveHandler({ postStamp: "0.0.0+0123456789abcdef" });
    try {
      const out = join(tmp(), "remote.jsonl");
      const args = [...grid, "--remote", `${fake.url},${a.url}`, "--concurrency", "2", "--out", out];
      const r = await scmAsync(args, SECRET);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/dropped: it now answers as 0\.0\.0\+0123456789abcdef, not /);
      expect(fake.served.length).toBeGreaterThanOrEqual(1);
      expect(byPoint(readLines(out))).toEqual(local);
      const again = await scmAsync(args, SECRET);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/12 already in .*, 0 to run/);
    } finally {
      fake.close();
    }
  }, 120_000);

  it("every batch within maxWork; a batch refused whole (the endpoint takes less than it advertised) goes point by point", async () => {
    const one = estimateWork("integrate", { alphaMax: 60, samples: 3 }).seconds;
    // advertises 0.5 s (batches of three), takes 1.5 points' work per request
    const fake = await serveHandler({ getLimit: 0.5, postLimit: 1.5 * one });
    try {
      const out = join(tmp(), "remote.jsonl");
      const r = await scmAsync([...grid, "--remote", fake.url, "--concurrency", "2", "--out", out]);
      expect(r.status, r.stderr).toBe(0);
      expect(byPoint(readLines(out))).toEqual(local);
      for (const b of fake.served) expect(b.points * one).toBeLessThanOrEqual(0.5 + 1e-12);
      expect(fake.served.some((b) => b.points > 1 && b.status === 400)).toBe(true);
      const answered = fake.served.filter((b) => b.status === 200);
      expect(answered.every((b) => b.points === 1)).toBe(true);
      expect(answered.length).toBe(12);
    } finally {
      fake.close();
    }
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
