// Owns brat standoff: the text file as is and a .ann file with T (mention) and R (relation) lines.
import type { AnnotatedDocument } from './document';
import { OffsetMap } from '../text/offsets';

/** The .ann content for `doc` (offsets in code points of the .txt, as brat counts them). */
export function writeBratAnnotations(doc: AnnotatedDocument): string {
  const map = new OffsetMap(doc.text);
  const ids = new Map<string, string>();
  const lines: string[] = [];
  doc.entities.forEach((e, i) => {
    const id = `T${i + 1}`;
    ids.set(`${e.start}:${e.end}`, id);
    // A mention that spans a line break is written as discontinuous fragments, as brat requires.
    const fragments: string[] = [];
    let from = e.start;
    for (const m of e.text.matchAll(/\r?\n/g)) {
      const to = e.start + m.index;
      if (to > from) fragments.push(`${map.toCodePoint(from)} ${map.toCodePoint(to)}`);
      from = to + m[0].length;
    }
    if (e.end > from) fragments.push(`${map.toCodePoint(from)} ${map.toCodePoint(e.end)}`);
    lines.push(`${id}\t${e.label.replace(/\s/g, '_')} ${fragments.join(';')}\t${e.text.replace(/\r?\n/g, ' ')}`);
  });
  (doc.relations ?? []).forEach((r, i) => {
    const chemical = ids.get(`${r.chemical.start}:${r.chemical.end}`);
    const gene = ids.get(`${r.gene.start}:${r.gene.end}`);
    if (chemical && gene) lines.push(`R${i + 1}\t${r.label.replace(/\s/g, '_')} Arg1:${chemical} Arg2:${gene}`);
  });
  doc.entities.forEach((e, i) => lines.push(`#${i + 1}\tAnnotatorNotes T${i + 1}\tscore ${e.score.toFixed(4)}`));
  // Normalizations: "N1<TAB>Reference T1 MESH:D003915<TAB>Dextromethorphan" (brat's database:id form).
  let n = 0;
  doc.entities.forEach((e, i) => {
    for (const x of e.ids ?? [])
      lines.push(`N${++n}\tReference T${i + 1} ${x.id.replace(/\s/g, '_')}\t${(x.name ?? e.text).replace(/[\t\r\n]/g, ' ')}`);
  });
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
