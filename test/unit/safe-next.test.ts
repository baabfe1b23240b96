import { describe, expect, it } from 'vitest';
import { safeNext } from '../../app/sign-in/safe-next';

describe('safeNext: where sign-in returns to', () => {
  it('keeps a path of this dashboard, with its query and fragment', () => {
    expect(safeNext('/jobs?queue=reports&state=active')).toBe('/jobs?queue=reports&state=active');
    expect(safeNext('/jobs/reports/42#timeline')).toBe('/jobs/reports/42#timeline');
    expect(safeNext(['/signals', '/evil'])).toBe('/signals');
  });

  it('sends anything that could leave the origin to /jobs', () => {
    for (const next of [
      '//evil.example/x',
      '/\\evil.example/x',
      '/\t/evil.example/x',
      '/\n/evil.example',
      '/\r/evil.example',
      '\t//evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'evil.example',
      '',
      undefined,
    ]) {
      expect(safeNext(next), JSON.stringify(next)).toBe('/jobs');
    }
  });

  it('refuses control characters and backslashes anywhere', () => {
    expect(safeNext('/jobs\u0000')).toBe('/jobs');
    expect(safeNext('/jobs?q=a\\b')).toBe('/jobs');
    expect(safeNext('/jobs\u007f')).toBe('/jobs');
  });

  it('answers a serialised URL, always a valid Location header', () => {
    expect(safeNext('/\u3002/x')).toBe('/%E3%80%82/x');
    expect(safeNext('/jobs?name=caf\u00e9')).toBe('/jobs?name=caf%C3%A9');
    expect(safeNext('/a/../b')).toBe('/b');
    expect(safeNext('/a/%2e%2e//evil.example')).toBe('/jobs');
  });
});
