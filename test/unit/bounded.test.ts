import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../app/contracts/limits';
import { boundJson, boundLines, boundText, cutText } from '../../components/ui/bounded';

describe('what of a large value reaches the browser', () => {
  it('a small value goes whole', () => {
    const value = { a: [1, 2, 3], b: 'x'.repeat(100) };
    expect(boundJson(value)).toMatchObject({ whole: true, value });
  });

  it('a 5 MB value goes as its first 16 KB of indented JSON, cut at a line end, with its size', () => {
    const value = { rows: Array.from({ length: 50_000 }, (_, i) => ({ i, text: 'd'.repeat(90) })) };
    const shown = boundJson(value);
    expect(shown.whole).toBe(false);
    if (shown.whole) return;
    expect(shown.bytes).toBe(JSON.stringify(value).length);
    expect(utf8Bytes(shown.head)).toBeLessThanOrEqual(16 * 1024);
    expect(utf8Bytes(shown.head)).toBeGreaterThan(12 * 1024);
    expect(shown.head.startsWith('{\n  "rows": [\n    {\n      "i": 0,')).toBe(true);
    expect(JSON.stringify(value, null, 2).startsWith(`${shown.head}\n`)).toBe(true);
  });

  it('never splits a character, whatever its size in bytes', () => {
    const text = '😀'.repeat(10_000);
    const cut = cutText(text, 1001);
    expect(utf8Bytes(cut)).toBe(1000);
    expect(cut).toBe('😀'.repeat(250));
    expect(boundText('é'.repeat(600), 1000)).toEqual({
      text: 'é'.repeat(500),
      cut: true,
      bytes: 1200,
    });
    expect(boundText('short', 1000)).toEqual({ text: 'short', cut: false, bytes: 5 });
  });

  it('logs: the newest lines that fit, each cut to its own budget', () => {
    const lines = ['old', 'x'.repeat(5000), 'new'];
    expect(boundLines(lines, 100, 1000)).toEqual({
      lines: ['old', 'x'.repeat(100), 'new'],
      skipped: 0,
      cutLine: true,
    });
    const many = Array.from({ length: 1000 }, (_, i) => `line ${i}`.padEnd(100, '.'));
    const shown = boundLines(many, 200, 10_000);
    expect(shown.lines).toHaveLength(100);
    expect(shown.skipped).toBe(900);
    expect(shown.lines.at(-1)).toBe(many.at(-1));
  });
});
