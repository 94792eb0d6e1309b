// Matrices written as text: "1,0;0,2" (rows separated by ';'), "diag:1,2", "eye", "0.5*eye" or
// "zeros". The text is parsed on its own (syntax), and expanded once the shape is known (K x K,
// K x M, M x M), since "eye" and "zeros" fit any shape.
import { OptionError, OptionTypeError } from "../core/errors";

export type MatrixSpec = { kind: "explicit"; rows: number[][] } | { kind: "diag"; d: number[] } | { kind: "scaledEye"; c: number } | { kind: "zeros" };

export const MATRIX_SYNTAX = `rows separated by ";" ("1,0;0,2"), "diag:1,2", "eye", "0.5*eye" or "zeros"`;

const finite = (s: string) => {
  const t = s.trim();
  const x = t === "" ? NaN : Number(t);
  return Number.isFinite(x) ? x : undefined;
};

/** The syntax of a matrix; `option` is the API name the errors carry. */
export function parseMatrix(option: string, text: string): MatrixSpec {
  const t = text.trim();
  const bad = (reason: string) => new OptionTypeError({ option, value: text, accepted: `a matrix: ${MATRIX_SYNTAX}`, reason });
  if (t === "eye") return { kind: "scaledEye", c: 1 };
  if (t === "zeros") return { kind: "zeros" };
  const scaled = /^(.+)\*\s*eye$/.exec(t);
  if (scaled) {
    const c = finite(scaled[1]);
    if (c === undefined) throw bad(`must be a matrix (${MATRIX_SYNTAX}); got ${JSON.stringify(text)}: ${JSON.stringify(scaled[1].trim())} is not a finite number`);
    return { kind: "scaledEye", c };
  }
  if (t.startsWith("diag:")) {
    const d = t.slice(5).split(",").map((s, i) => {
      const x = finite(s);
      if (x === undefined) throw bad(`must be a matrix (${MATRIX_SYNTAX}); got ${JSON.stringify(text)}: diag entry ${i + 1} is ${JSON.stringify(s)}, not a finite number`);
      return x;
    });
    return { kind: "diag", d };
  }
  const rows = t.split(";").map((r, i) =>
    r.split(",").map((s, j) => {
      const x = finite(s);
      if (x === undefined) throw bad(`must be a matrix (${MATRIX_SYNTAX}); got ${JSON.stringify(text)}: entry (${i + 1},${j + 1}) is ${JSON.stringify(s)}, not a finite number`);
      return x;
    }),
  );
  const n = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== n) throw bad(`must have rows of equal length; got ${JSON.stringify(text)}: row ${i + 1} has ${r.length} entries but row 1 has ${n}`);
  });
  return { kind: "explicit", rows };
}

/** Rows and columns the text fixes by itself (explicit and diag); undefined for eye and zeros. */
export function specShape(s: MatrixSpec | undefined): [number, number] | undefined {
  if (!s) return undefined;
  if (s.kind === "explicit") return [s.rows.length, s.rows[0].length];
  if (s.kind === "diag") return [s.d.length, s.d.length];
  return undefined;
}

/** The matrix at its shape; a shape the text contradicts is an OptionError naming `option`. */
export function expandMatrix(option: string, s: MatrixSpec, rows: number, cols: number, value?: unknown): number[][] {
  const m = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  const wrong = (got: string) => new OptionError({ option, value: value ?? s, accepted: `a ${rows} x ${cols} matrix`, reason: `must be ${rows} x ${cols}; ${got}` });
  switch (s.kind) {
    case "explicit":
      if (s.rows.length !== rows || s.rows[0].length !== cols) throw wrong(`got ${s.rows.length} x ${s.rows[0].length}`);
      return s.rows.map((r) => [...r]);
    case "diag":
      if (s.d.length !== Math.min(rows, cols)) throw wrong(`diag:... gave ${s.d.length} diagonal entries`);
      s.d.forEach((x, i) => (m[i][i] = x));
      return m;
    case "scaledEye":
      for (let i = 0; i < Math.min(rows, cols); i++) m[i][i] = s.c;
      return m;
    case "zeros":
      return m;
  }
}

/** The text of a matrix (inverse of parseMatrix up to number formatting). */
export function matrixText(A: readonly (readonly number[])[]): string {
  return A.map((r) => r.join(",")).join(";");
}
