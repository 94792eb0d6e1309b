// The version stamp of a sweep point: the package version and the hash of the WebAssembly core
// that computed it. Every line of a sweep file carries it, the edge sends it with each answer, and
// resuming, merging and remote endpoints refuse points of another stamp (their numbers may differ).
import { BUILD } from "../core/build.generated";

export interface VersionStamp {
  /** package.json version. */
  package: string;
  /** First 16 hex digits of the SHA-256 of the release WebAssembly core. */
  core: string;
}

/** The stamp of this build. */
export const VERSION_STAMP: VersionStamp = Object.freeze({ package: BUILD.package, core: BUILD.core });

/** "0.1.0+01ef39d991623fb0": the stamp in one word (HTTP header, messages). */
export const stampText = (v: VersionStamp) => `${v.package}+${v.core}`;

/** The stamp of a "package+core" word, or undefined when it is not one. */
export function parseStamp(text: string | null | undefined): VersionStamp | undefined {
  const m = /^([^+\s]+)\+([0-9a-f]{16})$/.exec(text ?? "");
  return m ? { package: m[1], core: m[2] } : undefined;
}

export const sameStamp = (a: VersionStamp | undefined, b: VersionStamp | undefined) => a !== undefined && b !== undefined && a.package === b.package && a.core === b.core;
