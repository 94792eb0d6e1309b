// The test build of the core (build/test.wasm: the release exports plus kernels that only
// tests reach, asconfig target "test"), one fresh instance per call.
import wasm from "../build/test.wasm";
import { createInstanceOf, type CoreInstance } from "../src/core/engine";
import { TEST_EXPORT_NAMES, type TestExports } from "./core.generated";

let module: WebAssembly.Module | undefined;

export function testCore(): CoreInstance<TestExports> {
  module ??= new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  return createInstanceOf<TestExports>(module, TEST_EXPORT_NAMES, "soft-committee test core");
}
