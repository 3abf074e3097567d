// The hover shows type, confidence, model, sentence, relations in words and search links; document text is escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeMarkdown, hoverMarkdown, isWordFragment, searchLinks } from '../../src/extension/hover/hoverContent';
import { relationClasses, relationRows, relationWords } from '../../src/host/relationRows';
import type { AnnotatedEntity } from '../../src/core/types';
import type { Relation } from '../../src/core/types';

const chemical: AnnotatedEntity = { label: 'CHEMICAL', score: 0.9731, start: 0, end: 11, text: 'dextrorphan', model: 'ner-albert' };
const gene: AnnotatedEntity = { label: 'GENE', score: 0.88, start: 20, end: 36, text: 'sigma-1 receptor', model: 'ner-albert' };

/** Every markdown link target in `md`. */
function linkTargets(md: string): string[] {
  return [...md.matchAll(/\]\((https:[^)\s]+)\)/g)].map((m) => m[1]);
}

describe('hover content', () => {
  it('shows type, confidence with two decimals, model, the sentence and the relation in words', () => {
    const md = hoverMarkdown({
      entity: chemical,
      sentence: { text: 'dextrorphan binds sigma-1 receptor.', mentionStart: 0, mentionEnd: 11 },
      relations: [{ label: 'CPR:4', score: 0.77, partner: 'sigma-1 receptor', asChemical: true }],
    });
    assert.match(md, /\*\*CHEMICAL\*\*/);
    assert.match(md, /`0\.97`/);
    assert.match(md, /ner\\-albert/);
    assert.match(md, /> \*\*dextrorphan\*\* binds sigma\\-1 receptor\\\./);
    assert.match(md, /dextrorphan \*inhibits \/ downregulates\* sigma\\-1 receptor \(CPR\\:4, `0\.77`\)/);
  });

  it('links chemicals to PubChem and ChEBI, genes to NCBI Gene and UniProt, as plain https links', () => {
    assert.deepEqual(
      searchLinks(chemical).map((l) => l.title),
      ['PubChem', 'ChEBI'],
    );
    assert.deepEqual(
      searchLinks(gene).map((l) => l.title),
      ['NCBI Gene', 'UniProt'],
    );
    assert.deepEqual(searchLinks({ label: 'SPECIES', text: 'mice' }), []);
    const md = hoverMarkdown({ entity: gene, sentence: undefined, relations: [] });
    const targets = linkTargets(md);
    assert.equal(targets.length, 2);
    for (const t of targets) {
      assert.ok(t.startsWith('https://'), t);
      assert.ok(t.includes('sigma-1%20receptor'), t);
    }
  });

  it('reads a relation from the gene side with the chemical first', () => {
    const md = hoverMarkdown({
      entity: gene,
      sentence: undefined,
      relations: [{ label: 'CPR:6', score: 0.5, partner: 'haloperidol', asChemical: false }],
    });
    assert.match(md, /haloperidol \*is an antagonist of\* sigma\\-1 receptor/);
  });

  it('escapes markdown and HTML in document text, and keeps link targets intact', () => {
    const hostile = '<img src=x onerror=alert(1)></script>[click](javascript:alert(1)) *bold* `code`';
    const entity: AnnotatedEntity = { ...chemical, text: hostile, end: hostile.length };
    const md = hoverMarkdown({
      entity,
      sentence: { text: `${hostile} and\nmore`, mentionStart: 0, mentionEnd: hostile.length },
      relations: [],
    });
    assert.ok(!/<img|<\/script>/.test(md.replace(/\\</g, '')), 'no raw tag survives');
    assert.ok(!md.includes('](javascript:'), 'no link made from document text');
    assert.ok(!/[^\\]\*bold/.test(md), 'emphasis markers escaped');
    // The only links are the search links, and their query is percent-encoded (parentheses too).
    const targets = linkTargets(md);
    assert.equal(targets.length, 2);
    for (const t of targets) assert.ok(!/[()<>\s]/.test(t), t);
    assert.equal(escapeMarkdown('a\nb'), 'a b');
  });

  it('cuts a very long sentence around the mention', () => {
    const long = `${'x '.repeat(600)}dextrorphan${' y'.repeat(600)}`;
    const start = long.indexOf('dextrorphan');
    const md = hoverMarkdown({ entity: chemical, sentence: { text: long, mentionStart: start, mentionEnd: start + 11 }, relations: [] });
    const quote = md.split('\n').find((l) => l.startsWith('> ')) ?? '';
    assert.ok(quote.includes('**dextrorphan**'));
    assert.ok(quote.length < 700, `quote length ${quote.length}`);
  });
});

describe('relation wording and panel rows', () => {
  it('words every ChemProt class', () => {
    assert.equal(relationWords('CPR:3'), 'activates / upregulates');
    assert.equal(relationWords('CPR:4'), 'inhibits / downregulates');
    assert.equal(relationWords('CPR:5'), 'is an agonist of');
    assert.equal(relationWords('CPR:6'), 'is an antagonist of');
    assert.equal(relationWords('CPR:9'), 'is a substrate / product of');
    assert.equal(relationWords('binds_to'), 'binds to');
  });

  it('rows are best first and mark both mentions in the evidence sentence', () => {
    const text = 'Intro. Dextrorphan binds the sigma-1 receptor strongly. Next.';
    const chem = { label: 'CHEMICAL', score: 0.9, start: 7, end: 18, text: 'Dextrorphan' };
    const g = { label: 'GENE', score: 0.9, start: 29, end: 45, text: 'sigma-1 receptor' };
    const relations: Relation[] = [
      { label: 'CPR:5', score: 0.4, chemical: chem, gene: g, sentence: { start: 7, end: 55 } },
      { label: 'CPR:4', score: 0.8, chemical: chem, gene: g, sentence: { start: 7, end: 55 } },
    ];
    const rows = relationRows(text, relations);
    assert.deepEqual(
      rows.map((r) => r.label),
      ['CPR:4', 'CPR:5'],
    );
    assert.equal(rows[0].words, 'inhibits / downregulates');
    assert.deepEqual(rows[0].evidence, [
      { text: 'Dextrorphan', mark: 'chemical' },
      { text: ' binds the ' },
      { text: 'sigma-1 receptor', mark: 'gene' },
      { text: ' strongly.' },
    ]);
    assert.deepEqual(rows[0].chemical.span, { start: 7, end: 18 });
    assert.notEqual(rows[0].id, rows[1].id);
    assert.deepEqual(
      relationClasses(rows).map((c) => c.label),
      ['CPR:3', 'CPR:4', 'CPR:5', 'CPR:6', 'CPR:9'],
    );
  });

  it('offers no database search for a fragment of a word ("safe" in "safely"), and ChEBI links to its current search', async () => {
    const entity = { label: 'GENE', text: 'safe', start: 20, end: 24, score: 0.56, model: 'ner-albert' };
    const sentence = { text: 'The drug was used safely in mice.', mentionStart: 18, mentionEnd: 22 };
    assert.equal(isWordFragment(sentence), true);
    const md = hoverMarkdown({ entity, sentence, relations: [] });
    assert.match(md, /No database search: the mention is part of a longer word/);
    assert.doesNotMatch(md, /uniprot|ncbi/);
    const whole = { text: 'BRCA1 binds the drug.', mentionStart: 0, mentionEnd: 5 };
    assert.equal(isWordFragment(whole), false);
    assert.match(
      hoverMarkdown({ entity: { ...entity, text: 'BRCA1' }, sentence: whole, relations: [] }),
      /uniprot\.org\/uniprotkb\?query=BRCA1/,
    );
    assert.equal(isWordFragment({ text: 'a B c', mentionStart: 2, mentionEnd: 3 }), true, 'one character');
    const chebi = searchLinks({ label: 'CHEMICAL', text: 'aspirin' }).find((l) => l.title === 'ChEBI');
    assert.equal(chebi?.url, 'https://www.ebi.ac.uk/chebi/search?query=aspirin');
  });

  it('groups rows by paragraph in document order, best first inside each group', () => {
    const text = 'Aspirin inhibits COX-1.\n\nCaffeine blocks ADORA2A and caffeine inhibits PDE4.';
    const at = (word: string, from = 0): { start: number; end: number; text: string; label: string; score: number } => {
      const start = text.indexOf(word, from);
      return { start, end: start + word.length, text: word, label: 'X', score: 1 };
    };
    const second = { start: 25, end: text.length };
    const relations: Relation[] = [
      { label: 'CPR:6', score: 0.6, chemical: at('Caffeine'), gene: at('ADORA2A'), sentence: second },
      { label: 'CPR:4', score: 0.9, chemical: at('caffeine'), gene: at('PDE4'), sentence: second },
      { label: 'CPR:4', score: 0.5, chemical: at('Aspirin'), gene: at('COX-1'), sentence: { start: 0, end: 23 } },
    ];
    const rows = relationRows(text, relations);
    assert.deepEqual(
      rows.map((r) => [r.group.slice(0, 3), r.chemical.text]),
      [
        ['¶ 1', 'Aspirin'],
        ['¶ 2', 'caffeine'],
        ['¶ 2', 'Caffeine'],
      ],
    );
    assert.match(rows[1].group, /^¶ 2 · Caffeine blocks ADORA2A/);
  });
});
