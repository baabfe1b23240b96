import { describe, expect, it } from 'vitest';
import {
  firstParam,
  parseList,
  parsePage,
  parsePageSize,
  parseSort,
  serializeSort,
} from '../../components/data-table/url-state';

describe('data table URL state', () => {
  it('reads a page number and falls back to 1 for anything else', () => {
    expect(parsePage('3')).toBe(3);
    for (const bad of [null, undefined, '', '0', '-2', '1.5', 'x', '1e9'])
      expect(parsePage(bad)).toBe(1);
  });

  it('accepts only the offered page sizes', () => {
    expect(parsePageSize('100', [20, 50, 100], 50)).toBe(100);
    expect(parsePageSize('1000', [20, 50, 100], 50)).toBe(50);
    expect(parsePageSize(null, [20, 50, 100], 50)).toBe(50);
  });

  it('reads column.direction sorts of sortable columns only', () => {
    const fallback = { id: 'added', desc: true };
    expect(parseSort('added.asc', ['added'], fallback)).toEqual({ id: 'added', desc: false });
    expect(parseSort('added', ['added'], fallback)).toEqual({ id: 'added', desc: false });
    expect(parseSort('name.asc', ['added'], fallback)).toBe(fallback);
    expect(parseSort('added.sideways', ['added'], fallback)).toBe(fallback);
    expect(serializeSort({ id: 'created.at', desc: true })).toBe('created.at.desc');
    expect(parseSort('created.at.desc', ['created.at'], fallback)).toEqual({
      id: 'created.at',
      desc: true,
    });
  });

  it('keeps allowed list values in their canonical order, once', () => {
    expect(parseList('paused,active,bogus,active', ['active', 'paused'] as const)).toEqual([
      'active',
      'paused',
    ]);
    expect(parseList('', ['a'] as const)).toEqual([]);
  });

  it('takes the first of repeated parameters, trimmed, and ignores empty ones', () => {
    expect(firstParam({ q: [' a ', 'b'] }, 'q')).toBe('a');
    expect(firstParam({ q: '  ' }, 'q')).toBeUndefined();
    expect(firstParam({}, 'q')).toBeUndefined();
  });
});
