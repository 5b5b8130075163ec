import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { InvalidInputError } from '@keydesk/common';

/**
 * Keyset pagination ("seek"): a page that starts right after a given row, found by a condition
 * on the list's ORDER BY instead of an OFFSET, so that page 2 500 costs what page 1 costs.
 *
 * A list describes its order as terms (`Keyset`), ending with the row's unique id. From them come
 * the ORDER BY, the columns that carry the last row's sort values out as text (a timestamptz keeps
 * its microseconds, which a JavaScript Date would lose), the opaque cursor (base64url of a small
 * JSON naming the list, the sort and those values) and the condition "after this row", which
 * places NULLs exactly as the ORDER BY does. Cursor values reach SQL as bound parameters only.
 */

/** How a sort key's value is written into a cursor and cast back in SQL. */
export type KeysetType = 'text' | 'int' | 'timestamptz' | 'date' | 'uuid';

export interface KeysetTerm {
  /** A SQL expression over the list's own aliases (code, never input). */
  expr: string;
  direction: 'ASC' | 'DESC';
  /** Where NULLs sort, for an expression that can be NULL; absent for a NOT NULL one. */
  nulls?: 'FIRST' | 'LAST';
  /**
   * Sort by `(expr IS NULL)` first, then by the expression: the same order, but one that an index
   * on `((expr IS NULL), expr, …, id)` reads as one range from any row. Otherwise the rows after a
   * value of a NULLS LAST term are two ranges (the later values, then the NULLs), which no index
   * scan reads in order, and a page deep among the values is found by reading past the rows before.
   */
  nullsByFlag?: true;
  type: KeysetType;
}

export interface Keyset {
  /** The list the cursor belongs to (`enterprises`, `visits`…): a cursor of another list is refused. */
  list: string;
  /** The sort as the API names it (`name`, `-updatedAt`): a cursor of another sort is refused. */
  sort: string;
  /** The ORDER BY, the last term being the row's unique, NOT NULL id. */
  terms: readonly KeysetTerm[];
}

export type KeysetValue = string | number | null;

/** Where a page starts: the sort values and the id of the row before it, one value per term. */
export type KeysetPosition = readonly KeysetValue[];

/** The longest `after` the API accepts; a longer cursor names its row by id only (see `encodeCursor`). */
export const MAX_CURSOR_LENGTH = 512;

/** A keyset; the last term must be a NOT NULL uuid (the row's id), so that no two rows tie. */
export function keyset(list: string, sort: string, terms: readonly KeysetTerm[]): Keyset {
  const last = terms.at(-1);
  if (!last || last.type !== 'uuid' || last.nulls)
    throw new Error(`keyset ${list}: the last term must be the row's id`);
  if (terms.some((term) => term.nullsByFlag && !term.nulls))
    throw new Error(`keyset ${list}: only a term that can be NULL sorts by its NULL flag`);
  return { list, sort, terms };
}

/**
 * A term of the ORDER BY as written. A term sorted by its NULL flag is two: the flag, then the
 * expression, which is NULL exactly where the flag is true (`nullInGroup`).
 */
export interface OrderTerm {
  expr: string;
  direction: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
  type: KeysetType | 'boolean';
  nullInGroup?: true;
}

/** The ORDER BY's terms (a flagged term as its flag and its expression). */
export function orderTerms(keyset: Keyset): OrderTerm[] {
  return keyset.terms.flatMap(({ expr, direction, nulls, nullsByFlag, type }): OrderTerm[] =>
    nullsByFlag
      ? [
          // false (a value) before true (NULL) when NULLs sort last.
          { expr: `(${expr} IS NULL)`, type: 'boolean', direction: nulls === 'LAST' ? 'ASC' : 'DESC' },
          { expr, type, direction, nullInGroup: true },
        ]
      : [{ expr, type, direction, ...(nulls && { nulls }) }],
  );
}

/** A position as the ORDER BY's terms see it: a flagged term's value preceded by whether it is NULL. */
export function orderPosition(keyset: Keyset, position: KeysetPosition): (KeysetValue | boolean)[] {
  return keyset.terms.flatMap((term, index) =>
    term.nullsByFlag ? [position[index] === null, position[index]] : [position[index]],
  );
}

/** The keyset's ORDER BY, for SQL written by hand. */
export function orderBySql(keyset: Keyset): string {
  return orderTerms(keyset)
    .map((term) => `${term.expr} ${term.direction}${term.nulls ? ` NULLS ${term.nulls}` : ''}`)
    .join(', ');
}

/** The keyset's ORDER BY on a query builder (replacing any order it had). */
export function orderByKeyset<Q extends SelectQueryBuilder<ObjectLiteral>>(query: Q, keyset: Keyset): Q {
  orderTerms(keyset).forEach((term, index) => {
    const nulls = term.nulls ? (`NULLS ${term.nulls}` as const) : undefined;
    if (index === 0) query.orderBy(term.expr, term.direction, nulls);
    else query.addOrderBy(term.expr, term.direction, nulls);
  });
  return query;
}

const column = (index: number) => `keyset_${index}`;

/** A row with the keyset's values as selected by `keysetColumns`. */
export type WithKeysetColumns<R> = R & { [column: `keyset_${number}`]: string | null };

/** `[sql, alias]` of each term's value as text: timestamps in UTC to the microsecond, dates as YYYY-MM-DD. */
export function keysetColumns(keyset: Keyset): [string, string][] {
  return keyset.terms.map((term, index) => {
    switch (term.type) {
      case 'timestamptz':
        return [`to_char((${term.expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, column(index)];
      case 'date':
        return [`to_char(${term.expr}, 'YYYY-MM-DD')`, column(index)];
      case 'text':
      case 'int':
      case 'uuid':
        return [`(${term.expr})::text`, column(index)];
    }
  });
}

/** Adds the keyset's value columns to a query builder's SELECT. */
export function selectKeysetColumns<Q extends SelectQueryBuilder<ObjectLiteral>>(query: Q, keyset: Keyset): Q {
  for (const [sql, alias] of keysetColumns(keyset)) query.addSelect(sql, alias);
  return query;
}

/** The keyset's value columns as a SELECT list fragment (`, a AS "keyset_0", …`), for SQL written by hand. */
export function keysetColumnsSql(keyset: Keyset): string {
  return keysetColumns(keyset)
    .map(([sql, alias]) => `, ${sql} AS "${alias}"`)
    .join('');
}

/**
 * A page read with LIMIT pageSize + 1: its first pageSize rows without the keyset columns, and the
 * cursor of its last row when the extra row shows that more follow (null on the last page).
 */
export function keysetPage<R extends object>(
  keyset: Keyset,
  rows: WithKeysetColumns<R>[],
  pageSize: number,
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const nextCursor =
    rows.length > pageSize && last
      ? encodeCursor(
          keyset,
          keyset.terms.map((term, index) => textToValue(term, last[column(index) as `keyset_${number}`])),
        )
      : null;
  return { rows: page.map((row) => withoutKeysetColumns(keyset, row)), nextCursor };
}

function withoutKeysetColumns<R extends object>(keyset: Keyset, row: WithKeysetColumns<R>): R {
  const copy: Record<string, unknown> = { ...row };
  keyset.terms.forEach((_, index) => delete copy[column(index)]);
  return copy as R;
}

function textToValue(term: KeysetTerm, text: string | null | undefined): KeysetValue {
  if (text === null || text === undefined) return null;
  return term.type === 'int' ? Number(text) : text;
}

/* ----------------------------------------------------------------------------------------------
 * The cursor: base64url of {"l": list, "s": sort, "v": [sort values], "id": id}. When the values
 * make it longer than MAX_CURSOR_LENGTH (an enterprise name of some 100 Chinese characters), "v" is
 * left out and the list looks the row's values up by id (`decodeCursor` answers `{ id }`).
 * -------------------------------------------------------------------------------------------- */

export function encodeCursor(keyset: Keyset, position: KeysetPosition): string {
  const values = position.slice(0, -1);
  const id = position.at(-1);
  const cursor = toBase64Url({ l: keyset.list, s: keyset.sort, v: values, id });
  return cursor.length <= MAX_CURSOR_LENGTH ? cursor : toBase64Url({ l: keyset.list, s: keyset.sort, id });
}

/** What a cursor names: the position itself, or (for a cursor too long to carry the values) the row's id. */
export type DecodedCursor = { position: KeysetPosition } | { id: string };

const restart = 'start from page 1';

/** The 400 a bad `after` answers. */
export function invalidCursor(reason: string): InvalidInputError {
  const message = `${reason}; ${restart}`;
  return new InvalidInputError(`after: ${message}`, [{ field: 'after', message }]);
}

/** Reads a cursor made for this keyset; anything else (malformed, another list or sort, a value of the wrong type) is a 400. */
export function decodeCursor(keyset: Keyset, cursor: string): DecodedCursor {
  const malformed = () => invalidCursor('this is not a cursor of this list');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > MAX_CURSOR_LENGTH) throw malformed();
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical spelling: a cursor is never anything but what encodeCursor wrote.
  if (bytes.toString('base64url') !== cursor) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw malformed();
  }
  if (!isRecord(parsed) || typeof parsed.l !== 'string' || typeof parsed.s !== 'string') throw malformed();
  const keys = Object.keys(parsed).sort().join(',');
  if (keys !== 'id,l,s,v' && keys !== 'id,l,s') throw malformed();
  if (parsed.l !== keyset.list) throw invalidCursor('this cursor was made for another list');
  if (parsed.s !== keyset.sort) throw invalidCursor('this cursor was made for another sort');
  const idTerm = keyset.terms[keyset.terms.length - 1];
  if (!fits(idTerm, parsed.id)) throw malformed();
  if (parsed.v === undefined) return { id: parsed.id as string };
  const values = parsed.v;
  if (!Array.isArray(values) || values.length !== keyset.terms.length - 1) throw malformed();
  if (!values.every((value, index) => fits(keyset.terms[index], value))) throw malformed();
  return { position: [...(values as KeysetValue[]), parsed.id as string] };
}

function toBase64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INT4 = 2 ** 31;

/** Whether a cursor value is one the term's SQL cast accepts: a value PostgreSQL would refuse is a 400, never a 500. */
function fits(term: KeysetTerm, value: unknown): boolean {
  if (value === null) return term.nulls !== undefined;
  switch (term.type) {
    case 'int':
      return Number.isSafeInteger(value) && (value as number) >= -INT4 && (value as number) < INT4;
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'timestamptz':
      return typeof value === 'string' && TIMESTAMP.test(value) && isCalendarDate(value.slice(0, 10), value);
    case 'date':
      return typeof value === 'string' && DATE.test(value) && isCalendarDate(value, value);
  }
}

/** A real day between year 1 and 9999, and (for a timestamp) a real time of day. */
function isCalendarDate(day: string, value: string): boolean {
  if (day.startsWith('0000')) return false;
  const time = value.length > 10 ? value.slice(11, 23) : '00:00:00.000';
  const parsed = new Date(`${day}T${time}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === `${day}T${time}Z`;
}

/* ----------------------------------------------------------------------------------------------
 * The condition "after this row". For terms t1…tn and the row's values v1…vn it is
 *   after(t1) OR (t1 = v1 AND (after(t2) OR (t2 = v2 AND … after(tn))))
 * where NULLs count as the ORDER BY places them. Runs of terms in one direction whose values are
 * not NULL (and whose NULLs, if any, sort first) become one row comparison `(t1, t2) > (v1, v2)`,
 * which PostgreSQL reads as a range of a matching index; otherwise the first term's own bound
 * (`t1 >= v1`) is added so that the index range still starts at the row.
 * -------------------------------------------------------------------------------------------- */

/** The condition as a tree (rendered to SQL by `keysetCondition`; evaluated by the unit tests). */
export type KeysetNode =
  | { op: 'or' | 'and'; of: KeysetNode[] }
  | { op: 'compare'; terms: number[]; cmp: '<' | '>' | '=' | '<=' | '>=' }
  | { op: 'isNull' | 'isNotNull'; term: number };

export function keysetTree(keyset: Keyset, keysetPosition: KeysetPosition): KeysetNode {
  const terms = orderTerms(keyset);
  const position = orderPosition(keyset, keysetPosition);
  const last = terms.length - 1;
  const strict = (index: number) => (terms[index].direction === 'ASC' ? '>' : '<');
  // NULLs sort after every value of this term.
  const nullsAfter = (index: number) => terms[index].nulls === 'LAST';
  // A value that a row comparison (NULL: unknown, so never after) handles exactly.
  const comparable = (index: number) => position[index] !== null && !nullsAfter(index);
  const equal = (index: number): KeysetNode =>
    position[index] === null ? { op: 'isNull', term: index } : { op: 'compare', terms: [index], cmp: '=' };
  const beyond = (index: number): KeysetNode | null => {
    if (position[index] === null) {
      // Among the rows whose flag says NULL, the expression is NULL in every one: they tie.
      if (terms[index].nullInGroup || nullsAfter(index)) return null;
      return { op: 'isNotNull', term: index };
    }
    // Nothing sorts after true ascending, or after false descending.
    if (terms[index].type === 'boolean' && position[index] === (terms[index].direction === 'ASC')) return null;
    const greater: KeysetNode = { op: 'compare', terms: [index], cmp: strict(index) };
    return nullsAfter(index) ? { op: 'or', of: [greater, { op: 'isNull', term: index }] } : greater;
  };
  const from = (index: number): KeysetNode => {
    let end = index;
    if (comparable(index)) {
      while (end < last && comparable(end + 1) && terms[end + 1].direction === terms[index].direction) end++;
    }
    if (end > index) {
      const run = Array.from({ length: end - index + 1 }, (_, offset) => index + offset);
      const compared: KeysetNode = { op: 'compare', terms: run, cmp: strict(index) };
      if (end === last) return compared;
      return {
        op: 'or',
        of: [compared, { op: 'and', of: [...run.map(equal), from(end + 1)] }],
      };
    }
    const after = beyond(index);
    if (index === last) {
      if (!after) throw new Error('the keyset id is never NULL');
      return after;
    }
    const tie: KeysetNode = { op: 'and', of: [equal(index), from(index + 1)] };
    return after ? { op: 'or', of: [after, tie] } : tie;
  };
  const tree = from(0);
  // The leading terms' own bound, so that an index on them is read from the row on (a lone row
  // comparison is such a bound already).
  if (tree.op !== 'or') return tree;
  const [first] = tree.of;
  const leading = first.op === 'compare' ? first.terms : position[0] !== null && !nullsAfter(0) ? [0] : null;
  if (!leading) return tree;
  const bound: KeysetNode = { op: 'compare', terms: leading, cmp: terms[0].direction === 'ASC' ? '>=' : '<=' };
  return { op: 'and', of: [bound, tree] };
}

/** The condition "after this row", with the row's values as named parameters (`:keyset0`…). */
export function keysetCondition(
  keyset: Keyset,
  position: KeysetPosition,
  prefix = 'keyset',
): { sql: string; params: Record<string, KeysetValue | boolean> } {
  const terms = orderTerms(keyset);
  const values = orderPosition(keyset, position);
  const params: Record<string, KeysetValue | boolean> = {};
  const value = (index: number) => {
    params[`${prefix}${index}`] = values[index];
    return `CAST(:${prefix}${index} AS ${terms[index].type})`;
  };
  const expr = (index: number) => terms[index].expr;
  const render = (node: KeysetNode): string => {
    switch (node.op) {
      case 'or':
        return `(${node.of.map(render).join(' OR ')})`;
      case 'and':
        return `(${node.of.map(render).join(' AND ')})`;
      case 'isNull':
        return `${expr(node.term)} IS NULL`;
      case 'isNotNull':
        return `${expr(node.term)} IS NOT NULL`;
      case 'compare':
        return node.terms.length === 1
          ? `${expr(node.terms[0])} ${node.cmp} ${value(node.terms[0])}`
          : `(${node.terms.map(expr).join(', ')}) ${node.cmp} (${node.terms.map(value).join(', ')})`;
    }
  };
  return { sql: render(keysetTree(keyset, position)), params };
}

/**
 * The position `after` names. A cursor that names its row by id only (see `encodeCursor`) is
 * looked up with `lookup`, which selects `keysetColumns` of that row in the reader's scope; a list
 * without one never writes such a cursor, so for it one is malformed.
 */
export async function cursorPosition(
  keyset: Keyset,
  after: string,
  lookup?: (id: string) => Promise<WithKeysetColumns<object> | null | undefined>,
): Promise<KeysetPosition> {
  const decoded = decodeCursor(keyset, after);
  if ('position' in decoded) return decoded.position;
  if (!lookup) throw invalidCursor('this is not a cursor of this list');
  const row = await lookup(decoded.id);
  if (!row) throw invalidCursor('the row this cursor names is gone');
  return keyset.terms.map((term, index) => textToValue(term, row[column(index) as `keyset_${number}`]));
}
