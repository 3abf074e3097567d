// The entity colours (package.json contributes.colors) stay readable and visible in every built-in theme: the text
// on a tinted mention keeps WCAG AA contrast (AAA in the high-contrast themes), and the tint stands out from the page
// at least as much as the editor's own selection highlight does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

type Rgba = [number, number, number, number];
type ThemeKind = 'dark' | 'light' | 'highContrast' | 'highContrastLight';

/** Editor background and foreground of VS Code's built-in themes (extensions/theme-defaults, VS Code 1.99). */
const THEMES: { name: string; kind: ThemeKind; background: string; foreground: string }[] = [
  { name: 'Dark Modern', kind: 'dark', background: '#1F1F1F', foreground: '#CCCCCC' },
  { name: 'Dark+', kind: 'dark', background: '#1E1E1E', foreground: '#D4D4D4' },
  { name: 'Light Modern', kind: 'light', background: '#FFFFFF', foreground: '#3B3B3B' },
  { name: 'Light+', kind: 'light', background: '#FFFFFF', foreground: '#000000' },
  { name: 'Dark High Contrast', kind: 'highContrast', background: '#000000', foreground: '#FFFFFF' },
  { name: 'Light High Contrast', kind: 'highContrastLight', background: '#FFFFFF', foreground: '#292929' },
];

/** WCAG 2.x: 4.5:1 for text (AA); the high-contrast themes promise more, so 7:1 (AAA) there. */
const TEXT_ON_TINT = { dark: 4.5, light: 4.5, highContrast: 7, highContrastLight: 7 } as const;
/**
 * A tint is a highlight only if it can be seen: at least 1.25:1 against the editor background. For scale, Light
 * Modern's selection highlight (#ADD6FF80 on white) is 1.23:1. Telling the kinds apart does not rest on the tint:
 * each kind also has its own underline style, drawn in the text colour (so it has the text's contrast).
 */
const TINT_ON_BACKGROUND = 1.25;

function parse(hex: string): Rgba {
  const h = hex.replace('#', '');
  const n = (i: number): number => Number.parseInt(h.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
}

/** `top` (with its alpha) painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { colors: { id: string; defaults: Record<ThemeKind, string> }[] };
};
const entityColours = manifest.contributes.colors.filter((c) => c.id.startsWith('biom.entity.'));

describe('entity colours in the built-in themes', () => {
  it('the contrast arithmetic matches WCAG reference values', () => {
    assert.equal(contrast(parse('#000000'), parse('#FFFFFF')), 21);
    assert.ok(Math.abs(contrast(parse('#767676'), parse('#FFFFFF')) - 4.54) < 0.01);
    assert.deepEqual(over(parse('#FFFFFF80'), parse('#000000')).map(Math.round), [128, 128, 128, 1]);
  });

  it('every entity kind has a colour for each theme kind', () => {
    assert.deepEqual(entityColours.map((c) => c.id).sort(), ['biom.entity.chemical', 'biom.entity.gene', 'biom.entity.other']);
    for (const colour of entityColours) {
      for (const kind of Object.keys(TEXT_ON_TINT))
        assert.match(colour.defaults[kind as ThemeKind], /^#[0-9a-f]{8}$/i, `${colour.id} ${kind}`);
    }
  });

  for (const theme of THEMES) {
    it(`${theme.name}: mention text stays readable on its tint, and the tint stands out from the page`, () => {
      const background = parse(theme.background);
      const text = parse(theme.foreground);
      const problems: string[] = [];
      for (const colour of entityColours) {
        const tint = over(parse(colour.defaults[theme.kind]), background);
        const onTint = contrast(text, tint);
        const visible = contrast(tint, background);
        if (onTint < TEXT_ON_TINT[theme.kind])
          problems.push(`${colour.id}: text on tint ${onTint.toFixed(2)} < ${TEXT_ON_TINT[theme.kind]}`);
        if (visible < TINT_ON_BACKGROUND) problems.push(`${colour.id}: tint on background ${visible.toFixed(2)} < ${TINT_ON_BACKGROUND}`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
