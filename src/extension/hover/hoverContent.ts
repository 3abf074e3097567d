// Owns the text of an entity hover: type, confidence, model, sentence, relations, linked records or search links (markdown, no 'vscode').
import { entityKind, entityType } from '../../core/labels';
import type { AnnotatedEntity } from '../../core/types';
import { relationWords } from '../../host/relationRows';

export interface HoverRelation {
  label: string;
  score: number;
  /** The other mention of the pair. */
  partner: string;
  /** Whether the hovered entity is the chemical of the pair (decides the reading direction). */
  asChemical: boolean;
}

export interface SearchLink {
  title: string;
  url: string;
}

/** Characters that mean something in CommonMark or HTML; escaped so that document text is shown as written. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&"'=:]/g;

export function escapeMarkdown(text: string): string {
  // Newlines would start new paragraphs or lists; a hover shows the text on one line.
  return text.replace(/\s+/g, ' ').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** encodeURIComponent leaves ( ) ! * ' alone; parentheses would end a markdown link early. */
function encodeQuery(text: string): string {
  return encodeURIComponent(text.trim()).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Plain https search links for the mention: the editor opens them in a browser; the extension never calls them. */
export function searchLinks(entity: Pick<AnnotatedEntity, 'label' | 'text'>): SearchLink[] {
  const q = encodeQuery(entity.text);
  switch (entityKind(entity.label)) {
    case 'chemical':
      return [
        { title: 'PubChem', url: `https://pubchem.ncbi.nlm.nih.gov/#query=${q}` },
        // ChEBI's 2025 site searches at /chebi/search?query=; the old advancedSearchFT.do page is retired.
        { title: 'ChEBI', url: `https://www.ebi.ac.uk/chebi/search?query=${q}` },
      ];
    case 'gene':
      return [
        { title: 'NCBI Gene', url: `https://www.ncbi.nlm.nih.gov/gene/?term=${q}` },
        { title: 'UniProt', url: `https://www.uniprot.org/uniprotkb?query=${q}` },
      ];
    default:
      return [];
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The mention is part of a longer word in its sentence ("safe" in "safely") or shorter than two characters: a
 * database search for it would only find the fragment, so none is offered.
 */
export function isWordFragment(sentence: { text: string; mentionStart: number; mentionEnd: number }): boolean {
  const { text, mentionStart: start, mentionEnd: end } = sentence;
  if (end - start < 2) return true;
  const cut = (a: number, b: number): boolean => a >= 0 && b < text.length && WORD_CHAR.test(text[a]) && WORD_CHAR.test(text[b]);
  return cut(start - 1, start) || cut(end - 1, end);
}

/** The record page of a linked id (MeSH browser, NCBI Gene, HGNC), or undefined for an id of another database. */
export function recordUrl(id: string): string | undefined {
  const mesh = /^MESH:([CD]\d+)$/.exec(id);
  if (mesh) return `https://meshb.nlm.nih.gov/record/ui?ui=${mesh[1]}`;
  const gene = /^NCBIGene:(\d+)$/.exec(id);
  if (gene) return `https://www.ncbi.nlm.nih.gov/gene/${gene[1]}`;
  const hgnc = /^HGNC:(\d+)$/.exec(id);
  if (hgnc) return `https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:${hgnc[1]}`;
  return undefined;
}

const DATABASE: Record<string, string> = { MESH: 'MeSH', NCBIGene: 'NCBI Gene', HGNC: 'HGNC' };

/** One line per linked record: the id, its preferred name, the score, and links to the record pages. */
export function recordLines(entity: Pick<AnnotatedEntity, 'ids'>): string[] {
  const ids = entity.ids ?? [];
  if (ids.length === 0) return [];
  // A gene's NCBI Gene and HGNC ids are one record: one line with both links.
  const groups: { name: string | undefined; score: number; ids: string[] }[] = [];
  for (const x of ids) {
    const last = groups[groups.length - 1];
    if (last && x.id.startsWith('HGNC:') && last.name === x.name) last.ids.push(x.id);
    else groups.push({ name: x.name, score: x.score, ids: [x.id] });
  }
  return groups.map((g) => {
    const links = g.ids.map((id) => {
      const url = recordUrl(id);
      const label = escapeMarkdown(id);
      return url ? `[${label}](${url})` : `\`${id.replace(/`/g, '')}\``;
    });
    const names = g.ids.map((id) => DATABASE[id.slice(0, id.indexOf(':'))]).filter(Boolean);
    return `${links.join(' · ')} ${g.name ? `**${escapeMarkdown(g.name)}**` : ''} \`${formatScore(g.score)}\`${names.length ? ` · ${escapeMarkdown(names.join(' / '))}` : ''}`;
  });
}

export function formatScore(score: number): string {
  return score.toFixed(2);
}

/** Longest sentence quoted in a hover; longer ones are cut around the mention. */
const MAX_SENTENCE = 400;

/** The sentence with the mention in bold, cut to a readable length around it. */
export function quoteSentence(sentence: string, mentionStart: number, mentionEnd: number): string {
  let from = 0;
  let to = sentence.length;
  if (to - from > MAX_SENTENCE) {
    const middle = Math.floor((mentionStart + mentionEnd) / 2);
    from = Math.max(0, middle - MAX_SENTENCE / 2);
    to = Math.min(sentence.length, from + MAX_SENTENCE);
  }
  const before = escapeMarkdown(sentence.slice(from, Math.max(from, mentionStart)));
  const mention = escapeMarkdown(sentence.slice(mentionStart, mentionEnd));
  const after = escapeMarkdown(sentence.slice(Math.min(to, mentionEnd), to));
  return `${from > 0 ? '… ' : ''}${before}**${mention}**${after}${to < sentence.length ? ' …' : ''}`;
}

export interface HoverInput {
  entity: AnnotatedEntity;
  /** The sentence that holds the entity, and the entity's offsets inside it. */
  sentence: { text: string; mentionStart: number; mentionEnd: number } | undefined;
  relations: readonly HoverRelation[];
}

/** Markdown for an untrusted MarkdownString: every piece of document or model text goes through escapeMarkdown. */
export function hoverMarkdown({ entity, sentence, relations }: HoverInput): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(entityType(entity.label))}** \`${formatScore(entity.score)}\` · model ${escapeMarkdown(entity.model)}`);
  lines.push('');
  lines.push(`*${escapeMarkdown(entity.text)}*`);
  if (sentence) {
    lines.push('');
    lines.push(`> ${quoteSentence(sentence.text, sentence.mentionStart, sentence.mentionEnd)}`);
  }
  if (relations.length > 0) {
    lines.push('');
    lines.push('Relations:');
    for (const r of relations) {
      const self = escapeMarkdown(entity.text);
      const partner = escapeMarkdown(r.partner);
      const words = escapeMarkdown(relationWords(r.label));
      const reading = r.asChemical ? `${self} *${words}* ${partner}` : `${partner} *${words}* ${self}`;
      lines.push(`- ${reading} (${escapeMarkdown(r.label)}, \`${formatScore(r.score)}\`)`);
    }
  }
  const records = recordLines(entity);
  if (records.length > 0) {
    lines.push('');
    lines.push(...records.map((r) => `- ${r}`));
    return lines.join('\n');
  }
  if (sentence && isWordFragment(sentence) && searchLinks(entity).length > 0) {
    lines.push('');
    lines.push('No database search: the mention is part of a longer word.');
    return lines.join('\n');
  }
  const links = searchLinks(entity);
  if (links.length > 0) {
    lines.push('');
    lines.push(links.map((l) => `[${l.title}](${l.url})`).join(' · '));
  }
  return lines.join('\n');
}

/** What a hover link runs: a curation command with the entity it names (uri + id), so it acts on that entity only. */
export interface CurationLink {
  title: string;
  command: string;
  args: unknown;
}

/** Command link arguments: encodeURIComponent leaves ( ) in, and a file name like "paper (1).txt" would end the link. */
function commandArgs(args: unknown): string {
  return encodeURIComponent(JSON.stringify([args])).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The curation part of a hover: the entity's review status (and a mismatch warning), then one command link per action.
 * Shown in its own MarkdownString, trusted for exactly these commands; no document text goes into it unescaped.
 */
export function curationMarkdown(status: string, mismatch: boolean, links: readonly CurationLink[]): string {
  const lines = [`Curation: **${escapeMarkdown(status)}**`];
  if (mismatch) lines.push('', '$(warning) The text here changed outside the editor: fix the span or delete the entity.');
  lines.push('', links.map((l) => `[${escapeMarkdown(l.title)}](command:${l.command}?${commandArgs(l.args)})`).join(' · '));
  return lines.join('\n');
}
