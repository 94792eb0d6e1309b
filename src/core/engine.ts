// The WebAssembly core: compiled once per process (cached), instantiated once per problem.
//
// Each public function takes a CoreInstance of its own (withInstance / acquireInstance): its
// memory, its model (K, M, T, v, v*, learning rate, activations) and its workspace belong to
// that problem alone, so two problems can be interleaved (an OrderParameterSystem kept by a
// continuation next to an integrate() call, a progress callback that starts another
// computation) without one overwriting the other. Instantiating the compiled module takes
// ~0.2 ms, a thousand times a scalar average's cost, so finished instances of modest size wait
// in a small idle pool for the next call; every kernel call sets the whole configuration it
// uses, so a pooled instance carries nothing over that could change a result.
//
// Each runtime has its own loader (src/index*.ts) and registers it here: this file only
// accepts a WebAssembly.Module or the module's bytes.
import { OptionError } from "./errors";
import { CORE_EXPORT_NAMES, type CoreExports } from "./exports.generated";

/** A compiled WebAssembly module of the core, or its bytes (compiled on first use). */
export type WasmSource = WebAssembly.Module | BufferSource;

const imports = { env: { abort: () => { throw new Error("soft-committee core aborted"); } } };

/**
 * Fails with a clear message when the module's exports differ from the contract the host was
 * built against (assembly/index.ts, read by scripts/contract.mjs at build time).
 */
export function checkExports(module: WebAssembly.Module, expected: readonly string[], what = "soft-committee core"): void {
  const have = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const want = new Set(expected);
  const missing = expected.filter((n) => !have.has(n));
  const extra = [...have].filter((n) => !want.has(n));
  if (missing.length === 0 && extra.length === 0) return;
  const parts: string[] = [];
  if (missing.length) parts.push(`missing export${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (extra.length) parts.push(`unexpected export${extra.length > 1 ? "s" : ""} ${extra.join(", ")}`);
  throw new Error(`${what}: the WebAssembly module does not match the exports contract (${parts.join("; ")}); rebuild with npm run build`);
}

const checked = new WeakSet<WebAssembly.Module>();

/** One instance of the core with typed views on its memory. */
export class CoreInstance<X extends CoreExports = CoreExports> {
  /** The instance's exports, typed by the contract (src/core/exports.generated.ts). */
  readonly exports: X;
  /** The compiled module, handed to simulation workers so they need not compile it again. */
  readonly module: WebAssembly.Module;
  private view: Float64Array;

  constructor(module: WebAssembly.Module, instance: WebAssembly.Instance) {
    this.module = module;
    this.exports = instance.exports as unknown as X;
    this.view = new Float64Array(this.exports.memory.buffer);
  }

  /** Float64 view of the whole memory, rebuilt when memory.grow detached the old one. */
  get f64(): Float64Array {
    if (this.view.buffer !== this.exports.memory.buffer) this.view = new Float64Array(this.exports.memory.buffer);
    return this.view;
  }

  /** Bytes of WebAssembly memory this instance holds. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Writes a square matrix (n <= 4) into the core's 4x4 argument matrix, identity elsewhere. */
  setArgument(A: ArrayLike<ArrayLike<number>>): void {
    const base = this.exports.argPtr() >> 3;
    const v = this.f64;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) v[base + 4 * i + j] = i < A.length && j < A.length ? A[i][j] : i === j ? 1 : 0;
  }

  /**
   * Lays out the ODE workspace for K students, M teachers and nSamples samples (the state holding
   * v too when trainSecondLayer) and writes the fixed part of the model (T, v, v*). The learning
   * rate and the activations are set by configureModel (and section 9's settings by
   * configureTraining after it), which every caller calls before evaluating anything.
   */
  loadModel(s: { K: number; M: number; T: ArrayLike<ArrayLike<number>>; v: ArrayLike<number>; vStar: ArrayLike<number>; trainSecondLayer?: boolean }, nSamples: number): void {
    const x = this.exports;
    if (x.layout(s.K, s.M, nSamples, s.trainSecondLayer ? 1 : 0) === 0)
      throw new OptionError({ option: "samples", value: nSamples, accepted: `a number of samples that fits in WebAssembly memory at K = ${s.K}, M = ${s.M}`, related: ["K", "M"], reason: `: ${nSamples} samples at K = ${s.K}, M = ${s.M} do not fit in WebAssembly memory; use fewer samples or units` });
    const v = this.f64;
    const t = x.ptrT() >> 3;
    for (let n = 0; n < s.M; n++) for (let m = 0; m < s.M; m++) v[t + n * s.M + m] = s.T[n][m];
    v.set(s.v, x.ptrV() >> 3);
    v.set(s.vStar, x.ptrVs() >> 3);
  }
}

/** The historical name of an instance (createEngine returns one). */
export type Engine = CoreInstance;

function instantiate(module: WebAssembly.Module): CoreInstance {
  if (!checked.has(module)) {
    checkExports(module, CORE_EXPORT_NAMES);
    checked.add(module);
  }
  return new CoreInstance(module, new WebAssembly.Instance(module, imports));
}

/**
 * An instance of another build of the core (the test build) checked against its own contract.
 */
export function createInstanceOf<X extends CoreExports>(source: WasmSource, exportNames: readonly string[], what: string): CoreInstance<X> {
  const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
  checkExports(module, exportNames, what);
  return new CoreInstance<X>(module, new WebAssembly.Instance(module, imports));
}

/** A new instance of the core from a module or its bytes, compiled synchronously when given bytes (simulation workers, custom hosts). */
export function createEngine(source: WasmSource): CoreInstance {
  return instantiate(source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source));
}

/** A new instance of the core, compiled asynchronously when given bytes (preferred in browsers). */
export async function createEngineAsync(source: WasmSource): Promise<CoreInstance> {
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  if (!checked.has(module)) {
    checkExports(module, CORE_EXPORT_NAMES);
    checked.add(module);
  }
  return new CoreInstance(module, await WebAssembly.instantiate(module, imports));
}

// ---------------------------------------------------------------- the compiled module
// An entry point registers how to get the core; the module is compiled once, by the first
// ready() (asynchronously) or, failing that, by the first call (synchronously: Node, workers).
let loader: (() => WasmSource) | undefined;
let compiled: WebAssembly.Module | undefined;
let pending: Promise<WebAssembly.Module> | undefined;
let generation = 0;

const NO_CORE = "soft-committee: no WebAssembly core registered; import the package entry or call useCore()";

function setModule(module: WebAssembly.Module): void {
  checkExports(module, CORE_EXPORT_NAMES);
  checked.add(module);
  compiled = module;
  idle.length = 0;
  generation++;
}

/** Tells the library how to obtain the core; the package entries call it, custom hosts may too. */
export function registerCore(load: () => WasmSource): void {
  loader = load;
  compiled = undefined;
  pending = undefined;
  idle.length = 0;
  generation++;
}

/**
 * Compiles the core asynchronously (preferred in browsers, where synchronous compilation of a
 * large module is refused on the main thread); resolves with the compiled module. Concurrent
 * callers share one compilation.
 */
export function ready(): Promise<WebAssembly.Module> {
  if (compiled) return Promise.resolve(compiled);
  if (!pending) {
    if (!loader) return Promise.reject(new Error(NO_CORE));
    const at = generation;
    const source = loader();
    const p = (source instanceof WebAssembly.Module ? Promise.resolve(source) : WebAssembly.compile(source)).then((m) => {
      if (at === generation && !compiled) setModule(m);
      return compiled ?? m;
    });
    pending = p;
    p.catch(() => { if (pending === p) pending = undefined; });
  }
  return pending;
}

/** The compiled module, compiled synchronously on first use if ready() was not awaited. */
export function coreModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (!loader) throw new Error(NO_CORE);
  const source = loader();
  setModule(source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source));
  return compiled!;
}

/** Uses an already compiled module or bytes for every later call (custom loaders). */
export function useCore(source: WasmSource): void {
  setModule(source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source));
  loader = () => source;
  pending = undefined;
}

// ---------------------------------------------------------------- instances per problem
/** Idle instances kept for reuse, and the largest memory one may hold to be kept. */
const POOL_SIZE = 4;
const POOL_MAX_BYTES = 16 * 2 ** 20;
const idle: CoreInstance[] = [];

/** An instance of its own for one problem (from the idle pool when one waits there). */
export function acquireInstance(): CoreInstance {
  const m = coreModule();
  const i = idle.pop();
  if (i && i.module === m) return i;
  return instantiate(m);
}

/** Hands an instance back to the pool once its problem is finished (its results copied out). */
export function releaseInstance(i: CoreInstance): void {
  if (i.module === compiled && idle.length < POOL_SIZE && i.memoryBytes <= POOL_MAX_BYTES && !idle.includes(i)) idle.push(i);
}

/** Runs f on an instance of its own and returns the instance to the pool afterwards. */
export function withInstance<T>(f: (core: CoreInstance) => T): T {
  const i = acquireInstance();
  const r = f(i);
  releaseInstance(i); // not after a throw: a kernel stopped half-way is not reused
  return r;
}
