import type { Priority, ProblemCategory, Urgency, VisitMethod } from '@keydesk/database';
import { type DemandRow, hasContent, newRequestId, type ProblemRow, rowKey, type VisitFormState } from './visit-form';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A visit typed in the field must survive a dead network, a closed tab or a phone that reloads the
// page: the form is kept on the device as it is typed, per person and enterprise, and dropped only
// once the server has the visit.

const PREFIX = 'keydesk.visitDraft';
const VERSION = 1;

export function draftKey(userId: string, enterpriseId: string): string {
  return `${PREFIX}:${userId}:${enterpriseId}`;
}

interface Stored {
  v: number;
  savedAt: string;
  form: VisitFormState;
}

/** Keeps the form (or forgets it, when nothing worth keeping is left in it). */
export function saveDraft(storage: Storage, key: string, form: VisitFormState, now: Date = new Date()): void {
  try {
    if (!hasContent(form)) {
      storage.removeItem(key);
      return;
    }
    const stored: Stored = { v: VERSION, savedAt: now.toISOString(), form };
    storage.setItem(key, JSON.stringify(stored));
  } catch {
    // A full or refused storage (private mode) costs the draft, not the form.
  }
}

export function clearDraft(storage: Storage, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing to clear where nothing could be kept.
  }
}

const METHODS: readonly VisitMethod[] = ['on_site', 'phone', 'online'];
const URGENCIES: readonly Urgency[] = ['normal', 'high', 'urgent'];
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
const CATEGORIES: readonly ProblemCategory[] = [
  'recruitment',
  'policy_subsidy',
  'social_insurance',
  'labor_relations',
  'training',
  'wage_arrears',
  'other',
];

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const optStr = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;
const pickOpt = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

function demandRow(value: Loose): DemandRow {
  return {
    key: optStr(value.key) ?? rowKey(),
    occupation: str(value.occupation),
    occupationCategory: optStr(value.occupationCategory),
    headcount: num(value.headcount),
    salaryMin: num(value.salaryMin),
    salaryMax: num(value.salaryMax),
    urgency: pick(value.urgency, URGENCIES, 'normal'),
  };
}

function problemRow(value: Loose): ProblemRow {
  return {
    key: optStr(value.key) ?? rowKey(),
    title: str(value.title),
    category: pickOpt(value.category, CATEGORIES),
    priority: pick(value.priority, PRIORITIES, 'normal'),
    description: str(value.description),
  };
}

/**
 * The draft kept for this key, read defensively (it was written by an older version of the page,
 * or edited by hand): anything unreadable is dropped rather than breaking the form.
 */
export function loadDraft(storage: Storage, key: string): { form: VisitFormState; savedAt: string } | null {
  let parsed: unknown;
  try {
    const raw = storage.getItem(key);
    if (!raw) return null;
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(parsed) || parsed.v !== VERSION || !isObject(parsed.form)) return null;
  const form = parsed.form;
  const visitedAt = num(form.visitedAt);
  if (visitedAt === undefined) return null;
  const restored: VisitFormState = {
    // A draft from before drafts carried one gets one now: it has never reached the server.
    clientRequestId:
      typeof form.clientRequestId === 'string' && UUID.test(form.clientRequestId)
        ? form.clientRequestId
        : newRequestId(),
    visitedAt,
    method: pick(form.method, METHODS, 'on_site'),
    summary: str(form.summary),
    employeeCount: num(form.employeeCount),
    demands: Array.isArray(form.demands) ? form.demands.filter(isObject).map(demandRow) : [],
    problems: Array.isArray(form.problems) ? form.problems.filter(isObject).map(problemRow) : [],
  };
  if (!hasContent(restored)) return null;
  return { form: restored, savedAt: str(parsed.savedAt) };
}

/** Calls `fn` once typing has paused for `wait` ms; `flush` runs a pending call now. */
export function debounce(fn: () => void, wait: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    schedule(): void {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, wait);
    },
    flush(): void {
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      fn();
    },
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** The keys of a person's drafts on this device. */
export function draftsOf(storage: Storage, userId: string): string[] {
  const prefix = `${PREFIX}:${userId}:`;
  const keys: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
  } catch {
    // A refused storage holds no drafts.
  }
  return keys;
}
