// The curation keys: one chord family, every per-entity action one keystroke away, and no clash with VS Code's own
// defaults (editor and find widget) or the Windows/Linux menu-bar mnemonics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommandId } from '../../src/extension/commands/commandIds';

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { keybindings: Keybinding[] };
};
const curationKeys = manifest.contributes.keybindings.filter((k) => k.command.startsWith('biom.curation.'));

/**
 * VS Code defaults on Windows/Linux that an Alt+letter could shadow in a text editor: find-widget toggles (Alt+C/R/W/L/P,
 * scoped to editorFocus, so they fire in the editor too), word wrap (Alt+Z), menu mnemonics (File, Edit, Selection,
 * View, Go, Run, Terminal, Help) and Alt+digit (switch editor group on Linux).
 */
const TAKEN_WINDOWS_LINUX = new Set([
  'alt+c',
  'alt+r',
  'alt+w',
  'alt+l',
  'alt+p',
  'alt+z',
  'alt+f',
  'alt+e',
  'alt+s',
  'alt+v',
  'alt+g',
  'alt+t',
  'alt+h',
  ...'0123456789'.split('').map((d) => `alt+${d}`),
  'shift+alt+a',
  'shift+alt+f',
  'shift+alt+i',
  'shift+alt+o',
  'shift+alt+r',
]);

/** macOS: Option+letter types characters (å, ∫, …), and Cmd+Alt+C/R/W are the find toggles; Ctrl+Alt is free. */
const TAKEN_MAC = new Set([
  'cmd+alt+c',
  'cmd+alt+r',
  'cmd+alt+w',
  'cmd+alt+f',
  'alt+a',
  'alt+x',
  'alt+k',
  'alt+b',
  'alt+n',
  'alt+d',
  'alt+j',
  'alt+u',
]);

const normalize = (key: string): string => key.split('+').sort().join('+');

describe('curation keybindings', () => {
  it('every per-entity action, review step and undo/redo has a key, only in a curated editor', () => {
    const bound = new Set(curationKeys.map((k) => k.command));
    for (const command of [
      CommandId.curationAccept,
      CommandId.curationReject,
      CommandId.curationChangeType,
      CommandId.curationFixSpan,
      CommandId.curationAddEntity,
      CommandId.curationDelete,
      CommandId.curationNext,
      CommandId.curationPrevious,
      CommandId.curationUndo,
      CommandId.curationRedo,
    ]) {
      assert.ok(bound.has(command), command);
    }
    for (const k of curationKeys) assert.match(k.when ?? '', /editorTextFocus && .*biom\.curation\.active/, k.command);
  });

  it('one family: Alt+key on Windows/Linux and Ctrl+Alt+key on macOS, the same letter on both', () => {
    for (const k of curationKeys) {
      assert.match(k.key, /^alt\+(shift\+)?[a-z]$/, k.command);
      assert.equal(k.mac, `ctrl+${k.key}`, k.command);
    }
  });

  it('no key is bound twice, none shadows a VS Code default or a menu mnemonic, and Ctrl+Z stays text undo', () => {
    const keys = curationKeys.map((k) => normalize(k.key));
    assert.equal(new Set(keys).size, keys.length);
    const taken = new Set([...TAKEN_WINDOWS_LINUX].map(normalize));
    for (const key of keys) assert.ok(!taken.has(key), key);
    const takenMac = new Set([...TAKEN_MAC].map(normalize));
    for (const k of curationKeys) assert.ok(!takenMac.has(normalize(k.mac ?? '')), k.mac);
    assert.ok(!curationKeys.some((k) => /(^|\+)z$/.test(k.key) && /ctrl/.test(k.key)));
  });
});
