import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../app/lib/csv';

describe('csv', () => {
  it('quotes every cell, doubling quotes, so no separator of any locale splits one', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;=1+1')).toBe('"a;=1+1"');
    expect(csvCell(';=1+1')).toBe('";=1+1"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
  });

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvCell('+1+2')).toBe(`"'+1+2"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a=1')).toBe('"a=1"');
  });

  it('writes numbers, dates and JSON as they are', () => {
    expect(csvCell(-5)).toBe('"-5"');
    expect(csvCell(new Date('2025-03-01T10:00:00Z'))).toBe('"2025-03-01T10:00:00.000Z"');
    expect(csvCell({ at: 'page 4', n: 1 })).toBe('"{""at"":""page 4"",""n"":1}"');
    expect(csvCell({ note: '=cmd' })).toBe('"{""note"":""=cmd""}"');
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 1, null])).toBe('"a","1",""\r\n');
  });
});
