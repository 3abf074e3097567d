// Owns the hover provider: finds the entity under the pointer and shows hoverContent's markdown for it.
import * as vscode from 'vscode';
import type { Span } from '../../core/types';
import { sentenceAt, splitSentences } from '../../core/text/sentences';
import type { Services } from '../services';
import { entityAt } from '../../host/entities';
import { shownEntities } from '../../core/pipeline';
import { curationMarkdown, hoverMarkdown, type CurationLink, type HoverRelation } from './hoverContent';
import type { CurationController } from '../curation/curationController';
import { CommandId } from '../commands/commandIds';
import { entitiesUnder } from '../../host/curationActions';
import type { AnnotatedEntity } from '../../core/types';

/** The only commands a hover link may run (MarkdownString.isTrusted.enabledCommands). */
const LINK_COMMANDS = [
  CommandId.curationAccept,
  CommandId.curationReject,
  CommandId.curationChangeType,
  CommandId.curationDelete,
  CommandId.curationRejectSame,
  CommandId.curationAcceptSame,
];

export function registerHover(services: Services, curation: CurationController): vscode.Disposable {
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
      const curated = curationHover(document, position);
      if (curated) return curated;
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
  /** A curated document: the entity as curated (a curator-added one has no model or score), with action links. */
  const curationHover = (document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined => {
    const uri = document.uri.toString();
    if (!curation.get(uri)) return undefined;
    const offset = document.offsetAt(position);
    const [entity] = entitiesUnder(curation.entities(uri), { start: offset, end: offset }, curation.showRejected);
    if (!entity) return undefined;
    const span = sentenceAt(sentencesOf(document), entity.start);
    const text = document.getText(new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)));
    const shown: AnnotatedEntity = { ...entity, score: entity.score ?? 1, model: entity.model ?? 'curator' };
    const info = new vscode.MarkdownString(
      hoverMarkdown({
        entity: shown,
        sentence: { text, mentionStart: entity.start - span.start, mentionEnd: entity.end - span.start },
        relations: [],
      }),
    );
    info.isTrusted = false;
    info.supportHtml = false;
    const ref = { uri, id: entity.id };
    const links: CurationLink[] = [
      ...(entity.status === 'accepted' || entity.status === 'added'
        ? []
        : [{ title: 'Accept (Alt+A)', command: CommandId.curationAccept, args: ref }]),
      ...(entity.status === 'rejected' ? [] : [{ title: 'Reject (Alt+X)', command: CommandId.curationReject, args: ref }]),
      { title: 'Change type… (Alt+K)', command: CommandId.curationChangeType, args: ref },
      { title: 'Delete', command: CommandId.curationDelete, args: ref },
      { title: 'Accept all like this', command: CommandId.curationAcceptSame, args: ref },
      { title: 'Reject all like this', command: CommandId.curationRejectSame, args: ref },
    ];
    const actions = new vscode.MarkdownString(curationMarkdown(entity.status, entity.mismatch === true, links), true);
    actions.isTrusted = { enabledCommands: LINK_COMMANDS };
    actions.supportHtml = false;
    return new vscode.Hover([info, actions], new vscode.Range(document.positionAt(entity.start), document.positionAt(entity.end)));
  };

  // Any document can hold annotations (Annotate Document works everywhere); others simply have none.
  return vscode.languages.registerHoverProvider('*', provider);
}
