import { describe, expect, it } from 'vitest';
import { KEY_MAX_BYTES, QUEUE_MAX_BYTES, tooLong, utf8Bytes } from '../../app/contracts/limits';
import {
  bulkSignalRequestSchema,
  describeIssues,
  jobName,
  signalRequestSchema,
} from '../../app/requests/schema';

const issue = (r: { success: boolean; error?: unknown }) =>
  r.success ? null : describeIssues(r.error as Parameters<typeof describeIssues>[0]);

describe('one cap for ids, names and queues', () => {
  it('counts UTF-8 bytes, as PostgreSQL stores them', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('€')).toBe(3);
    expect(utf8Bytes('😀')).toBe(4);
  });

  it('says it in one sentence', () => {
    expect(tooLong('jobId', KEY_MAX_BYTES)).toBe('jobId is longer than 2,048 bytes (UTF-8)');
  });

  it('takes a 500-character id and a 2,000-character name, exactly as given', () => {
    const jobId = ` tenant/${'x'.repeat(491)}`;
    const r = signalRequestSchema.parse({ queue: 'q', jobId, signal: 'cancel' });
    expect(r.jobId).toBe(jobId);
    const name = `export-${'n'.repeat(1993)}`;
    expect(bulkSignalRequestSchema.parse({ queue: 'q', signal: 'cancel', name }).name).toBe(name);
  });

  it('refuses one byte more, with the same words for the API, the actions and the count', () => {
    const over = 'x'.repeat(KEY_MAX_BYTES + 1);
    expect(
      issue(signalRequestSchema.safeParse({ queue: 'q', jobId: over, signal: 'cancel' })),
    ).toBe('jobId: jobId is longer than 2,048 bytes (UTF-8).');
    expect(
      issue(
        bulkSignalRequestSchema.safeParse({ queue: 'q', signal: 'cancel', jobIds: ['1', over] }),
      ),
    ).toBe('jobIds.1: jobId is longer than 2,048 bytes (UTF-8).');
    expect(
      issue(bulkSignalRequestSchema.safeParse({ queue: 'q', signal: 'cancel', name: over })),
    ).toBe('name: name is longer than 2,048 bytes (UTF-8).');
    expect(issue(jobName.safeParse('€'.repeat(683)))).toBe(
      'name is longer than 2,048 bytes (UTF-8).',
    );
    expect(
      issue(
        signalRequestSchema.safeParse({
          queue: 'q'.repeat(QUEUE_MAX_BYTES + 1),
          jobId: '1',
          signal: 'cancel',
        }),
      ),
    ).toBe('queue: queue is longer than 512 bytes (UTF-8).');
  });
});
