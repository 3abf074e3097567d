// The "Compare Model with Curated" report: every score of the comparison in the table, type names escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareModelWithCurated } from '../../src/core/eval/agreement';
import type { CurationRecord } from '../../src/core/curation/importers';
import { comparisonMarkdown } from '../../src/host/curationReport';

const text = 'Aspirin inhibits COX-1; ibuprofen too.';
const at = (word: string) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length, text: word });

/** The model suggested three mentions: one accepted, one rejected, one still unreviewed; the curator added one. */
const record: CurationRecord = {
  id: 'doc',
  text,
  state: {
    entities: [
      { id: 'T1', label: 'CHEMICAL', ...at('Aspirin'), status: 'accepted', score: 0.9, model: 'm' },
      { id: 'T2', label: 'GENE|X', ...at('COX-1'), status: 'rejected', score: 0.8, model: 'm' },
      { id: 'T3', label: 'CHEMICAL', ...at('ibuprofen'), status: 'added' },
      { id: 'T4', label: 'CHEMICAL', ...at('too'), status: 'suggested', score: 0.6, model: 'm' },
    ],
    relations: [],
  },
};

describe('Compare Model with Curated report', () => {
  it('shows the document count, what was left out, and P/R/F1 in percent for all, overlap, each type and relations', () => {
    const report = compareModelWithCurated([record]);
    const markdown = comparisonMarkdown('abstract.txt', report);
    assert.match(markdown, /^# Model vs curated: abstract\.txt$/m);
    assert.match(markdown, /1 document;/);
    assert.match(markdown, new RegExp(`${report.unreviewed} suggestion`));
    const pct = (x: number) => (x * 100).toFixed(1);
    const { exact } = report.entities;
    assert.ok(markdown.includes(`| **entities, exact span and type** | ${pct(exact.p)} | ${pct(exact.r)} | ${pct(exact.f1)} |`), markdown);
    assert.ok(markdown.includes('| **relations** |'));
    // One accepted of two reviewed suggestions, one of two reference mentions found: 50 / 50 / 50.
    assert.deepEqual([exact.p, exact.r], [0.5, 0.5]);
    // A type name from a file cannot break the table.
    assert.ok(!/\| GENE\|X \|/.test(markdown));
  });
});
