// The curation part of an entity hover: status, mismatch warning and one command link per action that decodes to
// exactly the entity it names, whatever characters the file name has.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curationMarkdown } from '../../src/extension/hover/hoverContent';

describe('curation hover links', () => {
  it('each link runs its command with the entity it names, even for a file name with parentheses', () => {
    const ref = { uri: 'file:///data/paper%20(1).txt', id: 'T7' };
    const markdown = curationMarkdown('suggested', false, [
      { title: 'Accept (Alt+A)', command: 'biom.curation.accept', args: ref },
      { title: 'Reject (Alt+X)', command: 'biom.curation.reject', args: ref },
    ]);
    assert.match(markdown, /Curation: \*\*suggested\*\*/);
    const links = [...markdown.matchAll(/\[([^\]]*)\]\(command:([\w.]+)\?([^)\s]*)\)/g)];
    assert.deepEqual(
      links.map((l) => l[2]),
      ['biom.curation.accept', 'biom.curation.reject'],
    );
    for (const l of links) assert.deepEqual(JSON.parse(decodeURIComponent(l[3])), [ref]);
    assert.doesNotMatch(markdown, /warning/);
  });

  it('a mismatched mention says its text changed outside the editor', () => {
    assert.match(curationMarkdown('accepted', true, []), /changed outside the editor/);
  });
});
