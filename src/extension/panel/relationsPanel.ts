// Owns the relations webview panel: one panel following the current document, rows from the store, reveal on click.
import * as vscode from 'vscode';
import type { DocumentRef, RelationsHostMessage, RelationsWebviewMessage } from '../../shared/webviewProtocol';
import { parseRelationsWebviewMessage } from '../../host/webviewMessages';
import { documentName } from '../annotator';
import { modelName } from '../../core/pipeline';
import type { Services } from '../services';
import { connectWebview, revealSpans, webviewOptions, type ReadyChannel } from '../webviewHost';
import { jsonText, relationClasses, relationRows } from '../../host/relationRows';
import { staleness } from '../../host/staleness';
import { relationStatuses, runCuration, withStatuses, type CurationMessage, type ExecuteCommand } from '../../host/relationCuration';
import { mayReveal } from '../revealPolicy';

const VIEW_TYPE = 'biom.relations';
const executeCommand: ExecuteCommand = (command, ...args) => vscode.commands.executeCommand(command, ...args);
const EDIT_RENDER_MS = 300;
/** Bulk actions and undo bursts arrive as many changes: one redraw after them. */
const CURATION_RENDER_MS = 50;
const CURATION_VERBS = { accept: 'accept', reject: 'reject', setLabel: 'change the class of' } as const;

export class RelationsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: ReadyChannel<RelationsHostMessage> | undefined;
  private document: vscode.TextDocument | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private editTimer: NodeJS.Timeout | undefined;
  /** Bumped by every render: a render whose statuses arrive after a newer one started is dropped. */
  private renderGeneration = 0;

  constructor(private readonly services: Services) {
    const { store, editors, annotator } = services;
    this.subscriptions = [
      store.onDidChange(({ uri, reason }) => {
        if (!this.panel || this.document?.uri.toString() !== uri) return;
        // Re-annotation makes the relations stale: extract again so the panel follows the document.
        if (reason === 'annotated' && this.panel.visible && this.document) void annotator.extractRelations(this.document, { quiet: true });
        else if (reason !== 'edited') this.render();
        else {
          // Offsets moved with the edit; rows are redrawn once typing pauses so a click still selects the right words.
          clearTimeout(this.editTimer);
          this.editTimer = setTimeout(() => this.render(), EDIT_RENDER_MS);
        }
      }),
      services.config.onDidChange((_after, _before, changed) => {
        if (changed.models) this.render();
      }),
      editors.onDidChange((editor) => {
        if (!this.panel || !editor || editor.document === this.document) return;
        this.document = editor.document;
        this.render();
      }),
    ];
  }

  /** A curation decision anywhere (the editor, the Entities view, undo) redraws the rows' statuses once it settles. */
  followCuration(onDidChange: (listener: (uri: string) => void) => vscode.Disposable): void {
    this.subscriptions.push(
      onDidChange((uri) => {
        if (!this.panel || this.document?.uri.toString() !== uri) return;
        clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.render(), CURATION_RENDER_MS);
      }),
    );
  }

  /** Opens (or focuses) the panel on `document`; extracts relations when it has none yet. */
  async show(document: vscode.TextDocument, extract: boolean): Promise<void> {
    this.document = document;
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, true);
    this.render();
    const annotations = this.services.store.get(document.uri.toString());
    if (extract || !annotations?.relations) {
      this.post({ type: 'busy', document: this.ref(), message: 'Extracting relations…' });
      await this.services.annotator.extractRelations(document);
      this.render();
    }
  }

  private create(): void {
    const { extensionUri } = this.services.context;
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      'BioM Relations',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'biom.svg');
    this.panel = panel;
    this.channel = connectWebview<RelationsHostMessage, RelationsWebviewMessage>(panel, extensionUri, 'relations', 'BioM Relations', {
      parse: parseRelationsWebviewMessage,
      ready: () => this.render(),
      message: (message) => {
        switch (message.type) {
          case 'refresh':
            if (this.document) void this.show(this.document, true);
            return;
          case 'reveal':
            revealSpans(this.services.editors, message.uri, message.spans, this.document?.uri.toString());
            return;
          case 'curate':
          case 'addRelation':
            void this.curate(message);
            return;
        }
      },
      disposed: () => {
        this.panel = undefined;
        this.channel = undefined;
      },
    });
  }

  /** A curator's action on a row (or "Add relation…"), through the curation commands; the rows then show the new status. */
  private async curate(message: CurationMessage): Promise<void> {
    // Like reveal: a webview may act only on the document its panel shows.
    if (!mayReveal(message.uri, this.document?.uri.toString())) return;
    try {
      await runCuration(message, executeCommand);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const what = message.type === 'addRelation' ? 'add a relation' : `${CURATION_VERBS[message.action]} the relation`;
      this.post({ type: 'error', message: `Could not ${what}: ${reason}` });
      return;
    }
    this.render();
  }

  private ref(): DocumentRef | undefined {
    return this.document ? { uri: this.document.uri.toString(), name: documentName(this.document) } : undefined;
  }

  private post(message: RelationsHostMessage): void {
    this.channel?.post(message);
  }

  private render(): void {
    const generation = ++this.renderGeneration;
    const document = this.document;
    const ref = this.ref();
    if (!document || !ref) {
      this.post({ type: 'empty', message: 'Open a document and run "BioM: Extract Relations".' });
      return;
    }
    const annotations = this.services.store.get(ref.uri);
    const relations = annotations?.relations;
    if (!annotations || !relations) {
      this.post({ type: 'empty', message: `No relations for ${ref.name} yet: run "BioM: Extract Relations".` });
      return;
    }
    const rows = relationRows(document.getText(), relations);
    const models = this.services.models();
    const stale = staleness(annotations, { ner: models.ner.map(modelName), relations: modelName(models.relations) }).relations;
    const model = annotations.relationsModel ?? modelName(models.relations);
    const classes = relationClasses(rows);
    void relationStatuses(executeCommand, ref.uri).then(
      (statuses) => {
        if (generation !== this.renderGeneration) return;
        this.post({ type: 'relations', document: ref, rows: jsonText(withStatuses(rows, statuses)), classes, model, stale });
      },
      (error: unknown) => {
        if (generation !== this.renderGeneration) return;
        // The rows still show (as suggestions); the reason is logged, not thrown at the user.
        this.services.output.warn(`Relation curation statuses unavailable: ${error instanceof Error ? error.message : String(error)}`);
        this.post({ type: 'relations', document: ref, rows: jsonText(rows), classes, model, stale });
      },
    );
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }
}
