import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../app/lib/json-depth';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('[{"a":[1]}]', 3)).toBe(false);
    expect(nestsDeeperThan('[{"a":[[1]]}]', 3)).toBe(true);
    expect(nestsDeeperThan('["[[[[[[", "{{{{"]', 1)).toBe(false);
    expect(nestsDeeperThan('["\\"[[[["]', 1)).toBe(false);
  });

  it('answers for a body far deeper than any recursive parser survives', () => {
    const n = 500_000;
    expect(nestsDeeperThan(`${'['.repeat(n)}${']'.repeat(n)}`, 32)).toBe(true);
    expect(nestsDeeperThan(`${'[]'.repeat(n)}`, 32)).toBe(false);
  });
});
