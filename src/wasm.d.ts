declare module "*.wasm" {
  const content: Uint8Array | WebAssembly.Module;
  export default content;
}
