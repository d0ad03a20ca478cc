/**
 * Tables for people (the --json result carries the same rows): on a terminal they fit its width,
 * wrapping long cells (@oclif/table); in a pipe no cell is cut. `--csv` (on every command that
 * prints a table) gives the same rows as RFC 4180 CSV for a spreadsheet. @oclif/table (ink and
 * React, a quarter of a second to load on a quiet machine) is loaded only when columns are drawn:
 * never for --json or --csv.
 */
import { Flags } from '@oclif/core';

/** The flag of every command that prints a table. */
export const tableFlags = {
  csv: Flags.boolean({ description: 'Print the table as CSV (a header line, then one line per row) instead of aligned columns.' }),
};

export interface RenderTableOptions {
  /** CSV instead of aligned columns. */
  readonly csv?: boolean | undefined;
  /** Columns available; default: the terminal's width on a terminal, unlimited in a pipe. */
  readonly width?: number | undefined;
}

export async function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options: RenderTableOptions = {}): Promise<string> {
  if (options.csv) return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n');
  if (rows.length === 0) return '(none)';
  const { makeTable } = await import('@oclif/table');
  const width = options.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined);
  const data = rows.map((row) => Object.fromEntries(header.map((_, i) => [`c${i}`, row[i] ?? ''])));
  const text = makeTable({
    data,
    columns: header.map((name, i) => ({ key: `c${i}`, name })),
    borderStyle: 'headers-only',
    noStyle: true,
    padding: 1,
    overflow: 'wrap',
    maxWidth: width ?? 'none',
    headerOptions: { formatter: (name: string) => name },
  });
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines[0] === '') lines.shift();
  while (lines.at(-1) === '') lines.pop();
  const indent = Math.min(...lines.filter((line) => line !== '').map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

function csvCell(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
