// Owns reading BioC JSON collections (the PubTator3 / BioC-JSON layout the writer in bioc.ts produces).
import type { CorpusRecord, RecordLocation } from './corpusRecord';
import { assembleBiocDocument, type BiocPassageInput } from './biocXml';

/** Records of one BioC JSON collection (or a bare array of documents); each document is checked on its own. */
export function biocJsonRecords(json: string, file: string, maxChars: number): CorpusRecord[] {
  const at: RecordLocation = { file, line: 1, offset: 0 };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return [{ kind: 'skipped', reason: 'malformed', message: `not JSON: ${(e as Error).message}`, location: at }];
  }
  const documents = Array.isArray(value) ? value : (value as { documents?: unknown })?.documents;
  if (!Array.isArray(documents))
    return [{ kind: 'skipped', reason: 'malformed', message: 'a BioC JSON collection needs a "documents" array', location: at }];
  return documents.map((d: unknown, i): CorpusRecord => {
    const doc = d as { id?: unknown; passages?: unknown };
    const id = typeof doc?.id === 'string' || typeof doc?.id === 'number' ? String(doc.id) : undefined;
    const location: RecordLocation = { file, line: 1, offset: 0, ...(id ? { id } : {}) };
    const skip = (reason: 'malformed' | 'no-id' | 'too-large' | 'no-abstract', message: string): CorpusRecord => ({
      kind: 'skipped',
      reason,
      message: `documents[${i}]: ${message}`,
      location,
    });
    if (!id) return skip('no-id', 'no "id"');
    if (!Array.isArray(doc.passages)) return skip('malformed', 'no "passages" array');
    const passages: BiocPassageInput[] = [];
    let chars = 0;
    for (const p of doc.passages as { infons?: { type?: unknown }; offset?: unknown; text?: unknown }[]) {
      const offset = Number(p?.offset ?? 0);
      if (!Number.isInteger(offset) || (p?.text !== undefined && typeof p.text !== 'string'))
        return skip('malformed', 'a passage needs an integer "offset" and a string "text"');
      const text = (p.text as string | undefined) ?? '';
      chars += text.length;
      passages.push({ type: typeof p.infons?.type === 'string' ? p.infons.type : 'text', offset, text });
    }
    if (chars > maxChars) return skip('too-large', `passage text exceeds ${maxChars} characters`);
    const document = assembleBiocDocument(id, passages);
    if (typeof document === 'string') return skip('malformed', document);
    if (document.text.trim() === '') return skip('no-abstract', 'the document has no passage text');
    return { kind: 'document', document, location };
  });
}
