// Owns PubMed/MEDLINE XML (PubmedArticleSet, pubmed_250101.dtd): PMID, ArticleTitle and AbstractText sections of
// PubmedArticle and PubmedBookArticle, and DeleteCitation, turned into documents of "title abstract".
import type { CorpusRecord, RecordLocation } from './corpusRecord';
import { equals, startsWith, type XmlRecordFormat } from './xmlRecords';

export const PUBMED_ROOT = 'PubmedArticleSet';
export const PUBMED_RECORDS = ['PubmedArticle', 'PubmedBookArticle', 'DeleteCitation'] as const;

interface Section {
  label?: string;
  text: string;
}

interface PubmedDraft {
  element: string;
  pmid?: string;
  pmidText?: string;
  title: string;
  bookTitle: string;
  sections: Section[];
  deleted: string[];
  chars: number;
  tooLarge: boolean;
}

// Paths inside the record element (the DTD's nesting): the citation's own PMID, not those in CommentsCorrections.
const PMID_PATHS = [
  ['MedlineCitation', 'PMID'],
  ['BookDocument', 'PMID'],
];
const TITLE_PATHS = [
  ['MedlineCitation', 'Article', 'ArticleTitle'],
  ['BookDocument', 'ArticleTitle'],
];
const BOOK_TITLE_PATH = ['BookDocument', 'Book', 'BookTitle'];
// Abstract, not OtherAbstract (translations and plain-language summaries).
const ABSTRACT_PATHS = [
  ['MedlineCitation', 'Article', 'Abstract', 'AbstractText'],
  ['BookDocument', 'Abstract', 'AbstractText'],
];

/**
 * The document text is "title abstract" (as PubTator and ChemProt build it); a structured abstract's sections are
 * joined with spaces, each led by its Label ("BACKGROUND: …"), as PubMed shows them.
 */
export function pubmedFormat(maxChars: number): XmlRecordFormat<PubmedDraft> {
  const add = (draft: PubmedDraft, text: string): boolean => {
    draft.chars += text.length;
    if (draft.chars > maxChars) draft.tooLarge = true;
    return !draft.tooLarge;
  };
  return {
    recordElements: PUBMED_RECORDS,
    begin: (element) => ({ element, title: '', bookTitle: '', sections: [], deleted: [], chars: 0, tooLarge: false }),
    open(draft, rel, attributes) {
      if (draft.element !== 'DeleteCitation' && ABSTRACT_PATHS.some((p) => equals(rel, p))) {
        draft.sections.push({ label: attributes.Label?.trim() || undefined, text: '' });
      }
      if (PMID_PATHS.some((p) => equals(rel, p)) || (draft.element === 'DeleteCitation' && equals(rel, ['PMID']))) draft.pmidText = '';
    },
    text(draft, rel, text) {
      if (draft.pmidText !== undefined && (equals(rel, ['PMID']) || PMID_PATHS.some((p) => equals(rel, p)))) draft.pmidText += text;
      else if (TITLE_PATHS.some((p) => startsWith(rel, p))) {
        if (add(draft, text)) draft.title += text;
      } else if (startsWith(rel, BOOK_TITLE_PATH)) {
        if (add(draft, text)) draft.bookTitle += text;
      } else if (ABSTRACT_PATHS.some((p) => startsWith(rel, p)) && draft.sections.length > 0) {
        if (add(draft, text)) draft.sections[draft.sections.length - 1].text += text;
      }
    },
    close(draft, rel) {
      if (draft.pmidText === undefined) return;
      if (draft.element === 'DeleteCitation' && equals(rel, ['PMID'])) draft.deleted.push(draft.pmidText.trim());
      else if (PMID_PATHS.some((p) => equals(rel, p))) draft.pmid ??= draft.pmidText.trim();
      else return;
      draft.pmidText = undefined;
    },
    idOf: (draft) => draft.pmid,
    finish(draft, location: RecordLocation): CorpusRecord {
      if (draft.element === 'DeleteCitation') return { kind: 'deleted', ids: draft.deleted.filter((id) => id !== ''), location };
      const skip = (reason: 'no-id' | 'too-large' | 'no-abstract', message: string): CorpusRecord => ({
        kind: 'skipped',
        reason,
        message,
        location,
      });
      if (!draft.pmid) return skip('no-id', `<${draft.element}> has no PMID`);
      if (draft.tooLarge) return skip('too-large', `title and abstract exceed ${maxChars} characters`);
      const sections = draft.sections.map((s) => ({ label: s.label, text: s.text.trim() })).filter((s) => s.text !== '');
      if (sections.length === 0) return skip('no-abstract', 'the article has no abstract');
      const title = (draft.title.trim() || draft.bookTitle.trim()).replace(/\s*\n\s*/g, ' ');
      const abstract = sections.map((s) => (s.label ? `${s.label}: ${s.text}` : s.text)).join(' ');
      const text = `${title} ${abstract}`;
      return {
        kind: 'document',
        document: {
          id: draft.pmid,
          text,
          passages: [
            { type: 'title', start: 0, end: title.length },
            { type: 'abstract', start: title.length + 1, end: text.length },
          ],
          entities: [],
        },
        location,
      };
    },
  };
}
