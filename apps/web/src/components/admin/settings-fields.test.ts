import { describe, expect, it } from 'vitest';
import { changedFields, patchOf, SETTING_FIELDS, valuesOf, type Settings } from './settings-fields';

const settings: Settings = {
  slaDays: { urgent: 1, high: 3, normal: 7, low: 15 },
  visitCadenceDays: { provincial: 14, municipal: 30, district: 60 },
  reminderOffsets: {
    visitUpcomingDays: 3,
    visitOverdueDays: 1,
    problemDueSoonHours: 24,
    problemLongOverdueDays: 3,
    demandStaleDays: 30,
  },
  version: 4,
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('settings fields', () => {
  it('cover every number of the settings, each with a Chinese label', () => {
    expect(Object.keys(valuesOf(settings))).toHaveLength(12);
    for (const field of SETTING_FIELDS) expect(field.label).toMatch(/[\u4e00-\u9fa5]+（(天|小时)）$/);
  });

  it('send the groups with a change, each whole, as the API takes them', () => {
    const base = valuesOf(settings);
    const values = { ...base, 'slaDays.urgent': 2, 'reminderOffsets.problemDueSoonHours': 48 };
    expect(patchOf(base, values)).toEqual({
      slaDays: { urgent: 2, high: 3, normal: 7, low: 15 },
      reminderOffsets: { ...settings.reminderOffsets, problemDueSoonHours: 48 },
    });
    expect(patchOf(base, base)).toEqual({});
  });

  it('name the fields that differ between two readings', () => {
    const before = valuesOf(settings);
    const after = { ...before, 'visitCadenceDays.municipal': 20 };
    expect(changedFields(before, after).map((field) => field.label)).toEqual(['市级重点（天）']);
  });
});
