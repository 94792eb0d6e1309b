// Parsing of option values given as text (CLI flags, URL query parameters). Runtime-neutral:
// used by the Node CLI and the edge entry. Errors name the option, the value and what is accepted.

/** Bad option text; `option` is the option's name (without "--") when one is to blame. */
export class CliError extends Error {
  constructor(message: string, readonly option?: string) {
    super(message);
  }
}

export function parseNumber(option: string, text: string | undefined, opts: { integer?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(x)) throw new CliError(`--${option} must be a finite number; got ${JSON.stringify(text)}`, option);
  if (opts.integer && !Number.isInteger(x)) throw new CliError(`--${option} must be an integer; got ${JSON.stringify(text)}`, option);
  return x;
}

export function parseList(option: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").map((s, i) => {
    const x = Number(s.trim());
    if (s.trim() === "" || !Number.isFinite(x)) throw new CliError(`--${option} must be a comma-separated list of finite numbers; entry ${i + 1} is ${JSON.stringify(s)}`, option);
    return x;
  });
}

/** A matrix spec: "1,0;0,2" (rows separated by ';'), "diag:1,2", "eye", "c*eye" or "zeros". */
export type MatrixSpec = { kind: "explicit"; rows: number[][] } | { kind: "diag"; d: number[] } | { kind: "scaledEye"; c: number } | { kind: "zeros" };

export function parseMatrix(option: string, text: string | undefined): MatrixSpec | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const accepted = `accepted: rows separated by ';' ("1,0;0,2"), "diag:1,2", "eye", "0.5*eye" or "zeros"`;
  if (t === "eye") return { kind: "scaledEye", c: 1 };
  if (t === "zeros") return { kind: "zeros" };
  const scaled = /^(.+)\*eye$/.exec(t);
  if (scaled) {
    const c = Number(scaled[1]);
    if (!Number.isFinite(c)) throw new CliError(`--${option}: ${JSON.stringify(text)} is not a valid matrix; ${accepted}`, option);
    return { kind: "scaledEye", c };
  }
  if (t.startsWith("diag:")) return { kind: "diag", d: parseList(option, t.slice(5))! };
  const rows = t.split(";").map((r, i) =>
    r.split(",").map((s, j) => {
      const x = Number(s.trim());
      if (s.trim() === "" || !Number.isFinite(x)) throw new CliError(`--${option}: entry (${i + 1},${j + 1}) is ${JSON.stringify(s)}, not a finite number; ${accepted}`, option);
      return x;
    }),
  );
  const n = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== n) throw new CliError(`--${option}: row ${i + 1} has ${r.length} entries but row 1 has ${n}; every row needs the same length`, option);
  });
  return { kind: "explicit", rows };
}

export function specShape(s: MatrixSpec | undefined): [number, number] | undefined {
  if (!s) return undefined;
  if (s.kind === "explicit") return [s.rows.length, s.rows[0].length];
  if (s.kind === "diag") return [s.d.length, s.d.length];
  return undefined;
}

export function expandMatrix(option: string, s: MatrixSpec, rows: number, cols: number): number[][] {
  const m = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  switch (s.kind) {
    case "explicit":
      if (s.rows.length !== rows || s.rows[0].length !== cols) throw new CliError(`--${option} must be ${rows} x ${cols}; got ${s.rows.length} x ${s.rows[0].length}`, option);
      return s.rows;
    case "diag":
      if (s.d.length !== Math.min(rows, cols)) throw new CliError(`--${option} must be ${rows} x ${cols}; diag:... gave ${s.d.length} diagonal entries`, option);
      s.d.forEach((x, i) => (m[i][i] = x));
      return m;
    case "scaledEye":
      for (let i = 0; i < Math.min(rows, cols); i++) m[i][i] = s.c;
      return m;
    case "zeros":
      return m;
  }
}
