// Plain-TypeScript port of assembly/optlr/gram.ts (the optimal learning rate of a single-layer
// network, docs/theory.md section 6): the same loops on Float64Array buffers, for the benchmark bench/optlr.ts.
// Layout of the inputs as in the kernel: W (n1 x n0), b, X (M x n0), Y (M x n1), row-major.

export interface PlainOptlr { num: number; den: number; loss: number; kink: number }

export function plainOptimalRate(W: Float64Array, b: Float64Array, X: Float64Array, Y: Float64Array, M: number, n0: number, n1: number, act: number, slope: number, method: number): PlainOptlr {
  const Z = new Float64Array(M * n1), D = new Float64Array(M * n1), V = new Float64Array(M * n1), U = new Float64Array(M * n1);
  let loss = 0;
  for (let i = 0; i < M; i++)
    for (let k = 0; k < n1; k++) {
      let z = b[k];
      for (let l = 0; l < n0; l++) z += W[k * n0 + l] * X[i * n0 + l];
      const d = act === 0 ? (z > 0 ? 1 : 0) : act === 1 ? (z > 0 ? 1 : slope) : 1;
      const s = act === 2 ? z : z > 0 ? z : d * z;
      const e = s - Y[i * n1 + k];
      loss += e * e;
      Z[i * n1 + k] = z;
      D[i * n1 + k] = d;
      V[i * n1 + k] = d * e;
    }
  loss /= 2 * M;
  const inv = 1 / M;
  let num = 0;
  if (method === 0) {
    for (let i = 0; i < M; i++) {
      let gii = 1;
      for (let l = 0; l < n0; l++) gii += X[i * n0 + l] * X[i * n0 + l];
      let vv = 0;
      for (let k = 0; k < n1; k++) {
        vv += V[i * n1 + k] * V[i * n1 + k];
        U[i * n1 + k] += gii * V[i * n1 + k];
      }
      num += gii * vv;
      let rowNum = 0;
      for (let j = i + 1; j < M; j++) {
        let g = 1;
        for (let l = 0; l < n0; l++) g += X[i * n0 + l] * X[j * n0 + l];
        let s = 0;
        for (let k = 0; k < n1; k++) {
          const a = V[i * n1 + k], c = V[j * n1 + k];
          s += a * c;
          U[i * n1 + k] += g * c;
          U[j * n1 + k] += g * a;
        }
        rowNum += g * s;
      }
      num += 2 * rowNum;
    }
    num *= inv * inv;
    for (let k = 0; k < M * n1; k++) U[k] *= inv;
  } else {
    const gW = new Float64Array(n1 * n0), gb = new Float64Array(n1);
    for (let j = 0; j < M; j++)
      for (let k = 0; k < n1; k++) {
        const v = V[j * n1 + k];
        if (v === 0) continue;
        gb[k] += v;
        for (let l = 0; l < n0; l++) gW[k * n0 + l] += v * X[j * n0 + l];
      }
    for (let k = 0; k < n1 * n0; k++) gW[k] *= inv;
    for (let k = 0; k < n1; k++) gb[k] *= inv;
    for (let k = 0; k < n1 * n0; k++) num += gW[k] * gW[k];
    for (let k = 0; k < n1; k++) num += gb[k] * gb[k];
    for (let i = 0; i < M; i++)
      for (let k = 0; k < n1; k++) {
        let u = gb[k];
        for (let l = 0; l < n0; l++) u += gW[k * n0 + l] * X[i * n0 + l];
        U[i * n1 + k] = u;
      }
  }
  let den = 0, kink = Infinity;
  for (let ik = 0; ik < M * n1; ik++) {
    const u = U[ik], du = D[ik] * u;
    den += du * du;
    if (act !== 2 && u !== 0) {
      const a = Z[ik] / u;
      if (a > 0 && a < kink) kink = a;
      else if (Z[ik] === 0 && u < 0) kink = 0;
    }
  }
  return { num, den: den * inv, loss, kink };
}
