import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDraft, debounce, draftKey, draftsOf, loadDraft, saveDraft } from './visit-draft';
import { emptyVisitForm, newDemandRow, newProblemRow } from './visit-form';

const NOW = new Date('2025-03-10T02:00:00Z');

describe('the visit draft on the device', () => {
  afterEach(() => localStorage.clear());

  it('is kept per person and enterprise, and comes back as typed', () => {
    const key = draftKey('user-1', 'ent-1');
    expect(key).not.toBe(draftKey('user-2', 'ent-1'));
    expect(key).not.toBe(draftKey('user-1', 'ent-2'));
    const form = {
      ...emptyVisitForm(NOW),
      summary: '车间满负荷',
      demands: [{ ...newDemandRow(), occupation: '焊工', headcount: 0 }],
      problems: [{ ...newProblemRow(), title: '缺电工', category: 'recruitment' as const }],
    };
    saveDraft(localStorage, key, form, NOW);
    const restored = loadDraft(localStorage, key);
    expect(restored?.form).toEqual(form);
    expect(restored?.savedAt).toBe(NOW.toISOString());
    expect(loadDraft(localStorage, draftKey('user-2', 'ent-1'))).toBeNull();
    clearDraft(localStorage, key);
    expect(loadDraft(localStorage, key)).toBeNull();
  });

  it('keeps nothing for an untouched form, and forgets a draft emptied again', () => {
    const key = draftKey('u', 'e');
    saveDraft(localStorage, key, emptyVisitForm(NOW));
    expect(localStorage.getItem(key)).toBeNull();
    saveDraft(localStorage, key, { ...emptyVisitForm(NOW), summary: '有内容' });
    expect(localStorage.getItem(key)).not.toBeNull();
    saveDraft(localStorage, key, emptyVisitForm(NOW));
    expect(localStorage.getItem(key)).toBeNull();
  });

  it('drops what it cannot read and repairs bad values', () => {
    const key = draftKey('u', 'e');
    localStorage.setItem(key, '{not json');
    expect(loadDraft(localStorage, key)).toBeNull();
    localStorage.setItem(key, JSON.stringify({ v: 99, form: {} }));
    expect(loadDraft(localStorage, key)).toBeNull();
    localStorage.setItem(
      key,
      JSON.stringify({
        v: 1,
        savedAt: 'x',
        form: {
          visitedAt: NOW.getTime(),
          method: 'fax',
          summary: 3,
          demands: [{ occupation: '焊工', headcount: '5', urgency: 'soon' }, null],
          problems: 'none',
        },
      }),
    );
    const restored = loadDraft(localStorage, key)!;
    expect(restored.form.method).toBe('on_site');
    expect(restored.form.summary).toBe('');
    expect(restored.form.demands).toHaveLength(1);
    expect(restored.form.demands[0]).toMatchObject({ occupation: '焊工', headcount: undefined, urgency: 'normal' });
    expect(restored.form.demands[0].key).toBeTruthy();
    expect(restored.form.problems).toEqual([]);
  });

  it('writes once typing pauses, or at once when flushed', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d.schedule();
    d.schedule();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    d.schedule();
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

describe("a person's drafts on the device", () => {
  it('are found by person, so that 退出 drops theirs and no one else’s', () => {
    localStorage.clear();
    const form = { ...emptyVisitForm(), summary: '走访' };
    saveDraft(localStorage, draftKey('a', 'e1'), form);
    saveDraft(localStorage, draftKey('a', 'e2'), form);
    saveDraft(localStorage, draftKey('ab', 'e1'), form);
    localStorage.setItem('keydesk.session', '{}');
    expect(draftsOf(localStorage, 'a').sort()).toEqual([draftKey('a', 'e1'), draftKey('a', 'e2')]);
    for (const key of draftsOf(localStorage, 'a')) clearDraft(localStorage, key);
    expect(draftsOf(localStorage, 'a')).toEqual([]);
    expect(draftsOf(localStorage, 'ab')).toEqual([draftKey('ab', 'e1')]);
  });
});
