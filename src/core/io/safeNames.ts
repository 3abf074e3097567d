// Owns the file-name safety rule: how a document id (from a PubTator header or an input path) becomes a file name
// that stays inside the output folder on every operating system, and when two names are the same file.
import * as nodePath from 'node:path';

/** The path functions the rule needs; `node:path` on this machine, `path.win32` / `path.posix` in tests. */
export type PathModule = Pick<typeof nodePath, 'join' | 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/** Longest segment kept, in UTF-16 units; leaves room for an extension and the temp suffix under the usual 255 limit. */
const MAX_SEGMENT = 150;
/** Device names Windows reserves in every folder, with or without an extension (CON, CON.txt, com1.json). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * One path segment made safe: characters that are special on any file system (`/ \ : * ? " < > |`, controls) become
 * `_`, a leading dot becomes `_` (no hidden files, no `.` or `..`), trailing dots and spaces (which Windows drops)
 * become `_`, Windows device names get a `_` prefix, and the result is cut to 150 characters. Never empty.
 */
export function safeSegment(raw: string): string {
  let s = raw.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_');
  s = s.replace(/^\./, '_').replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  if (s.length > MAX_SEGMENT) s = s.slice(0, MAX_SEGMENT);
  return s === '' ? '_' : s;
}

/**
 * A document id as a relative output path: split at `/` and `\`, segments that are empty, `.` or `..` dropped (so
 * `../../CMakeLists` is `CMakeLists` and `C:\x` is `C_/x`), each remaining segment passed through {@link safeSegment}.
 * The result always stays inside whatever folder it is joined to.
 */
export function safeRelativeName(id: string): string[] {
  const parts = id.split(/[\\/]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.length === 0 ? ['_'] : parts.map(safeSegment);
}

/**
 * The key under which two output paths are the same file: case folded and NFC-normalised, since Windows and macOS
 * file systems treat `A.txt` and `a.txt` (and the two Unicode spellings of `é`) as one file.
 */
export function collisionKey(relativePath: string): string {
  return relativePath
    .normalize('NFC')
    .toLowerCase()
    .split(/[\\/]+/)
    .join('/');
}

/** True when `target` is `root` itself or lies under it (both resolved with the given path module). */
export function isInside(root: string, target: string, path: PathModule = nodePath): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The output file for a document id and an extension (with its dot), checked to stay inside `outDir`. */
export function outputPathFor(outDir: string, id: string, extension: string, path: PathModule = nodePath): string {
  const parts = safeRelativeName(id);
  // safeSegment already prefixed device names with any extension (NUL.tar), so appending one keeps the name safe.
  parts[parts.length - 1] += extension;
  const target = path.join(outDir, ...parts);
  // Defence in depth: the segments above cannot climb, but a future change to them must not silently start to.
  if (!isInside(outDir, target, path) || path.resolve(target) === path.resolve(outDir)) {
    throw new Error(`internal: ${JSON.stringify(id)} mapped outside ${outDir}`);
  }
  return target;
}
