/**
 * CSV for spreadsheets, RFC 4180 style. Every cell is quoted: Excel in a locale
 * whose list separator is `;` splits unquoted cells at `;`, so `a;=1+1` would
 * become a formula cell. A cell that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return, as OWASP lists them) also
 * gets a leading apostrophe, so `=HYPERLINK(...)` in a reason is shown as text,
 * never evaluated. Numbers and dates we produce ourselves are left as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown): string {
  return `"${cellText(value).replaceAll('"', '""')}"`;
}

/** One line, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
