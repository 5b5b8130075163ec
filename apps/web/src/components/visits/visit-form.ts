import type { Priority, ProblemCategory, Urgency, VisitMethod } from '@keydesk/database';
import type { Schemas } from '@/api/client';
import { translateMessage } from '@/api/errors';

// The visit form's state and the pure rules around it: the body sent, and the API's field errors
// put back on the row and field they name (`demands.1.headcount` → the second demand's headcount).

export interface DemandRow {
  /** Stable across adds and removes, so that Vue keeps each row's inputs and errors. */
  key: string;
  occupation: string;
  occupationCategory: string | undefined;
  headcount: number | undefined;
  salaryMin: number | undefined;
  salaryMax: number | undefined;
  urgency: Urgency;
}

export interface ProblemRow {
  key: string;
  title: string;
  category: ProblemCategory | undefined;
  priority: Priority;
  description: string;
}

export interface VisitFormState {
  /**
   * This visit's own id, made when the form starts and kept in its draft: a visit sent again after
   * a lost answer is then saved once (the API answers the visit it already has).
   */
  clientRequestId: string;
  /** Milliseconds since the epoch (the date picker's value): no zone to get wrong in a draft. */
  visitedAt: number;
  method: VisitMethod;
  summary: string;
  employeeCount: number | undefined;
  demands: DemandRow[];
  problems: ProblemRow[];
}

export type CreateVisitBody = Schemas['CreateVisitDto'];

let counter = 0;
/** A key for a new row, unique in this page (rows restored from a draft keep theirs). */
export function rowKey(): string {
  counter += 1;
  return `r${Date.now().toString(36)}${counter}`;
}

export function newDemandRow(): DemandRow {
  return {
    key: rowKey(),
    occupation: '',
    occupationCategory: undefined,
    headcount: undefined,
    salaryMin: undefined,
    salaryMax: undefined,
    urgency: 'normal',
  };
}

export function newProblemRow(): ProblemRow {
  return { key: rowKey(), title: '', category: undefined, priority: 'normal', description: '' };
}

/** A random (version 4) UUID; `crypto.randomUUID` exists only on HTTPS or localhost. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function emptyVisitForm(now: Date = new Date()): VisitFormState {
  return {
    clientRequestId: newRequestId(),
    visitedAt: now.getTime(),
    method: 'on_site',
    summary: '',
    employeeCount: undefined,
    demands: [],
    problems: [],
  };
}

/** Whether the person has typed anything worth keeping (the default time and method are not). */
export function hasContent(form: VisitFormState): boolean {
  return (
    form.summary.trim() !== '' ||
    form.employeeCount !== undefined ||
    form.demands.length > 0 ||
    form.problems.length > 0
  );
}

/** The end of the day `now` falls in, in the browser's calendar: the date picker greys out later days. */
export function isFutureDay(day: Date, now: Date = new Date()): boolean {
  const endOfToday = new Date(now);
  endOfToday.setHours(23, 59, 59, 999);
  return day.getTime() > endOfToday.getTime();
}

/** Checks the browser can make before sending: the visit's time (the rest is the API's to judge). */
export function localErrors(form: VisitFormState, now: Date = new Date()): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Number.isFinite(form.visitedAt)) errors.visitedAt = '请选择走访时间';
  else if (form.visitedAt > now.getTime()) errors.visitedAt = '不能晚于当前时间';
  return errors;
}

const text = (value: string) => value.trim();
const optionalText = (value: string) => (value.trim() === '' ? undefined : value.trim());
// null and undefined both mean "not given": an input-number cleared by the person gives null.
const optionalNumber = (value: number | null | undefined) =>
  value === null || value === undefined ? undefined : value;

/**
 * The body of POST /enterprises/:id/visits. Empty optional fields are left out; a required one
 * left empty is sent as it is, so that the API names it on its row.
 */
export function visitBody(form: VisitFormState): CreateVisitBody {
  const body: CreateVisitBody = {
    clientRequestId: form.clientRequestId,
    visitedAt: new Date(form.visitedAt).toISOString(),
    method: form.method,
    summary: text(form.summary),
  };
  const employeeCount = optionalNumber(form.employeeCount);
  if (employeeCount !== undefined) body.employeeCount = employeeCount;
  if (form.demands.length) {
    body.demands = form.demands.map((row) => ({
      occupation: text(row.occupation),
      occupationCategory: row.occupationCategory ?? '',
      // Left out when empty: the API then names it on its row (必填).
      headcount: optionalNumber(row.headcount) as number,
      salaryMin: optionalNumber(row.salaryMin),
      salaryMax: optionalNumber(row.salaryMax),
      urgency: row.urgency,
    }));
  }
  if (form.problems.length) {
    body.problems = form.problems.map((row) => ({
      title: text(row.title),
      category: (row.category ?? '') as ProblemCategory,
      priority: row.priority,
      description: optionalText(row.description),
    }));
  }
  return body;
}

export interface VisitErrors {
  /** The visit's own fields (visitedAt, summary, …), and `demands` / `problems` for the lists as a whole. */
  visit: Record<string, string>;
  /** By row index, then field. A message about a row as a whole is under `_row`. */
  demands: Record<number, Record<string, string>>;
  problems: Record<number, Record<string, string>>;
}

export function noErrors(): VisitErrors {
  return { visit: {}, demands: {}, problems: {} };
}

const ROW_FIELD = /^(demands|problems)\.(\d+)(?:\.(.+))?$/;

/**
 * The API's field errors, each on the row and field it names, in Chinese. The first message for
 * a field wins (the API lists the most basic failure first).
 */
export function splitFieldErrors(
  errors: readonly { field: string; message: string }[],
  translate: (message: string) => string = translateMessage,
): VisitErrors {
  const result = noErrors();
  for (const { field, message } of errors) {
    const match = field.match(ROW_FIELD);
    if (match) {
      const list = result[match[1] as 'demands' | 'problems'];
      const row = (list[Number(match[2])] ??= {});
      row[match[3] ?? '_row'] ??= translate(message);
    } else {
      result.visit[field] ??= translate(message);
    }
  }
  return result;
}

/** Whether any error is held, anywhere in the form. */
export function hasErrors(errors: VisitErrors): boolean {
  return (
    Object.keys(errors.visit).length > 0 ||
    Object.keys(errors.demands).length > 0 ||
    Object.keys(errors.problems).length > 0
  );
}

/** Re-keys row errors by the rows' keys, so that removing a row above does not move its errors. */
export function errorsByKey(
  byIndex: Record<number, Record<string, string>>,
  rows: readonly { key: string }[],
): Record<string, Record<string, string>> {
  const byKey: Record<string, Record<string, string>> = {};
  for (const [index, fields] of Object.entries(byIndex)) {
    const row = rows[Number(index)];
    if (row) byKey[row.key] = fields;
  }
  return byKey;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as a phone's native `datetime-local` input shows it (the browser's own zone, to the minute). */
export function toLocalInput(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A native `datetime-local` value as a time; NaN when it is empty or unreadable. */
export function fromLocalInput(value: string): number {
  const match = value.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi] = match.map(Number);
  return new Date(y, mo - 1, d, h, mi).getTime();
}
