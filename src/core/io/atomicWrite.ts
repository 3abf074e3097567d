// Owns how every file BioM writes reaches the disk: a temp file in the same folder, flushed, then renamed or linked
// into place, so a reader never sees half a file and a crash never leaves one.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors';

export interface AtomicWriteOptions {
  /** Replace an existing file. Without it an existing file is kept and a {@link FileExistsError} thrown. */
  overwrite?: boolean;
  mode?: number;
}

/** The target exists and the caller did not ask to replace it; the message says how to proceed. */
export class FileExistsError extends InputError {
  constructor(readonly path: string) {
    super(`${path} already exists: use --force to replace it, or choose another output folder`);
  }
}

/** The temp name used next to `target`: hidden, unique per process and call, recognisable for clean-up. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `target` atomically. Without `overwrite`, the file is published with link(2), which fails when the
 * target exists, so an existing file is never replaced even by a racing writer.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw e;
  }
  closeSync(fd);
  try {
    if (options.overwrite) renameSync(temp, target);
    else {
      try {
        linkSync(temp, target);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new FileExistsError(target);
        // File systems without hard links (FAT, some network shares): check, then rename. A racing writer can
        // still win between the two, which is the best such a file system allows.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
        if (existsSync(target)) throw new FileExistsError(target);
        renameSync(temp, target);
        return;
      }
      unlinkQuietly(temp);
    }
  } catch (e) {
    unlinkQuietly(temp);
    throw e;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
