// POST /point: one point of `scm sweep --remote`, computed by the same code as a local sweep's
// worker thread (src/sweep/points.ts), so its answer is the line's result text bit for bit. The
// body is {"command", "options"} (the API options of the point, as the CLI parsed them), or for
// an SGD point split by runs {"command": "sgd", "options", "firstRun", "count"} (answer: the raw
// runs, which the client aggregates as simulateSync does). A point is whole or refused: the
// work limit is applied with workLimitAction "refuse" (400 with the estimate), never truncated.
import { isOptionError, WorkLimitError } from "../core/errors";
import { POINT_RUNNERS, runPoint, runSgdRuns } from "../sweep/points";
import { stampText, VERSION_STAMP } from "../sweep/version";

export const POINT_PATH = "/point";
/** Header carrying the version stamp (package + core hash) of the build that answered. */
export const VERSION_HEADER = "x-soft-committee-version";
/** Largest request body accepted (bytes). */
export const MAX_POINT_BODY = 1 << 22;

const answer = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "application/json; charset=utf-8", [VERSION_HEADER]: stampText(VERSION_STAMP) } });
const fail = (status: number, body: object) => answer(status, JSON.stringify(body));

interface PointRequest { command?: unknown; options?: unknown; firstRun?: unknown; count?: unknown }

export async function point(request: Request, maxWork: number): Promise<Response> {
  if (request.method !== "POST") return new Response(JSON.stringify({ error: `method ${request.method} not allowed on ${POINT_PATH}; use POST with a JSON body {command, options}` }), { status: 405, headers: { "content-type": "application/json; charset=utf-8", allow: "POST" } });
  const text = await request.text();
  if (text.length > MAX_POINT_BODY) return fail(413, { error: `the body must be at most ${MAX_POINT_BODY} bytes; got ${text.length}` });
  let body: PointRequest;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(400, { error: "the body must be JSON: {command, options}" });
  }
  if (body === null || typeof body !== "object" || typeof body.command !== "string" || !(body.command in POINT_RUNNERS) || body.options === null || typeof body.options !== "object" || Array.isArray(body.options))
    return fail(400, { error: `the body must be {command, options} with command one of ${Object.keys(POINT_RUNNERS).join(", ")} and options an object` });
  const split = body.firstRun !== undefined || body.count !== undefined;
  if (split && body.command !== "sgd") return fail(400, { error: "firstRun and count split sgd points only" });
  const control = { maxWork, workLimitAction: "refuse" as const };
  try {
    const result = split ? runSgdRuns(body.options as object, body.firstRun as number, body.count as number, control) : runPoint(body.command, body.options, control);
    return answer(200, result);
  } catch (err) {
    const e = err as Error;
    if (err instanceof WorkLimitError) return fail(400, { error: e.message, estimate: err.estimate, maxWork });
    // what a local run would have written for the point: the error's name and message
    if (isOptionError(err) || err instanceof RangeError || err instanceof TypeError) return fail(422, { name: e.name, error: e.message });
    return fail(500, { error: `internal error: ${e?.message ?? String(err)}` });
  }
}
