// POST /point: one point of `scm sweep --remote`, computed by the same code as a local sweep's
// worker thread (src/sweep/points.ts), so its answer is the line's result text bit for bit. The
// body is {"command", "options"} (the API options of the point, as the CLI parsed them), or for
// an SGD point split by runs {"command": "sgd", "options", "firstRun", "count"} (answer: the raw
// runs, which the client aggregates as simulateSync does). A point is whole or refused: the
// work limit is applied with workLimitAction "refuse" (400 with the estimate), never truncated.
// Several whole points in one request: POST /points (src/edge/points.ts), which answers each
// point as computePoint does here.
import { isOptionError, WorkLimitError } from "../core/errors";
import { POINT_RUNNERS, runPoint, runSgdRuns } from "../sweep/points";
import { stampText, VERSION_STAMP } from "../sweep/version";

export const POINT_PATH = "/point";
/** Header carrying the version stamp (package + core hash) of the build that answered. */
export const VERSION_HEADER = "x-soft-committee-version";
/** Largest request body accepted (bytes). */
export const MAX_POINT_BODY = 1 << 22;

/** The headers of every answer of /point and /points: the version stamp of this build. */
export const stampedHeaders = (contentType: string): Record<string, string> => ({ "content-type": contentType, [VERSION_HEADER]: stampText(VERSION_STAMP) });

const answer = (status: number, body: string) => new Response(body, { status, headers: stampedHeaders("application/json; charset=utf-8") });
export const fail = (status: number, body: object) => answer(status, JSON.stringify(body));

/** Whether a body's entry names a sweep command and gives its options as an object. */
export const isPointBody = <B extends { command?: unknown; options?: unknown }>(b: B | null): b is B & { command: string; options: object } =>
  b !== null && typeof b === "object" && typeof b.command === "string" && b.command in POINT_RUNNERS && b.options !== null && typeof b.options === "object" && !Array.isArray(b.options);

/**
 * One point's outcome as a status and a body: 200 and the result's JSON text; 400 with the
 * estimate (above maxWork: refused whole); 422 with the API's own refusal (what a local line holds); 500.
 */
export function computePoint(command: string, options: object, maxWork: number, split?: { firstRun: number; count: number }): { status: 200; text: string } | { status: 400 | 422 | 500; body: object } {
  const control = { maxWork, workLimitAction: "refuse" as const };
  try {
    return { status: 200, text: split ? runSgdRuns(options, split.firstRun, split.count, control) : runPoint(command, options, control) };
  } catch (err) {
    const e = err as Error;
    if (err instanceof WorkLimitError) return { status: 400, body: { error: e.message, estimate: err.estimate, maxWork } };
    // what a local run would have written for the point: the error's name and message
    if (isOptionError(err) || err instanceof RangeError || err instanceof TypeError) return { status: 422, body: { name: e.name, error: e.message } };
    return { status: 500, body: { error: `internal error: ${e?.message ?? String(err)}` } };
  }
}

interface PointRequest { command?: unknown; options?: unknown; firstRun?: unknown; count?: unknown }

/** The body of a POST as JSON, or the answer refusing it (405, 413, 400). */
export async function readJsonBody(request: Request, path: string, shape: string): Promise<{ body: unknown } | { refused: Response }> {
  if (request.method !== "POST") return { refused: new Response(JSON.stringify({ error: `method ${request.method} not allowed on ${path}; use POST with a JSON body ${shape}` }), { status: 405, headers: { "content-type": "application/json; charset=utf-8", allow: "POST" } }) };
  const text = await request.text();
  if (text.length > MAX_POINT_BODY) return { refused: fail(413, { error: `the body must be at most ${MAX_POINT_BODY} bytes; got ${text.length}` }) };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { refused: fail(400, { error: `the body must be JSON: ${shape}` }) };
  }
}

export async function point(request: Request, maxWork: number): Promise<Response> {
  const read = await readJsonBody(request, POINT_PATH, "{command, options}");
  if ("refused" in read) return read.refused;
  const body = read.body as PointRequest | null;
  if (!isPointBody(body)) return fail(400, { error: `the body must be {command, options} with command one of ${Object.keys(POINT_RUNNERS).join(", ")} and options an object` });
  const split = body.firstRun !== undefined || body.count !== undefined;
  if (split && body.command !== "sgd") return fail(400, { error: "firstRun and count split sgd points only" });
  const r = computePoint(body.command, body.options, maxWork, split ? { firstRun: body.firstRun as number, count: body.count as number } : undefined);
  return r.status === 200 ? answer(200, r.text) : fail(r.status, r.body);
}
