// The edge's authenticated mode: with a shared secret configured (the SCM_EDGE_SECRET binding:
// a text or environment binding in workerd's config, a secret on Cloudflare Workers), every request
// must carry `authorization: Bearer <secret>`; without one the edge is open. The comparison takes
// the same time whatever the header holds: both sides are hashed (SHA-256) and the digests compared
// in full, so neither a prefix nor the secret's length can be timed.

/** The binding (and environment variable) holding the secret. */
export const SECRET_BINDING = "SCM_EDGE_SECRET";

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Whether `given` equals `secret`, in time independent of where they differ. */
export async function secretMatches(given: string, secret: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(secret)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** null when the request may proceed; else the 401 answer. */
export async function authorize(request: Request, secret: string | null | undefined): Promise<Response | null> {
  if (secret === undefined || secret === null || secret === "") return null;
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (m && (await secretMatches(m[1], secret))) return null;
  const body = { error: m ? "the secret in the authorization header is wrong" : `this endpoint needs the header "authorization: Bearer <secret>" (the secret this deployment was configured with)` };
  return new Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json; charset=utf-8", "www-authenticate": 'Bearer realm="soft-committee"' } });
}
