// Files the CLI writes (--out, --plot, --out-dir): checked before any work (the folder exists or
// can be made, is a folder and writable; the extension names a known format), then written to a
// temporary name in the same folder and renamed, so that a failure or Ctrl-C never leaves half a
// file. Device files and pipes (/dev/stdout, /dev/null, a FIFO) are written directly.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

/** A file that cannot be written, named by the flag that asked for it. */
export class OutputError extends Error {
  constructor(readonly flag: string, readonly path: string, detail: string) {
    super(`${flag} ${path}: ${detail}`);
    this.name = "OutputError";
  }
}

/** Suffix of temporary files of this process: a Ctrl-C handler removes what is left of them. */
export const TEMP_SUFFIX = `.${process.pid}.scm-tmp`;

const reason = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: "no space left on the device", EACCES: "permission denied", EPERM: "operation not permitted", EROFS: "read-only file system",
    ENOTDIR: "a part of the path is not a folder", EISDIR: "it is a folder", ENOENT: "no such file or folder", EEXIST: "exists and is not a folder",
    EDQUOT: "disk quota exceeded", EIO: "input/output error", ENAMETOOLONG: "file name too long", ELOOP: "too many symbolic links",
  };
  return e?.code ? `${words[e.code] ?? e.code.toLowerCase()} (${e.code})` : String((err as Error)?.message ?? err);
};

/** The nearest existing ancestor of a path (the path itself if it exists). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

const isRegularTarget = (path: string) => !existsSync(path) || statSync(path).isFile();

/** A folder that will hold files: existing and writable, or creatable under a writable folder. */
export function checkFolder(flag: string, folder: string, shown = folder): void {
  const near = existingAncestor(folder);
  let st;
  try {
    st = statSync(near);
  } catch (err) {
    throw new OutputError(flag, shown, `cannot use ${near}: ${reason(err)}`);
  }
  if (!st.isDirectory()) throw new OutputError(flag, shown, `${near === resolve(shown) ? "it exists and" : near} is not a folder`);
  try {
    accessSync(near, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new OutputError(flag, shown, `cannot write in ${near}: ${reason(err)}`);
  }
}

/** A file to be written: not a folder, writable if it exists, its folder usable. */
export function checkFile(flag: string, path: string): void {
  if (path === "") throw new OutputError(flag, '""', "an empty file name");
  if (existsSync(path)) {
    const st = statSync(path);
    if (st.isDirectory()) throw new OutputError(flag, path, "is a folder; give a file name");
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      throw new OutputError(flag, path, `cannot write: ${reason(err)}`);
    }
    if (!st.isFile()) return; // a device or a pipe: written directly
  }
  checkFolder(flag, dirname(path), path);
}

/** Writes `data` to `path` whole or not at all (a temporary file renamed over it). */
export function writeWhole(flag: string, path: string, data: string | Uint8Array): void {
  try {
    if (!isRegularTarget(path)) {
      writeFileSync(path, data);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}${TEMP_SUFFIX}`);
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  } catch (err) {
    throw new OutputError(flag, path, `cannot write: ${reason(err)}`);
  }
}

/** Removes temporary files of this process left in these folders (after an interruption). */
export function removeTemporaries(folders: Iterable<string>): void {
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith(TEMP_SUFFIX)) rmSync(join(folder, n), { force: true });
  }
}

/** Output formats by file extension; "" (no extension) and device files take --format. */
export const EXTENSION_FORMATS: Record<string, "json" | "csv" | "table"> = { ".json": "json", ".csv": "csv", ".txt": "table" };

/** The format a file gets: from its extension, else `fallback`; an unknown extension is refused. */
export function formatOfPath(flag: string, path: string, fallback: "json" | "csv" | "table", allowed: readonly string[]): "json" | "csv" | "table" {
  const ext = extname(path).toLowerCase();
  const known = Object.entries(EXTENSION_FORMATS).filter(([, f]) => allowed.includes(f));
  const list = known.map(([e, f]) => `${e} (${f})`).join(", ");
  if (ext === "" || (existsSync(path) && !statSync(path).isFile())) return fallback;
  const f = EXTENSION_FORMATS[ext];
  if (!f || !allowed.includes(f)) throw new OutputError(flag, path, `the format follows the extension, and ${ext} is not one of ${list} (a name without extension takes --format)`);
  return f;
}

/** A figure file: .svg only. */
export function checkSvg(flag: string, path: string): void {
  if (extname(path).toLowerCase() !== ".svg") throw new OutputError(flag, path, `figures are written as SVG: the name must end in .svg${extname(path) ? `, not ${extname(path)}` : ""}`);
  checkFile(flag, path);
}
