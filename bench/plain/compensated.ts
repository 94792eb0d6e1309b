// Plain-TypeScript port of assembly/gauss/compensated.ts (the benchmark baseline does the same arithmetic).
const SPLITTER = 134217729.0;

function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

export function det2(a: number, d: number, b: number, c: number): number {
  const p = a * d, q = b * c;
  const plain = p - q;
  if (Math.abs(plain) >= 0.5 * Math.max(Math.abs(p), Math.abs(q))) return plain;
  return plain + (productError(a, d, p) - productError(b, c, q));
}

export function conditionalCovariance(akl: number, akj: number, ajl: number, ajj: number, ratio = akj / ajj): number {
  const plain = akl - ratio * ajl;
  if (Math.abs(plain) >= 0.5 * Math.abs(akl)) return plain;
  return det2(akl, ajj, akj, ajl) / ajj;
}

export function asinOfCovariance(aa: number, ab: number, bb: number): number {
  const det = det2(aa, bb, ab, ab);
  const ab2 = aa * bb;
  if (det >= 0.0009765625 * ab2) return Math.asin(ab / Math.sqrt(ab2));
  return Math.atan2(ab, Math.sqrt(det > 0.0 ? det : 0.0));
}
