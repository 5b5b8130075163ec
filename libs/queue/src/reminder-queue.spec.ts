import { wakeUpJobId, wakeUpMoment } from './reminder-queue';

const problem = (id: string) => ({ type: 'problem' as const, id });

describe('wake-up job ids', () => {
  const bucket = 1_764_000_000_200;

  it('name the same wake-up the same way, so that scheduling it twice adds it once', () => {
    const batch = [problem('a'), problem('b'), problem('c')];
    expect(wakeUpJobId(bucket, batch)).toBe(wakeUpJobId(bucket, [...batch]));
    expect(wakeUpJobId(bucket, [problem('a')])).toBe(`wake-${bucket}-problem-a`);
  });

  it('never give two different batches of one moment the same id (BullMQ would drop the second)', () => {
    // Same moment, same first subject, same size: only the rest differs.
    const one = wakeUpJobId(bucket, [problem('a'), problem('b')]);
    const other = wakeUpJobId(bucket, [problem('a'), problem('c')]);
    expect(one).not.toBe(other);
    expect(wakeUpJobId(bucket, [problem('a'), { type: 'enterprise', id: 'b' }])).not.toBe(one);
    expect(wakeUpJobId(bucket + 200, [problem('a'), problem('b')])).not.toBe(one);
  });

  it('carry their moment, and no ":" (BullMQ refuses it in an id)', () => {
    const id = wakeUpJobId(bucket, [problem('a'), problem('b')]);
    expect(wakeUpMoment(id)).toEqual(new Date(bucket));
    expect(id).not.toContain(':');
  });
});
