// Owns the words of "Compare Model with Curated": the model's P/R/F1 per type against the curator's decisions, as
// markdown for a preview (no 'vscode'; the numbers come from src/core/eval/agreement.ts).
import type { ModelComparison, Prf } from '../core/eval/agreement';

/** Table cells come from file contents (type names): a pipe or a newline would break the table. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
}

function row(name: string, score: Prf): string {
  const pct = (x: number): string => (x * 100).toFixed(1);
  return `| ${name} | ${pct(score.p)} | ${pct(score.r)} | ${pct(score.f1)} |`;
}

/** A markdown report: what was compared, one row per measure and type, and what the numbers mean. */
export function comparisonMarkdown(scope: string, report: ModelComparison): string {
  const { exact, overlap, ...types } = report.entities;
  const lines = [
    `# Model vs curated: ${cell(scope)}`,
    '',
    `${report.documents} document${report.documents === 1 ? '' : 's'}; the model's suggestions are scored against the curator's decisions (accepted and added mentions are the reference, rejected ones count against the model). ${report.unreviewed} suggestion${report.unreviewed === 1 ? '' : 's'} not reviewed yet ${report.unreviewed === 1 ? 'is' : 'are'} left out.`,
    '',
    '| | precision % | recall % | F1 % |',
    '|---|---:|---:|---:|',
    row('**entities, exact span and type**', exact),
    row('entities, overlapping span', overlap),
    ...Object.keys(types)
      .sort()
      .map((type) => row(cell(type), types[type])),
    row('**relations**', report.relations),
  ];
  return `${lines.join('\n')}\n`;
}
