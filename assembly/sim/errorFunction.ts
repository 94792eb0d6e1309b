// erf(x) by W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; CALERF),
// ~1e-16 relative; AssemblyScript's Math has no erf. Used by the SGD kernel for erf units.


export function erf(x: f64): f64 {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0.0;
    let xnum = 0.185777706184603153 * ysq;
    let xden = ysq;
    xnum = (xnum + 3.1611237438705656) * ysq; xden = (xden + 23.6012909523441209) * ysq;
    xnum = (xnum + 113.864154151050156) * ysq; xden = (xden + 244.024637934444173) * ysq;
    xnum = (xnum + 377.485237685302021) * ysq; xden = (xden + 1282.61652607737228) * ysq;
    return (x * (xnum + 3209.37758913846947)) / (xden + 2844.23683343917062);
  }
  const result = y >= 6.0 ? 0.0 : erfcTail(y); // erfc(6) < 2.2e-17
  const r = 0.5 - result + 0.5;
  return x < 0 ? -r : r;
}

/**
 * erfc(x) = 1 - erf(x) by the same approximations (Cody's CALERF, jint = 1), ~1e-16 relative
 * for x >= 0 down to the underflow near x = 26.5: the normal CDF Phi(x) = erfc(-x / sqrt 2) / 2
 * of the gelu activation keeps its relative accuracy in the lower tail.
 */
export function erfc(x: f64): f64 {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1.0 - erf(x);
  const result = y >= 26.55 ? 0.0 : erfcTail(y);
  return x < 0 ? 2.0 - result : result;
}

/**
 * erfc(y) for y > 0.46875 (Cody's CALERF, jint = 1, without its underflow cutoff): the part that
 * erf and erfc share.
 */
@inline function erfcTail(y: f64): f64 {
  let result: f64;
  if (y <= 4.0) {
    let xnum = 2.15311535474403846e-8 * y;
    let xden = y;
    xnum = (xnum + 0.564188496988670089) * y; xden = (xden + 15.7449261107098347) * y;
    xnum = (xnum + 8.88314979438837594) * y; xden = (xden + 117.693950891312499) * y;
    xnum = (xnum + 66.1191906371416295) * y; xden = (xden + 537.181101862009858) * y;
    xnum = (xnum + 298.635138197400131) * y; xden = (xden + 1621.38957456669019) * y;
    xnum = (xnum + 881.95222124176909) * y; xden = (xden + 3290.79923573345963) * y;
    xnum = (xnum + 1712.04761263407058) * y; xden = (xden + 4362.61909014324716) * y;
    xnum = (xnum + 2051.07837782607147) * y; xden = (xden + 3439.36767414372164) * y;
    result = (xnum + 1230.33935479799725) / (xden + 1230.33935480374942);
  } else {
    const ysq = 1.0 / (y * y);
    let xnum = 0.0163153871373020978 * ysq;
    let xden = ysq;
    xnum = (xnum + 0.305326634961232344) * ysq; xden = (xden + 2.56852019228982242) * ysq;
    xnum = (xnum + 0.360344899949804439) * ysq; xden = (xden + 1.87295284992346047) * ysq;
    xnum = (xnum + 0.125781726111229246) * ysq; xden = (xden + 0.527905102951428412) * ysq;
    xnum = (xnum + 0.0160837851487422766) * ysq; xden = (xden + 0.0605183413124413191) * ysq;
    result = (ysq * (xnum + 0.000658749161529837803)) / (xden + 0.00233520497626869185);
    result = (0.56418958354775628695 - result) / y;
  }
  const ysq = Math.trunc(y * 16.0) / 16.0;
  const del = (y - ysq) * (y + ysq);
  result = Math.exp(-ysq * ysq) * Math.exp(-del) * result;
  return result;
}
