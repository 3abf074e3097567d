// Owns the hover provider: finds the entity under the pointer and shows hoverContent's markdown for it.
import * as vscode from 'vscode';
import type { Span } from '../../core/types';
import { sentenceAt, splitSentences } from '../../core/text/sentences';
import type { Services } from '../services';
import { entityAt } from '../../host/entities';
import { shownEntities } from '../../core/pipeline';
import { hoverMarkdown, type HoverRelation } from './hoverContent';

export function registerHover(services: Services): vscode.Disposable {
  const { store, config } = services;
  // Sentence splitting of a long document is worth keeping while the pointer moves over it.
  let cache: { uri: string; version: number; sentences: Span[] } | undefined;
  const sentencesOf = (document: vscode.TextDocument): Span[] => {
    const uri = document.uri.toString();
    if (cache?.uri !== uri || cache.version !== document.version) {
      cache = { uri, version: document.version, sentences: splitSentences(document.getText()) };
    }
    return cache.sentences;
  };

  const provider: vscode.HoverProvider = {
    provideHover(document, position) {
      const annotations = store.get(document.uri.toString());
      if (!annotations || annotations.version !== document.version) return undefined;
      const shown = shownEntities(annotations.entities, config.current.ner.minScore);
      const entity = entityAt(shown, document.offsetAt(position));
      if (!entity) return undefined;
      const span = sentenceAt(sentencesOf(document), entity.start);
      const text = document.getText(new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)));
      const relations: HoverRelation[] = (annotations.relations ?? []).flatMap((r): HoverRelation[] => {
        if (r.chemical.start === entity.start && r.chemical.end === entity.end) {
          return [{ label: r.label, score: r.score, partner: r.gene.text, asChemical: true }];
        }
        if (r.gene.start === entity.start && r.gene.end === entity.end) {
          return [{ label: r.label, score: r.score, partner: r.chemical.text, asChemical: false }];
        }
        return [];
      });
      const markdown = new vscode.MarkdownString(
        hoverMarkdown({
          entity,
          sentence: { text, mentionStart: entity.start - span.start, mentionEnd: entity.end - span.start },
          relations,
        }),
      );
      // Document text is escaped already; untrusted and without HTML so that nothing in it can act.
      markdown.isTrusted = false;
      markdown.supportHtml = false;
      return new vscode.Hover(markdown, new vscode.Range(document.positionAt(entity.start), document.positionAt(entity.end)));
    },
  };
  // Any document can hold annotations (Annotate Document works everywhere); others simply have none.
  return vscode.languages.registerHoverProvider('*', provider);
}
