/**
 * CSV for spreadsheets, RFC 4180 style. A cell that a spreadsheet would run as a
 * formula (starting with =, +, -, @, a tab or a carriage return, as OWASP lists
 * them) gets a leading apostrophe, so `=HYPERLINK(...)` in a reason is shown as
 * text, never evaluated. Numbers and dates we produce ourselves are left as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
