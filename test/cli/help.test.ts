// Every command prints its own usage for --help, and nothing waits silently on a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main';
import { assertPipedStdin, UsageError } from '../../src/cli/io';
import { biom, captureCommand } from '../helpers/cli';

test('biom COMMAND --help prints that command’s usage and exits 0 without reading stdin', () => {
  for (const command of ['ner', 'relations', 're', 'qa', 'eval', 'annotate', 'demo']) {
    // No input is given: a command that read stdin instead would print JSON or an error, not its usage.
    const r = biom([command, '--help']);
    assert.equal(r.code, 0, `${command}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage:\\n  biom ${command} `), command);
    assert.equal(r.stderr, '');
  }
  assert.match(biom(['ner', '-h']).stdout, /--aggregation max/);
});

test('a command that would read stdin from a terminal says so in one line (exit 2) instead of waiting', async () => {
  assert.throws(
    () => assertPipedStdin('--jsonl', { isTTY: true }),
    (e: unknown) => e instanceof UsageError && /terminal/.test(e.message),
  );
  assert.doesNotThrow(() => assertPipedStdin('--jsonl', { isTTY: false }));
  const stdin = process.stdin as { isTTY?: boolean };
  const was = stdin.isTTY;
  stdin.isTTY = true;
  try {
    for (const args of [['ner', '--jsonl'], ['ner'], ['qa', '--jsonl'], ['re']]) {
      const r = await captureCommand(runCli, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^biom: .*stdin, which is a terminal here: give a FILE or pipe input in/, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  } finally {
    stdin.isTTY = was;
  }
});
