// The relations panel's virtualized list: which rows a scroll position draws, and where a row lands when it is shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ItemHeights, scrollToShow, visibleRange } from '../../webview/relations/layout';

function list(count: number, estimate = 50): ItemHeights {
  const heights = new ItemHeights();
  heights.reset(
    Array.from({ length: count }, (_, i) => `k${i}`),
    Array.from({ length: count }, () => estimate),
  );
  return heights;
}

describe('virtualized relations list', () => {
  it('draws only the rows in view plus the margin, out of 5,000', () => {
    const heights = list(5000);
    assert.equal(heights.total, 250_000);
    const { first, last } = visibleRange(heights, 100_000, 600, 200);
    assert.equal(first, (100_000 - 200) / 50);
    assert.equal(last, (100_000 + 600 + 200) / 50);
    assert.ok(last - first + 1 < 30, `${last - first + 1} rows drawn`);
  });

  it('an empty list draws nothing; the end of the list is clamped', () => {
    assert.deepEqual(visibleRange(list(0), 0, 600, 200), { first: 0, last: -1 });
    assert.deepEqual(visibleRange(list(10), 10_000, 600, 200), { first: 9, last: 9 });
  });

  it('measured heights move the rows below them and are kept across a filter', () => {
    const heights = list(4);
    assert.equal(heights.measure(1, 120), true);
    assert.equal(heights.measure(1, 120), false, 'the same height again changes nothing');
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => heights.offset(i)),
      [0, 50, 170, 220, 270],
    );
    assert.equal(heights.indexAt(169), 1);
    assert.equal(heights.indexAt(170), 2);
    // A filter leaves k1 and k3: k1 keeps its measured height.
    heights.reset(['k1', 'k3'], [50, 50]);
    assert.deepEqual(
      [0, 1, 2].map((i) => heights.offset(i)),
      [0, 120, 170],
    );
  });

  it('showing a row scrolls as little as possible', () => {
    const heights = list(100);
    assert.equal(scrollToShow(heights, 10, 400, 300), 400, 'already in view');
    assert.equal(scrollToShow(heights, 2, 400, 300), 100, 'above: its top at the top');
    assert.equal(scrollToShow(heights, 20, 400, 300), 1050 - 300, 'below: its bottom at the bottom');
  });
});
