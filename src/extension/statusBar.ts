// Owns the status bar item: worker state, entity counts of the current document, progress of running work.
import * as vscode from 'vscode';
import type { WorkerStatus } from '../worker/client';
import type { AnnotationStore } from '../host/annotationStore';
import type { Activity } from '../host/documentAnnotator';
import { shownEntities } from '../core/pipeline';
import { CommandId } from './commands/commandIds';
import type { ConfigService } from './configService';
import type { EditorTracker } from './editorTracker';
import { countByKind } from '../host/entities';
import { reviewText, type StatusCounts } from '../host/curationActions';

/** Where the status bar reads a curated document's counts (the curation controller, wired after construction). */
export interface CurationCounts {
  counts(uri: string): StatusCounts | undefined;
  onDidChange(listener: (uri: string) => void): vscode.Disposable;
}

/** The second cue per kind (see KIND_UNDERLINE in decorations/entityDecorations.ts), spelled out for the tooltip. */
const LEGEND = 'Legend: chemical — solid underline · gene — dotted underline · other — dashed underline · dimmed — stale';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('biom.status', vscode.StatusBarAlignment.Right, 100);
  private readonly running = new Map<string, { activity: Activity; fraction: number | undefined }>();
  private problem: string | undefined;
  /** The inference worker; 'stopped' until the first request starts it (it starts lazily). */
  private workerStatus: WorkerStatus = { state: 'stopped' };
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: AnnotationStore,
    private readonly editors: EditorTracker,
    private readonly config: ConfigService,
  ) {
    this.item.name = 'BioM';
    this.item.command = CommandId.showPanel;
    this.subscriptions = [
      editors.onDidChange(() => this.render()),
      store.onDidChange(() => this.render()),
      config.onDidChange((_after, _before, changed) => {
        // A failure was about the models then chosen: a new choice gets a clean slate until its first run says otherwise.
        if (changed.models) this.problem = undefined;
        this.render();
      }),
    ];
    this.render();
    this.item.show();
  }

  private curation: CurationCounts | undefined;

  /** From now on a curated document shows what is left to review ("BioM: 12 to review") instead of model counts. */
  followCuration(curation: CurationCounts): vscode.Disposable {
    this.curation = curation;
    const subscription = curation.onDidChange((uri) => {
      if (uri === this.editors.current?.document.uri.toString()) this.render();
    });
    this.render();
    return new vscode.Disposable(() => {
      subscription.dispose();
      this.curation = undefined;
    });
  }

  busy(uri: string, activity: Activity, fraction: number | undefined): void {
    this.problem = undefined;
    this.running.set(uri, { activity, fraction });
    this.render();
  }

  idle(uri: string): void {
    this.running.delete(uri);
    this.render();
  }

  failed(message: string): void {
    this.problem = message;
    this.render();
  }

  worker(status: WorkerStatus): void {
    this.workerStatus = status;
    this.render();
  }

  private render(): void {
    const uri = this.editors.current?.document.uri.toString();
    const live = this.config.current.live.enabled ? ' $(eye)' : '';
    const work = uri ? this.running.get(uri) : undefined;
    // The worker's trouble comes first: it explains why work is slow or failing, whichever document is shown.
    const worker = this.workerStatus;
    if (worker.state === 'restarting' || worker.state === 'error') {
      const restarting = worker.state === 'restarting';
      this.item.text = restarting ? `$(sync~spin) BioM restarting${live}` : `$(error) BioM worker${live}`;
      this.item.tooltip = restarting
        ? `BioM: the inference worker stopped (${worker.reason}); a new one starts in ${worker.inMs} ms and running work is retried once. Annotations are kept.`
        : `BioM: the inference worker could not start: ${worker.message}`;
      this.item.backgroundColor = new vscode.ThemeColor(restarting ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
      return;
    }
    if (worker.state === 'starting') {
      this.item.text = `$(sync~spin) BioM starting${live}`;
      this.item.tooltip = 'BioM: starting the inference worker';
      this.item.backgroundColor = undefined;
      return;
    }
    if (work) {
      const percent = work.fraction === undefined ? '' : ` ${Math.round(work.fraction * 100)}%`;
      this.item.text = `$(sync~spin) BioM ${work.activity}${percent}`;
      this.item.tooltip = 'BioM is running a model on this document';
      this.item.backgroundColor = undefined;
      return;
    }
    if (this.problem) {
      this.item.text = `$(error) BioM${live}`;
      this.item.tooltip = `BioM: ${this.problem}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    this.item.backgroundColor = undefined;
    const curated = uri ? this.curation?.counts(uri) : undefined;
    if (curated && curated.suggested + curated.accepted + curated.added + curated.rejected > 0) {
      const { text, tooltip } = reviewText(curated);
      this.item.text = `$(checklist) ${text}${live}`;
      this.item.tooltip = `${tooltip}\n${LEGEND}`;
      return;
    }
    const annotations = uri ? this.store.get(uri) : undefined;
    if (!annotations) {
      this.item.text = `$(beaker) BioM${live}`;
      this.item.tooltip = 'BioM: run "BioM: Annotate Document" to find chemicals and genes';
      return;
    }
    const shown = shownEntities(annotations.entities, this.config.current.ner.minScore);
    const counts = countByKind(shown);
    const other = counts.other > 0 ? ` · ${counts.other} other` : '';
    const relations = annotations.relations ? ` · ${annotations.relations.length} rel` : '';
    this.item.text = `$(beaker) ${counts.chemical} chem · ${counts.gene} gene${other}${relations}${live}`;
    this.item.tooltip = `BioM: ${shown.length} entities at score ≥ ${this.config.current.ner.minScore} — click for the relations panel\n${LEGEND}`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
