// Owns where `biom annotate` writes: safe names under --out, one file per name, inputs never written, no silent
// overwrite, every write atomic.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { FileExistsError, writeFileAtomic } from '../core/io/atomicWrite';
import { collisionKey, isInside, outputPathFor } from '../core/io/safeNames';

export interface OutputPlanOptions {
  /** Replace existing output files (never input files). */
  force: boolean;
  /** Every input file; none of them is ever written, even with --force or when --out is the input folder. */
  inputs: readonly string[];
  /** One line per renamed document. */
  notice: (line: string) => void;
}

/** The files one `biom annotate` run writes under one output folder. */
export class OutputPlan {
  private readonly root: string;
  private readonly taken = new Map<string, string>();
  private readonly inputKeys: Set<string>;

  constructor(
    outDir: string,
    private readonly options: OutputPlanOptions,
  ) {
    this.root = resolve(outDir);
    this.inputKeys = new Set(options.inputs.map((f) => collisionKey(realOrResolved(f))));
  }

  /**
   * The output base (path without extension) for a document. A second document whose safe name is the same file as an
   * earlier one (same id, `a.txt` and `a.md`, `A` and `a`) gets `-2`, `-3`, … and a notice says so.
   */
  reserve(id: string, source: string, extensions: readonly string[]): string {
    let firstOwner: string | undefined;
    for (let n = 1; ; n++) {
      const paths = extensions.map((ext) => outputPathFor(this.root, n === 1 ? id : `${id}-${n}`, ext));
      const keys = paths.map((p) => collisionKey(relative(this.root, p)));
      const owner = keys.map((k) => this.taken.get(k)).find((o) => o !== undefined);
      if (owner !== undefined) {
        firstOwner ??= owner;
        continue;
      }
      for (const k of keys) this.taken.set(k, source);
      if (firstOwner !== undefined) {
        this.options.notice(
          `${source}: document ${JSON.stringify(id)} has the same output name as one in ${firstOwner}; writing ${relative(this.root, paths[0])}`,
        );
      }
      return paths[0].slice(0, paths[0].length - extensions[0].length);
    }
  }

  /** Refuses, before anything is written, files that exist (without --force) or that are inputs. */
  check(targets: readonly string[]): void {
    for (const target of targets) this.checkOne(target);
  }

  /** Writes the files of one document all-or-nothing as far as the checks go: every target is checked first. */
  write(files: readonly { path: string; data: string }[]): void {
    this.check(files.map((f) => f.path));
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      this.checkParent(file.path);
      writeFileAtomic(file.path, file.data, { overwrite: this.options.force });
    }
  }

  private checkOne(target: string): void {
    const absolute = resolve(target);
    if (!isInside(this.root, absolute)) throw new InputError(`refusing to write ${absolute}: it is outside --out ${this.root}`);
    this.checkParent(absolute);
    const real = join(realOrResolved(dirname(absolute)), basename(absolute));
    if (this.inputKeys.has(collisionKey(real))) {
      throw new InputError(
        `refusing to write ${absolute}: it is one of the input files; choose an --out folder that is not an input folder`,
      );
    }
    if (!this.options.force && existsSync(absolute)) throw new FileExistsError(absolute);
  }

  /** A folder inside --out that is a link to somewhere else would carry the write out of --out. */
  private checkParent(target: string): void {
    let existing = dirname(target);
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    const real = realOrResolved(existing);
    const realRoot = realOrResolved(this.root);
    if (existsSync(this.root) && !isInside(realRoot, real) && !isInside(real, realRoot)) {
      throw new InputError(`refusing to write ${target}: ${existing} leads outside --out ${this.root} (a symbolic link?)`);
    }
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
