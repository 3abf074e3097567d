// The relations panel's curation: a row's Accept / Reject / class change and "Add relation…" become one curation
// command call each, statuses come back onto the rows, and messages a webview sends are checked first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  relationKey,
  relationStatuses,
  RELATION_CURATION_COMMANDS,
  runCuration,
  withStatuses,
  type ExecuteCommand,
} from '../../src/host/relationCuration';
import { jsonText, relationRows } from '../../src/host/relationRows';
import { parseRelationsWebviewMessage } from '../../src/host/webviewMessages';
import type { Relation } from '../../src/core/types';
import type { RelationRow } from '../../src/shared/webviewProtocol';

const uri = 'file:///work/abstract.txt';
const chemical = { start: 0, end: 9 };
const gene = { start: 19, end: 23 };

/** Records what the panel asks VS Code to run, answering like the curation feature would (or not at all). */
function recorder(answer: (command: string, args: unknown[]) => unknown): { execute: ExecuteCommand; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  return {
    calls,
    execute: async (command, ...args) => {
      calls.push([command, args]);
      return answer(command, args);
    },
  };
}

/** What the panel does with a raw message: check it (connectWebview), then run it (RelationsPanel.curate). */
async function handle(raw: unknown, execute: ExecuteCommand): Promise<boolean> {
  const message = parseRelationsWebviewMessage(raw);
  if (!message || (message.type !== 'curate' && message.type !== 'addRelation')) return false;
  await runCuration(message, execute);
  return true;
}

describe('relation curation from the panel', () => {
  it('Accept, Reject and Change class call biom.curation.relation with the pair and the action', async () => {
    const { execute, calls } = recorder(() => undefined);
    assert.ok(await handle({ type: 'curate', uri, chemical, gene, action: 'accept' }, execute));
    assert.ok(await handle({ type: 'curate', uri, chemical, gene, action: 'reject' }, execute));
    assert.ok(await handle({ type: 'curate', uri, chemical, gene, action: 'setLabel', label: 'CPR:4' }, execute));
    assert.deepEqual(calls, [
      ['biom.curation.relation', [{ uri, chemical, gene, action: 'accept' }]],
      ['biom.curation.relation', [{ uri, chemical, gene, action: 'reject' }]],
      ['biom.curation.relation', [{ uri, chemical, gene, action: 'setLabel', label: 'CPR:4' }]],
    ]);
  });

  it('"Add relation…" calls biom.curation.addRelation with the document', async () => {
    const { execute, calls } = recorder(() => undefined);
    assert.ok(await handle({ type: 'addRelation', uri }, execute));
    assert.deepEqual(calls, [['biom.curation.addRelation', [{ uri }]]]);
  });

  it('a malformed or forged message calls nothing', async () => {
    const { execute, calls } = recorder(() => undefined);
    const bad: unknown[] = [
      { type: 'curate', uri, chemical, gene, action: 'delete' },
      { type: 'curate', uri, chemical, gene, action: 'setLabel' },
      { type: 'curate', uri, chemical, gene, action: 'setLabel', label: '  ' },
      { type: 'curate', uri, chemical, gene, action: 'setLabel', label: 'x'.repeat(65) },
      { type: 'curate', uri, chemical: { start: 5, end: 2 }, gene, action: 'accept' },
      { type: 'curate', uri, chemical, action: 'accept' },
      { type: 'curate', uri: '', chemical, gene, action: 'accept' },
      { type: 'addRelation' },
      { type: 'runCommand', command: 'biom.curation.relation' },
    ];
    for (const raw of bad) assert.equal(await handle(raw, execute), false, JSON.stringify(raw));
    assert.deepEqual(calls, []);
  });

  it('extra fields a webview adds never reach the command', async () => {
    const { execute, calls } = recorder(() => undefined);
    await handle({ type: 'curate', uri, chemical: { ...chemical, x: 1 }, gene, action: 'accept', label: 'CPR:3', command: 'rm' }, execute);
    assert.deepEqual(calls, [['biom.curation.relation', [{ uri, chemical, gene, action: 'accept' }]]]);
  });
});

describe('relation statuses on the rows', () => {
  const text = 'Aspirin inhibits COX-1 in platelets.';
  const relation = (label: string): Relation => ({
    chemical: { label: 'CHEMICAL', start: 0, end: 7, text: 'Aspirin', score: 0.9 },
    gene: { label: 'GENE', start: 17, end: 22, text: 'COX-1', score: 0.9 },
    label,
    score: 0.8,
    sentence: { start: 0, end: text.length },
  });
  const rows = relationRows(text, [relation('CPR:4')]);

  it('asks biom.curation.relationStatus for the document and marks each row by its pair', async () => {
    const key = relationKey({ start: 0, end: 7 }, { start: 17, end: 22 });
    assert.equal(key, '0:7:17:22');
    const { execute, calls } = recorder(() => ({ [key]: 'rejected', '1:2:3:4': 'accepted' }));
    const statuses = await relationStatuses(execute, uri);
    assert.deepEqual(calls, [[RELATION_CURATION_COMMANDS.relationStatus, [uri]]]);
    assert.deepEqual(
      withStatuses(rows, statuses).map((r) => r.status),
      ['rejected'],
    );
  });

  it('without the curation feature ("command not found") every row is a suggestion', async () => {
    const { execute } = recorder(() => {
      throw new Error("command 'biom.curation.relationStatus' not found");
    });
    assert.deepEqual(await relationStatuses(execute, uri), {});
    assert.deepEqual(
      withStatuses(rows, {}).map((r) => r.status),
      ['suggested'],
    );
  });

  it('other failures are reported to the caller, unknown statuses are ignored', async () => {
    await assert.rejects(
      relationStatuses(
        recorder(() => {
          throw new Error('disk full');
        }).execute,
        uri,
      ),
      /disk full/,
    );
    assert.deepEqual(await relationStatuses(recorder(() => ({ '0:7:17:22': 'deleted', '1:2:3:4': 'added' })).execute, uri), {
      '1:2:3:4': 'added',
    });
    assert.deepEqual(await relationStatuses(recorder(() => undefined).execute, uri), {});
  });

  it('rows cross to the webview as JSON text that reads back to the same rows', () => {
    const sent = jsonText(withStatuses(rows, { '0:7:17:22': 'accepted' }));
    assert.equal(typeof sent, 'string');
    const back = JSON.parse(sent) as RelationRow[];
    assert.equal(back[0].status, 'accepted');
    assert.deepEqual(back[0].chemical, { text: 'Aspirin', span: { start: 0, end: 7 } });
  });
});
