import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, plural, toMillis } from '../../components/ui/format';

describe('formatting', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);

  it('says relative times in the largest unit', () => {
    expect(formatRelative(now - 2000, now)).toBe('just now');
    expect(formatRelative(now - 12_000, now)).toBe('12 sec. ago');
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 min. ago');
    expect(formatRelative(now - 5 * 3600_000, now)).toBe('5 hr. ago');
    expect(formatRelative(now + 2 * 86400_000, now)).toBe('in 2 days');
  });

  it('says durations in at most two units', () => {
    expect(formatDuration(45)).toBe('45 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(-5)).toBe('0 ms');
  });

  it('counts with the right noun', () => {
    expect(plural(1, 'job')).toBe('1 job');
    expect(plural(100000, 'job')).toBe('100,000 jobs');
  });

  it('reads times from dates, ISO strings and numbers', () => {
    expect(toMillis(new Date(now))).toBe(now);
    expect(toMillis(new Date(now).toISOString())).toBe(now);
    expect(toMillis(now)).toBe(now);
    expect(toMillis(null)).toBeNull();
    expect(toMillis('not a date')).toBeNull();
  });
});
