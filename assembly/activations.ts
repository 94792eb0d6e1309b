// Activation codes: one table for every kernel (the ODE's averages, the SGD simulation, the
// optimal-learning-rate kernel). The host reads this file at build time (scripts/contract.mjs
// writes src/core/exports.generated.ts), so a code is declared here and nowhere else.
// Which activations a kernel accepts is the host's business; a code without an implementation
// in some kernel is only reserved there.
export const ACT_RELU: i32 = 0;
export const ACT_ERF: i32 = 1;
export const ACT_LINEAR: i32 = 2;
export const ACT_LEAKY_RELU: i32 = 3;
export const ACT_ABS: i32 = 4;
export const ACT_SQUARE: i32 = 5;
export const ACT_HERMITE2: i32 = 6;
export const ACT_HERMITE3: i32 = 7;
export const ACT_HERMITE4: i32 = 8;
export const ACT_TANH: i32 = 9;
export const ACT_SIGMOID: i32 = 10;
export const ACT_GELU: i32 = 11;
export const ACT_SILU: i32 = 12;
export const ACT_SOFTPLUS: i32 = 13;
/** A user polynomial given by its Hermite coefficients. */
export const ACT_HERMITE_COEFFICIENTS: i32 = 14;
