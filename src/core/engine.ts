// One instantiated WebAssembly core plus typed views on its memory. The core is
// compiled elsewhere (each runtime has its own loader, see src/index*.ts): this file
// only accepts a WebAssembly.Module or the module's bytes.
import type { CoreExports } from "./exports";

/** A compiled WebAssembly module of the core, or its bytes (compiled on first use). */
export type WasmSource = WebAssembly.Module | BufferSource;

export class Engine {
  readonly exports: CoreExports;
  /** The compiled module, handed to simulation workers so they need not compile it again. */
  readonly module: WebAssembly.Module | undefined;
  private view: Float64Array;

  constructor(instance: WebAssembly.Instance, module?: WebAssembly.Module) {
    this.exports = instance.exports as unknown as CoreExports;
    this.module = module;
    this.view = new Float64Array(this.exports.memory.buffer);
  }

  /** Float64 view of the whole memory, rebuilt when memory.grow detached the old one. */
  get f64(): Float64Array {
    if (this.view.buffer !== this.exports.memory.buffer) this.view = new Float64Array(this.exports.memory.buffer);
    return this.view;
  }

  /** Writes a square matrix (n <= 4) into the core's 4x4 argument matrix, identity elsewhere. */
  setArgument(A: ArrayLike<ArrayLike<number>>): void {
    const base = this.exports.argPtr() >> 3;
    const v = this.f64;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) v[base + 4 * i + j] = i < A.length && j < A.length ? A[i][j] : i === j ? 1 : 0;
  }
}

const imports = { env: { abort: () => { throw new Error("soft-committee core aborted"); } } };

/** A new instance of the core from a module or its bytes, compiled synchronously when given bytes. */
export function createEngine(source: WasmSource): Engine {
  const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
  return new Engine(new WebAssembly.Instance(module, imports), module);
}

/** A new instance of the core, compiled asynchronously when given bytes (preferred in browsers). */
export async function createEngineAsync(source: WasmSource): Promise<Engine> {
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  return new Engine(await WebAssembly.instantiate(module, imports), module);
}

// The engine used by the public functions. An entry point registers how to get the
// core; the first call (or ready()) instantiates it once.
let loader: (() => WasmSource) | undefined;
let engine: Engine | undefined;
let pending: Promise<Engine> | undefined;

/** Tells the library how to obtain the core; the package entries call it, custom hosts may too. */
export function registerCore(load: () => WasmSource): void {
  loader = load;
}

/** Instantiates the core asynchronously (preferred in browsers); resolves when ready. */
export function ready(): Promise<Engine> {
  if (engine) return Promise.resolve(engine);
  if (!pending) {
    if (!loader) return Promise.reject(new Error("soft-committee: no WebAssembly core registered; import the package entry or call useCore()"));
    pending = createEngineAsync(loader()).then((e) => (engine = e));
  }
  return pending;
}

/** The shared engine, instantiated synchronously on first use if ready() was not awaited. */
export function getEngine(): Engine {
  if (engine) return engine;
  if (!loader) throw new Error("soft-committee: no WebAssembly core registered; import the package entry or call useCore()");
  engine = createEngine(loader());
  return engine;
}

/** Uses an already compiled module or bytes for every later call (custom loaders). */
export function useCore(source: WasmSource): void {
  engine = createEngine(source);
}
