// Owns the Entities view in the BioM sidebar: the current document's curated entities as type → text → mentions,
// a status filter, and clicks that reveal a mention with one cursor. Grouping is core's groupEntities.
import * as vscode from 'vscode';
import { CURATION_STATUSES, type CuratedEntity, type CurationStatus } from '../../core/curation/types';
import { groupEntities, type EntityTextGroup, type EntityTypeGroup } from '../../core/curation/document';
import { entityType } from '../../core/labels';
import { describeCounts } from '../../host/curationActions';
import { CommandId } from '../commands/commandIds';
import type { Services } from '../services';
import type { CurationController } from './curationController';
import { ENTITIES_VIEW_ID } from './entitiesViewId';

type Node =
  | { kind: 'type'; uri: string; group: EntityTypeGroup }
  | { kind: 'text'; uri: string; text: string; label: string; group: EntityTextGroup }
  | { kind: 'mention'; uri: string; id: string; entity: CuratedEntity; line: string };

/** The status a group's icon shows: anything left to review first, then whether all of it was rejected. */
function groupStatus(statuses: Record<CurationStatus, number>): CurationStatus {
  if (statuses.suggested > 0) return 'suggested';
  if (statuses.accepted + statuses.added === 0) return 'rejected';
  return statuses.accepted > 0 ? 'accepted' : 'added';
}

const STATUS_ICON: Record<CurationStatus, string> = {
  suggested: 'circle-large-outline',
  accepted: 'pass-filled',
  rejected: 'circle-slash',
  added: 'add',
};

/** Redraws at most this often while edits or bulk actions stream in (a 2,000-entity tree is rebuilt each time). */
const REFRESH_MS = 50;

export class EntitiesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private filter: ReadonlySet<CurationStatus> = new Set(CURATION_STATUSES);
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: Services,
    private readonly curation: CurationController,
  ) {
    this.view = vscode.window.createTreeView(ENTITIES_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions = [
      this.view,
      this.emitter,
      curation.onDidChange((uri) => {
        if (uri === this.uri) this.schedule();
      }),
      services.editors.onDidChange(() => this.schedule()),
    ];
    this.updateMessage();
  }

  private get uri(): string | undefined {
    return this.services.editors.current?.document.uri.toString();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_MS);
  }

  refresh(): void {
    this.updateMessage();
    this.emitter.fire(undefined);
  }

  private updateMessage(): void {
    const uri = this.uri;
    const entities = uri ? this.curation.entities(uri) : [];
    const all = this.filter.size === CURATION_STATUSES.length;
    this.view.message = !uri
      ? 'Open a text document to curate its entities.'
      : entities.length === 0
        ? 'No entities yet: run "BioM: Annotate Document" or select words and press Alt+N.'
        : all
          ? undefined
          : `Showing ${[...this.filter].join(', ')} only`;
    const left = entities.filter((e) => e.status === 'suggested').length;
    this.view.badge = left > 0 ? { value: left, tooltip: `${left} suggestions to review` } : undefined;
  }

  async pickStatusFilter(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      CURATION_STATUSES.map((status) => ({ label: status, picked: this.filter.has(status) })),
      { canPickMany: true, title: 'BioM: Show Entities with Status' },
    );
    if (!picked) return;
    this.filter = new Set(picked.length > 0 ? picked.map((p) => p.label) : CURATION_STATUSES);
    this.refresh();
  }

  getChildren(node?: Node): Node[] {
    const uri = this.uri;
    const state = uri ? this.curation.state(uri) : undefined;
    if (!uri || !state) return [];
    if (!node) return groupEntities(state, { statuses: [...this.filter] }).map((group) => ({ kind: 'type', uri, group }));
    if (node.kind === 'type') {
      // The inline accept-all / reject-all buttons pass this node: text and label name the group.
      return node.group.texts.map((group) => ({
        kind: 'text',
        uri: node.uri,
        text: group.text,
        label: node.group.label,
        group,
      }));
    }
    if (node.kind === 'text') {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === node.uri);
      const byId = new Map(state.entities.map((e) => [e.id, e]));
      return node.group.ids.flatMap((id): Node[] => {
        const entity = byId.get(id);
        if (!entity) return [];
        return [{ kind: 'mention', uri: node.uri, id, entity, line: document ? `line ${document.positionAt(entity.start).line + 1}` : '' }];
      });
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'type': {
        const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.group.count}`;
        item.contextValue = 'biomTypeGroup';
        return item;
      }
      case 'text': {
        const { group } = node;
        const item = new vscode.TreeItem(group.text, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${group.count} · ${describeCounts(group.statuses)}`;
        item.tooltip = `"${group.text}" (${entityType(node.label)}): ${describeCounts(group.statuses)}`;
        item.contextValue = 'biomTextGroup';
        item.iconPath = new vscode.ThemeIcon(STATUS_ICON[groupStatus(group.statuses)]);
        return item;
      }
      case 'mention': {
        const { entity } = node;
        const item = new vscode.TreeItem(`${entity.status}`, vscode.TreeItemCollapsibleState.None);
        const score = entity.score === undefined ? '' : ` · ${entity.score.toFixed(2)}`;
        item.description = `${node.line}${score}${entity.mismatch ? ' · text changed' : ''}`;
        item.iconPath = new vscode.ThemeIcon(entity.mismatch ? 'warning' : STATUS_ICON[entity.status]);
        item.contextValue = 'biomMention';
        item.command = { command: CommandId.curationReveal, title: 'Reveal', arguments: [{ uri: node.uri, id: node.id }] };
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
