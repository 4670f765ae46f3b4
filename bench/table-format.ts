/** Benchmark tables as aligned Markdown: readable in a terminal, pasted as they are into docs/benchmarks.md. */
import type { Cell, ResultTable } from './benchmark';

export function formatTable(table: ResultTable): string {
  const cells = [table.columns.map(String), ...table.rows.map((row) => row.map(formatCell))];
  const widths = table.columns.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${widths.map((width, column) => pad(row[column] ?? '', width, column > 0 && isNumeric(row[column]))).join(' | ')} |`;
  const separator = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(cells[0]), separator, ...cells.slice(1).map(line)].join('\n');
}

export function formatCell(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '-';
  return Number.isInteger(cell) ? cell.toLocaleString('en-US') : String(cell);
}

function isNumeric(text: string | undefined): boolean {
  return text !== undefined && /^[-+$]?[\d,.]+(%| s| ms| x)?$/.test(text);
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}
