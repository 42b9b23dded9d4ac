import { ratioOf, type ScenarioResult } from './result.js';

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100 || Number.isInteger(value))
    return Math.round(value).toLocaleString('en-US');
  return Math.abs(value) >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(2)));
}

/** Renders rows as a GitHub-flavoured Markdown table with right-aligned numbers. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The summary table of one or more scenario results: one row per figure, peer and ratio beside it. */
export function summaryTable(results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((result) =>
    result.figures.map((figure) => [
      `${result.scenario}: ${figure.name}`,
      figure.unit,
      formatNumber(figure.ours),
      formatNumber(figure.peer),
      formatNumber(ratioOf(figure)),
      figure.target ?? '',
    ]),
  );
  return markdownTable(['figure', 'unit', 'ours', 'peer (BullMQ)', 'ours/peer', 'target'], rows);
}
