// Owns keeping one document's curation on disk: finding and loading its standoff file, writing it atomically after
// curator actions, noticing when someone else changed it, and never overwriting their work. No 'vscode' here.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic, type AtomicWriteOptions } from '../core/io/atomicWrite';
import { CurationDocument } from '../core/curation/document';
import type { AnnProblem, CurationAction, CurationState } from '../core/curation/types';
import type { TextChange } from '../core/text/changes';
import type { AnnotatedEntity, Relation } from '../core/types';
import { curationCodec, curationPathFor, type CurationFormat } from '../core/curation/codec';

export { curationPathFor };

/** The file system and clock a session uses; tests pass real temp folders and a fake clock. */
export interface CurationIo {
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Modification time and size, or undefined when the file does not exist. */
  stat(path: string): { mtimeMs: number; size: number } | undefined;
  writeFileAtomic(path: string, data: string, options?: AtomicWriteOptions): void;
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const nodeCurationIo: CurationIo = {
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  stat: (path) => {
    try {
      const s = statSync(path);
      return { mtimeMs: s.mtimeMs, size: s.size };
    } catch {
      return undefined;
    }
  },
  writeFileAtomic,
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long after the last curator action the file is written (the issue asks for at most 1 s). */
export const SAVE_DELAY_MS = 500;

export type CurationChangeReason =
  | 'opened'
  | 'action'
  | 'undo'
  | 'redo'
  | 'edited'
  | 'suggestions'
  | 'saved'
  | 'reloaded'
  | 'conflict'
  | 'saveFailed';

export interface CurationChange {
  uri: string;
  reason: CurationChangeReason;
  /** Ids whose entity or relation changed (absent when everything may have: reload, undo, redo). */
  changed?: string[];
  /** 'conflict': where our unsaved version was written instead of replacing the file on disk. */
  conflictPath?: string;
  /** 'opened' / 'reloaded' / 'conflict': lines of the file on disk that could not be used. */
  problems?: AnnProblem[];
  /** 'saveFailed': one line for the user. */
  message?: string;
}

export interface CurationSessionOptions {
  uri: string;
  /** Path of the document's text file (the standoff file goes next to it). */
  textPath: string;
  /** The document's saved text. */
  text: string;
  format?: CurationFormat;
  /** Write after each action (debounced). Off: only `flush()` writes (document save, close, deactivate). */
  autoSave?: boolean;
  io?: CurationIo;
  saveDelayMs?: number;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * One open document's curation. Rules:
 * - `open()` loads the standoff file at once (no model run); mismatching mentions are flagged, never moved.
 * - The file is created by the first curator action (a model run alone writes nothing: its suggestions can be
 *   computed again); once it exists, model runs update it too.
 * - Each change is written atomically within `saveDelayMs` (auto-save) and at once on `flush()`; nothing is written
 *   when nothing changed. While the text has unsaved edits the file is written for the saved text: annotations are
 *   mapped back through the edits, and those inside new text wait for the document's save (`saved()`).
 * - The file changed on disk (git pull, another annotator): with no unsaved curation it is reloaded; with unsaved
 *   curation, the disk file is kept and loaded, our version goes to `<name>.<time>.conflict.ann` next to it (never
 *   replacing a file), and a 'conflict' change tells the user. Nothing is overwritten that we did not write.
 */
export class CurationSession {
  readonly uri: string;
  /** The document's text file. */
  readonly textPath: string;
  /** Its standoff file. */
  readonly path: string;
  private doc: CurationDocument;
  private savedText: string;
  private readonly format: CurationFormat;
  private readonly io: CurationIo;
  private readonly autoSave: boolean;
  private readonly saveDelayMs: number;
  private readonly listeners = new Set<(change: CurationChange) => void>();
  /** Edits since the document was last saved, one entry per editor event. */
  private pendingEdits: { changes: readonly TextChange[]; before: string }[] = [];
  private unsaved = false;
  /** A curator acted since the file was last read: the file should exist from now on. */
  private wanted = false;
  private timer: unknown;
  /** What the file on disk held when we last read or wrote it (undefined: no file). */
  private known: { hash: string; mtimeMs: number; size: number } | undefined;
  private problemsOnDisk: AnnProblem[] = [];

  constructor(options: CurationSessionOptions) {
    this.uri = options.uri;
    this.format = options.format ?? 'brat';
    this.textPath = options.textPath;
    this.path = curationPathFor(options.textPath, this.format);
    this.io = options.io ?? nodeCurationIo;
    this.autoSave = options.autoSave ?? true;
    this.saveDelayMs = Math.min(options.saveDelayMs ?? SAVE_DELAY_MS, 1000);
    this.savedText = options.text;
    this.doc = new CurationDocument(options.text);
  }

  get document(): CurationDocument {
    return this.doc;
  }

  get state(): CurationState {
    return this.doc.state;
  }

  /** Curation actions not written yet. */
  get hasUnsavedChanges(): boolean {
    return this.unsaved;
  }

  /** Lines of the file on disk that could not be used when it was last read. */
  get problems(): AnnProblem[] {
    return this.problemsOnDisk;
  }

  onDidChange(listener: (change: CurationChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Loads the standoff file beside the document (if any) and returns the curated state at once. */
  open(): { state: CurationState; problems: AnnProblem[]; exists: boolean } {
    const exists = this.loadFromDisk();
    this.emit({ uri: this.uri, reason: 'opened', problems: this.problemsOnDisk });
    return { state: this.doc.state, problems: this.problemsOnDisk, exists };
  }

  apply(action: CurationAction): { changed: string[] } {
    const result = this.doc.apply(action);
    if (result.changed.length > 0) this.changed({ uri: this.uri, reason: 'action', changed: result.changed }, true);
    return result;
  }

  undo(): boolean {
    const done = this.doc.undo();
    if (done) this.changed({ uri: this.uri, reason: 'undo' }, true);
    return done;
  }

  redo(): boolean {
    const done = this.doc.redo();
    if (done) this.changed({ uri: this.uri, reason: 'redo' }, true);
    return done;
  }

  /** A model run: merged so decisions stay (see CurationDocument.mergeSuggestions). */
  mergeSuggestions(
    entities: readonly AnnotatedEntity[],
    relations?: readonly Relation[],
    options?: { relationModel?: string },
  ): { changed: string[] } {
    const result = this.doc.mergeSuggestions(entities, relations, options);
    // Suggestions alone never create the file; they update one that exists.
    if (result.changed.length > 0) this.changed({ uri: this.uri, reason: 'suggestions', changed: result.changed }, false);
    return result;
  }

  /** The user edited the text (not saved yet): annotations move with it. */
  applyTextChanges(changes: readonly TextChange[], newText: string): { changed: string[] } {
    const before = this.doc.documentText;
    const result = this.doc.applyTextChanges(changes, newText);
    this.pendingEdits.push({ changes, before });
    if (result.changed.length > 0) this.changed({ uri: this.uri, reason: 'edited', changed: result.changed }, false);
    return result;
  }

  /** The document was saved with `text`: the standoff file is written for it now. */
  saved(text: string): void {
    if (text !== this.doc.documentText) this.doc.checkText(text);
    this.savedText = text;
    if (this.pendingEdits.length > 0 && (this.known || this.wanted)) this.unsaved = true;
    this.pendingEdits = [];
    this.flush();
  }

  /**
   * The text file changed outside the editor (reloaded from disk) while its annotations were not updated: mentions
   * whose text no longer matches are flagged, never shifted.
   */
  textChangedOnDisk(text: string): string[] {
    this.savedText = text;
    this.pendingEdits = [];
    const changed = this.doc.checkText(text);
    if (changed.length > 0) this.emit({ uri: this.uri, reason: 'edited', changed });
    return changed;
  }

  /** Writes now if anything is unsaved (document save, close, deactivate). Returns whether the file was written. */
  flush(): boolean {
    if (this.timer !== undefined) {
      this.io.clearTimer(this.timer);
      this.timer = undefined;
    }
    if (!this.unsaved) return false;
    if (this.checkDisk()) return false;
    const content = curationCodec(this.format).write(this.savedText, this.stateForSavedText(), basename(this.path));
    if (this.known && hash(content) === this.known.hash) {
      this.unsaved = false;
      return false;
    }
    try {
      this.io.writeFileAtomic(this.path, content, { overwrite: true });
    } catch (e) {
      this.emit({ uri: this.uri, reason: 'saveFailed', message: `Could not write ${this.path}: ${(e as Error).message}` });
      return false;
    }
    this.remember(content);
    this.unsaved = false;
    this.emit({ uri: this.uri, reason: 'saved' });
    return true;
  }

  /**
   * Looks at the file on disk (the glue calls this when a watcher fires, and every write does first). Returns true
   * when it changed since we last read or wrote it, after reloading it or keeping both versions.
   */
  checkDisk(): boolean {
    const stat = this.io.stat(this.path);
    if (!stat && !this.known) return false;
    if (stat && this.known && stat.mtimeMs === this.known.mtimeMs && stat.size === this.known.size) return false;
    const content = stat ? this.io.readFile(this.path) : undefined;
    if (content !== undefined && this.known && hash(content) === this.known.hash) {
      this.known = { ...this.known, ...(stat ?? {}) };
      return false;
    }
    if (content === undefined && !this.known) return false;
    if (!this.unsaved) {
      this.loadFromDisk();
      this.emit({ uri: this.uri, reason: 'reloaded', problems: this.problemsOnDisk });
      return true;
    }
    const ours = curationCodec(this.format).write(this.savedText, this.stateForSavedText(), basename(this.path));
    const conflictPath = this.writeConflict(ours);
    this.loadFromDisk();
    this.emit({ uri: this.uri, reason: 'conflict', conflictPath, problems: this.problemsOnDisk });
    return true;
  }

  /** Writes what is unsaved and stops the timer. */
  dispose(): void {
    this.flush();
    this.listeners.clear();
  }

  /** `creates`: a curator action, which creates the file; other changes only update a file that exists. */
  private changed(change: CurationChange, creates: boolean): void {
    if (!creates && !this.known && !this.wanted) {
      this.emit(change);
      return;
    }
    this.wanted = true;
    this.unsaved = true;
    if (this.autoSave) {
      if (this.timer !== undefined) this.io.clearTimer(this.timer);
      this.timer = this.io.setTimer(() => {
        this.timer = undefined;
        this.flush();
      }, this.saveDelayMs);
    }
    this.emit(change);
  }

  private emit(change: CurationChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private remember(content: string | undefined): void {
    const stat = this.io.stat(this.path);
    this.known = content === undefined || !stat ? undefined : { hash: hash(content), ...stat };
  }

  /** Replaces the curation with the file on disk (undo history starts again: it described another file). */
  private loadFromDisk(): boolean {
    const content = this.io.readFile(this.path);
    this.remember(content);
    this.unsaved = false;
    this.wanted = false;
    this.pendingEdits = [];
    const text = this.doc.documentText;
    if (content === undefined) {
      this.problemsOnDisk = [];
      this.doc = new CurationDocument(text);
      return false;
    }
    const { state, problems } = curationCodec(this.format).read(this.savedText, content);
    this.problemsOnDisk = problems;
    this.doc = new CurationDocument(this.savedText, state);
    if (text !== this.savedText) this.doc.checkText(text);
    return true;
  }

  /** The current curation with offsets for the saved text (unsaved edits undone on the spans). */
  private stateForSavedText(): CurationState {
    if (this.pendingEdits.length === 0) return this.doc.state;
    const back = new CurationDocument(this.doc.documentText, this.doc.state);
    for (const edit of [...this.pendingEdits].reverse()) back.applyTextChanges(inverse(edit.changes), edit.before);
    return back.state;
  }

  private writeConflict(content: string): string {
    const stamp = new Date(this.io.now()).toISOString().replace(/[:.]/g, '-');
    const ext = curationCodec(this.format).extension;
    const stem = this.path.slice(0, -ext.length);
    for (let n = 0; ; n++) {
      const candidate = `${stem}.${stamp}${n > 0 ? `-${n}` : ''}.conflict${ext}`;
      try {
        this.io.writeFileAtomic(candidate, content);
        return candidate;
      } catch (e) {
        if (n > 100 || this.io.stat(candidate) === undefined) throw e;
      }
    }
  }
}

/** The changes that turn the text after an editor event back into the text before it. */
export function inverse(changes: readonly TextChange[]): TextChange[] {
  const ordered = [...changes].sort((a, b) => a.start - b.start);
  let shift = 0;
  return ordered.map((c) => {
    const start = c.start + shift;
    shift += c.insertedLength - (c.end - c.start);
    return { start, end: start + c.insertedLength, insertedLength: c.end - c.start };
  });
}

/** Conflict copies BioM left next to a document's standoff file (for the "keep both" message and clean-up). */
export function conflictFilesFor(path: string, format: CurationFormat = 'brat'): string[] {
  const ext = curationCodec(format).extension;
  const stem = basename(path).slice(0, -ext.length);
  try {
    return readdirSync(dirname(path))
      .filter((name) => name.startsWith(`${stem}.`) && name.endsWith(`.conflict${ext}`))
      .map((name) => join(dirname(path), name));
  } catch {
    return [];
  }
}
