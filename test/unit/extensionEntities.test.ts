// Entities from two NER models are merged without overlaps (the higher score wins); kinds pick the decoration colour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countByKind, entityAt } from '../../src/host/entities';
import { entityKind } from '../../src/core/labels';
import { mergeEntities, shownEntities as visibleEntities } from '../../src/core/pipeline';
import type { AnnotatedEntity } from '../../src/core/types';

const e = (text: string, start: number, score: number, model: string, label = 'CHEMICAL'): AnnotatedEntity => ({
  label,
  score,
  start,
  end: start + text.length,
  text,
  model,
});

describe('merging entities from several models', () => {
  it('keeps the higher-scoring mention where two models overlap, and both where they do not', () => {
    const a = [e('sigma-1 receptor', 10, 0.7, 'ner-a', 'GENE'), e('dextrorphan', 40, 0.95, 'ner-a')];
    const b = [e('sigma-1', 10, 0.9, 'ner-b', 'GENE'), e('mice', 70, 0.6, 'ner-b', 'SPECIES')];
    const merged = mergeEntities([a, b]);
    assert.deepEqual(
      merged.map((x) => [x.text, x.model]),
      [
        ['sigma-1', 'ner-b'],
        ['dextrorphan', 'ner-a'],
        ['mice', 'ner-b'],
      ],
    );
  });

  it('on equal scores the first model wins; touching mentions both stay', () => {
    const merged = mergeEntities([[e('DM', 0, 0.8, 'first')], [e('DM', 0, 0.8, 'second'), e('DF', 2, 0.5, 'second')]]);
    assert.deepEqual(
      merged.map((x) => [x.text, x.model]),
      [
        ['DM', 'first'],
        ['DF', 'second'],
      ],
    );
  });

  it('hides entities below minScore and finds the entity under an offset', () => {
    const all = [e('DM', 0, 0.4, 'm'), e('DF', 5, 0.9, 'm')];
    const shown = visibleEntities(all, 0.5);
    assert.deepEqual(
      shown.map((x) => x.text),
      ['DF'],
    );
    assert.equal(entityAt(shown, 6)?.text, 'DF');
    assert.equal(entityAt(shown, 7)?.text, 'DF', 'the right edge of the word still hovers it');
    assert.equal(entityAt(shown, 1), undefined);
  });

  it('maps labels (also B-/I- token labels) to the three decoration kinds', () => {
    assert.equal(entityKind('CHEMICAL'), 'chemical');
    assert.equal(entityKind('B-CHEMICAL'), 'chemical');
    assert.equal(entityKind('GENE-Y'), 'gene');
    assert.equal(entityKind('I-GENE'), 'gene');
    assert.equal(entityKind('DISEASE'), 'other');
    assert.deepEqual(countByKind([e('a', 0, 1, 'm'), e('b', 2, 1, 'm', 'GENE'), e('c', 4, 1, 'm', 'X')]), {
      chemical: 1,
      gene: 1,
      other: 1,
    });
  });
});
