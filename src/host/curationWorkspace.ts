// Owns curation across a workspace folder: one bulk decision ("accept every 'aspirin' CHEMICAL") applied to every
// curated document in it, open ones through their sessions, the others loaded, changed and written atomically.
import { relative, isAbsolute, resolve } from 'node:path';
import { CurationDocument } from '../core/curation/document';
import { curationCodec, type CurationFormat } from '../core/curation/codec';
import { findCuratedDocuments, type FileProblem } from '../core/curation/importers';
import { nodeCurationIo, type CurationIo, type CurationSession } from './curationSession';

export interface WorkspaceBulkResult {
  /** Documents where something changed. */
  documents: number;
  /** Mentions whose status changed. */
  entities: number;
  /** Standoff files written now (open documents are written by their sessions). */
  files: string[];
  /** Files left untouched because lines of them could not be read (fix them, then run the action again). */
  problems: FileProblem[];
}

const inside = (folder: string, path: string): boolean => {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

export class CurationWorkspace {
  private readonly format: CurationFormat;
  private readonly io: CurationIo;
  private readonly sessions: () => Iterable<CurationSession>;

  constructor(options: { format?: CurationFormat; io?: CurationIo; sessions?: () => Iterable<CurationSession> } = {}) {
    this.format = options.format ?? 'brat';
    this.io = options.io ?? nodeCurationIo;
    this.sessions = options.sessions ?? (() => []);
  }

  /**
   * Accepts or rejects every mention with this text and label in every curated document under `folder`. Each
   * document's change is one undo step (for open documents). A file with unreadable lines is not touched.
   */
  bulk(folder: string, match: { text: string; label: string }, kind: 'accept' | 'reject'): WorkspaceBulkResult {
    const result: WorkspaceBulkResult = { documents: 0, entities: 0, files: [], problems: [] };
    const target = kind === 'accept' ? 'accepted' : 'rejected';
    const matches = (doc: CurationDocument): string[] =>
      doc.state.entities
        .filter(
          (e) =>
            e.text === match.text && e.label === match.label && e.status !== target && !(target === 'accepted' && e.status === 'added'),
        )
        .map((e) => e.id);
    const open = new Set<string>();
    for (const session of this.sessions()) {
      if (!inside(folder, session.textPath)) continue;
      open.add(resolve(session.textPath));
      const ids = matches(session.document);
      if (ids.length === 0) continue;
      session.apply({ kind, ids });
      result.documents++;
      result.entities += ids.length;
    }
    const codec = curationCodec(this.format);
    for (const { textPath, annPath } of findCuratedDocuments(folder, this.format)) {
      if (open.has(resolve(textPath))) continue;
      const text = this.io.readFile(textPath);
      const content = this.io.readFile(annPath);
      if (text === undefined || content === undefined) continue;
      const { state, problems } = codec.read(text, content);
      if (problems.length > 0) {
        result.problems.push(...problems.map((p) => ({ ...p, file: annPath })));
        continue;
      }
      const doc = new CurationDocument(text, state);
      const ids = matches(doc);
      if (ids.length === 0) continue;
      doc.apply({ kind, ids });
      this.io.writeFileAtomic(annPath, codec.write(text, doc.state, annPath.split(/[\\/]/).pop() ?? annPath), { overwrite: true });
      result.files.push(annPath);
      result.documents++;
      result.entities += ids.length;
    }
    return result;
  }
}
