// The one CSV writer of the product (screening results in the CLI and the app, and any other CSV
// it writes). papaparse's unparse with escapeFormulae: a cell starting with =, +, -, @, a tab or
// a carriage return gets a leading ' so that a spreadsheet shows it as text instead of running it
// (a company name "=HYPERLINK(...)" from a registry file is data, never a formula). Numbers and
// booleans are written as they are.
import Papa from 'papaparse';

export type CsvCell = string | number | boolean | null | undefined;

const OPTIONS = { escapeFormulae: true, newline: '\n', header: false } as const;

/** One CSV line, with its line break. */
export function csvLine(cells: readonly CsvCell[]): string {
  return Papa.unparse([cells.map((c) => c ?? '')], OPTIONS) + '\n';
}

/** A whole CSV text: the header line, then the rows. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
