// Owns how the relations panel talks to the curation commands: a panel message becomes one command call, and the
// statuses the curation feature reports are put on the rows (no 'vscode': the caller passes executeCommand).
import type { OffsetSpan, RelationRow, RelationStatus, RelationsWebviewMessage } from '../shared/webviewProtocol';

/** The curation command ids the panel calls (registered by the curation feature, listed in its command table). */
export interface RelationCurationCommands {
  relation: string;
  addRelation: string;
  relationStatus: string;
}

export const RELATION_CURATION_COMMANDS: RelationCurationCommands = {
  relation: 'biom.curation.relation',
  addRelation: 'biom.curation.addRelation',
  relationStatus: 'biom.curation.relationStatus',
};

/** vscode.commands.executeCommand, or a stand-in in tests. */
export type ExecuteCommand = (command: string, ...args: unknown[]) => PromiseLike<unknown>;

export type CurationMessage = Extract<RelationsWebviewMessage, { type: 'curate' } | { type: 'addRelation' }>;

/** One command call: the id and its single argument object. */
export interface CommandCall {
  command: string;
  argument: Record<string, unknown>;
}

/** The key the curation feature names a pair by: chemical start:end, gene start:end. */
export function relationKey(chemical: OffsetSpan, gene: OffsetSpan): string {
  return `${chemical.start}:${chemical.end}:${gene.start}:${gene.end}`;
}

/** The command a panel curation message asks for. */
export function curationCall(message: CurationMessage, commands: RelationCurationCommands = RELATION_CURATION_COMMANDS): CommandCall {
  if (message.type === 'addRelation') return { command: commands.addRelation, argument: { uri: message.uri } };
  const argument: Record<string, unknown> = {
    uri: message.uri,
    chemical: { start: message.chemical.start, end: message.chemical.end },
    gene: { start: message.gene.start, end: message.gene.end },
    action: message.action,
  };
  if (message.action === 'setLabel') argument.label = message.label;
  return { command: commands.relation, argument };
}

/** Runs a panel curation message as its one command (the panel's handler; errors are the caller's to show). */
export async function runCuration(
  message: CurationMessage,
  execute: ExecuteCommand,
  commands: RelationCurationCommands = RELATION_CURATION_COMMANDS,
): Promise<void> {
  const { command, argument } = curationCall(message, commands);
  await execute(command, argument);
}

const STATUSES: ReadonlySet<string> = new Set<RelationStatus>(['suggested', 'accepted', 'rejected', 'added']);

/**
 * The statuses of a document's relations by relationKey. Without the curation feature (command not registered) every
 * row is a suggestion: an empty record. Other failures are the caller's to report.
 */
export async function relationStatuses(
  execute: ExecuteCommand,
  uri: string,
  commands: RelationCurationCommands = RELATION_CURATION_COMMANDS,
): Promise<Record<string, RelationStatus>> {
  let reply: unknown;
  try {
    reply = await execute(commands.relationStatus, uri);
  } catch (error) {
    if (isCommandNotFound(error)) return {};
    throw error;
  }
  const statuses: Record<string, RelationStatus> = {};
  if (typeof reply !== 'object' || reply === null) return statuses;
  for (const [key, value] of Object.entries(reply)) {
    if (typeof value === 'string' && STATUSES.has(value)) statuses[key] = value as RelationStatus;
  }
  return statuses;
}

/** VS Code rejects an unknown command with "command '<id>' not found". */
export function isCommandNotFound(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /not found/i.test(message);
}

/** Rows with their curation status; a pair the record does not name is a suggestion. */
export function withStatuses(rows: readonly RelationRow[], statuses: Readonly<Record<string, RelationStatus>>): RelationRow[] {
  return rows.map((row) => ({ ...row, status: statuses[relationKey(row.chemical.span, row.gene.span)] ?? 'suggested' }));
}
