import { describe, expect, it } from 'vitest';
import { storableJson } from '../../db/storable';

describe('storableJson', () => {
  it('replaces NUL in strings and keys, deeply, and leaves everything else alone', () => {
    expect(
      storableJson({
        a: 'x\u0000y',
        'k\u0000': [1, 'z\u0000', { n: null, t: true }],
        d: '\\u0000',
      }),
    ).toEqual({
      a: 'x\ufffdy',
      'k\ufffd': [1, 'z\ufffd', { n: null, t: true }],
      d: '\\u0000',
    });
  });
});
