import { InvalidInputError } from '@keydesk/common';
import {
  cursorPosition,
  decodeCursor,
  encodeCursor,
  Keyset,
  keyset,
  keysetCondition,
  KeysetNode,
  keysetPage,
  KeysetPosition,
  KeysetTerm,
  keysetTree,
  KeysetValue,
  MAX_CURSOR_LENGTH,
  orderBySql,
  orderPosition,
} from './keyset';

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const ID_C = '00000000-0000-4000-8000-00000000000c';

/** SQL's three-valued logic: null is unknown. */
type Truth = boolean | null;

/** The tree evaluated as PostgreSQL would, for a row of values (one per term). */
function evaluate(
  node: KeysetNode,
  row: readonly (KeysetValue | boolean)[],
  position: readonly (KeysetValue | boolean)[],
): Truth {
  switch (node.op) {
    case 'isNull':
      return row[node.term] === null;
    case 'isNotNull':
      return row[node.term] !== null;
    case 'and': {
      const values = node.of.map((child) => evaluate(child, row, position));
      if (values.includes(false)) return false;
      return values.includes(null) ? null : true;
    }
    case 'or': {
      const values = node.of.map((child) => evaluate(child, row, position));
      if (values.includes(true)) return true;
      return values.includes(null) ? null : false;
    }
    case 'compare': {
      // A row comparison: the first pair that is unequal or holds a NULL decides.
      for (const [at, term] of node.terms.entries()) {
        const [a, b] = [row[term], position[term]];
        if (a === null || b === null) return null;
        if (a === b) {
          if (at < node.terms.length - 1) continue;
          return node.cmp === '=' || node.cmp === '<=' || node.cmp === '>=';
        }
        const less = a < b;
        if (node.cmp === '=') return false;
        return node.cmp.startsWith('<') ? less : !less;
      }
      return null;
    }
  }
}

/** The ORDER BY itself, as the reference: negative when row a sorts before row b. */
function compareRows(terms: readonly KeysetTerm[], a: readonly KeysetValue[], b: readonly KeysetValue[]): number {
  for (const [index, term] of terms.entries()) {
    const [x, y] = [a[index], b[index]];
    if (x === y) continue;
    if (x === null || y === null) {
      const nullFirst = term.nulls === 'FIRST';
      return (x === null) === nullFirst ? -1 : 1;
    }
    const order = x < y ? -1 : 1;
    return term.direction === 'ASC' ? order : -order;
  }
  return 0;
}

/** Every combination of the given values per term. */
function rowsOf(domains: KeysetValue[][]): KeysetValue[][] {
  return domains.reduce<KeysetValue[][]>(
    (rows, domain) => rows.flatMap((row) => domain.map((value) => [...row, value])),
    [[]],
  );
}

const term = (
  expr: string,
  type: KeysetTerm['type'],
  direction: 'ASC' | 'DESC',
  nulls?: 'FIRST' | 'LAST',
  nullsByFlag?: true,
): KeysetTerm => ({ expr, type, direction, ...(nulls && { nulls }), ...(nullsByFlag && { nullsByFlag }) });

describe('keyset pagination', () => {
  describe('the condition "after this row"', () => {
    const orders: [string, KeysetTerm[], KeysetValue[][]][] = [];
    for (const direction of ['ASC', 'DESC'] as const) {
      for (const nulls of [undefined, 'FIRST', 'LAST'] as const) {
        for (const idDirection of ['ASC', 'DESC'] as const) {
          const domain = nulls ? [null, 1, 2, 3] : [1, 2, 3];
          orders.push([
            `a ${direction}${nulls ? ` NULLS ${nulls}` : ''}, id ${idDirection}`,
            [term('a', 'int', direction, nulls), term('id', 'uuid', idDirection)],
            [domain, [ID_A, ID_B, ID_C]],
          ]);
          if (nulls) {
            orders.push([
              `(a IS NULL), a ${direction}${nulls ? ` NULLS ${nulls}` : ''}, id ${idDirection}`,
              [term('a', 'int', direction, nulls, true), term('id', 'uuid', idDirection)],
              [domain, [ID_A, ID_B, ID_C]],
            ]);
          }
        }
      }
    }
    orders.push(
      [
        'a ASC NULLS LAST, b DESC NULLS FIRST, id ASC',
        [term('a', 'int', 'ASC', 'LAST'), term('b', 'int', 'DESC', 'FIRST'), term('id', 'uuid', 'ASC')],
        [
          [null, 1, 2],
          [null, 1, 2],
          [ID_A, ID_B],
        ],
      ],
      [
        'a DESC, b DESC NULLS FIRST, id DESC',
        [term('a', 'int', 'DESC'), term('b', 'int', 'DESC', 'FIRST'), term('id', 'uuid', 'DESC')],
        [
          [1, 2],
          [null, 1, 2],
          [ID_A, ID_B],
        ],
      ],
      [
        'a DESC, b DESC, id ASC',
        [term('a', 'int', 'DESC'), term('b', 'int', 'DESC'), term('id', 'uuid', 'ASC')],
        [
          [1, 2],
          [1, 2, 3],
          [ID_A, ID_B],
        ],
      ],
      [
        'a ASC, b ASC NULLS LAST, id ASC',
        [term('a', 'int', 'ASC'), term('b', 'int', 'ASC', 'LAST'), term('id', 'uuid', 'ASC')],
        [
          [1, 2],
          [null, 1, 2],
          [ID_A, ID_B],
        ],
      ],
    );

    it.each(orders)('holds exactly the rows after the position in %s', (_, terms, domains) => {
      const order = keyset('things', 'a', terms);
      const rows = rowsOf(domains);
      for (const position of rows) {
        const tree = keysetTree(order, position);
        for (const row of rows) {
          const after = compareRows(terms, row, position) > 0;
          const holds = evaluate(tree, orderPosition(order, row), orderPosition(order, position)) === true;
          expect([row, position, holds]).toEqual([row, position, after]);
        }
      }
    });

    it('is one row comparison, an index range, when every term sorts one way', () => {
      const order = keyset('notifications', '-createdAt', [
        term('n.created_at', 'timestamptz', 'DESC'),
        term('n.id', 'uuid', 'DESC'),
      ]);
      const condition = keysetCondition(order, ['2025-01-02T03:04:05.123456Z', ID_A]);
      expect(condition.sql).toBe('(n.created_at, n.id) < (CAST(:keyset0 AS timestamptz), CAST(:keyset1 AS uuid))');
      expect(condition.params).toEqual({ keyset0: '2025-01-02T03:04:05.123456Z', keyset1: ID_A });
    });

    it('bounds the first term when the directions differ, so that an index on it is read from the row on', () => {
      const order = keyset('visits', '-visitedAt', [
        term('v.visited_at', 'timestamptz', 'DESC'),
        term('v.id', 'uuid', 'ASC'),
      ]);
      expect(keysetCondition(order, ['2025-01-02T03:04:05.000000Z', ID_A]).sql).toBe(
        '(v.visited_at <= CAST(:keyset0 AS timestamptz) AND (v.visited_at < CAST(:keyset0 AS timestamptz) OR ' +
          '(v.visited_at = CAST(:keyset0 AS timestamptz) AND v.id > CAST(:keyset1 AS uuid))))',
      );
    });

    it('places NULLs as the ORDER BY does: after a NULL that sorts last only NULLs follow', () => {
      const order = keyset('enterprises', 'nextVisitDueAt', [
        term('e.next_visit_due_at', 'timestamptz', 'ASC', 'LAST'),
        term('e.id', 'uuid', 'ASC'),
      ]);
      expect(keysetCondition(order, [null, ID_A]).sql).toBe(
        '(e.next_visit_due_at IS NULL AND e.id > CAST(:keyset1 AS uuid))',
      );
      expect(keysetCondition(order, ['2025-01-02T03:04:05.000000Z', ID_A]).sql).toBe(
        '((e.next_visit_due_at > CAST(:keyset0 AS timestamptz) OR e.next_visit_due_at IS NULL) OR ' +
          '(e.next_visit_due_at = CAST(:keyset0 AS timestamptz) AND e.id > CAST(:keyset1 AS uuid)))',
      );
    });

    it('bounds a run of terms sorting one way as a whole when a term sorting the other way follows', () => {
      const order = keyset('things', '-a', [
        term('t.a', 'int', 'DESC'),
        term('t.b', 'int', 'DESC'),
        term('t.id', 'uuid', 'ASC'),
      ]);
      expect(keysetCondition(order, [1, 2, ID_A]).sql).toBe(
        '((t.a, t.b) <= (CAST(:keyset0 AS int), CAST(:keyset1 AS int)) AND ' +
          '((t.a, t.b) < (CAST(:keyset0 AS int), CAST(:keyset1 AS int)) OR ' +
          '(t.a = CAST(:keyset0 AS int) AND t.b = CAST(:keyset1 AS int) AND t.id > CAST(:keyset2 AS uuid))))',
      );
    });

    it('sorts a term by its NULL flag first when asked, so that every page is one index range', () => {
      const order = keyset('enterprises', 'nextVisitDueAt', [
        term('e.next_visit_due_at', 'timestamptz', 'ASC', 'LAST', true),
        term('e.id', 'uuid', 'ASC'),
      ]);
      expect(orderBySql(order)).toBe('(e.next_visit_due_at IS NULL) ASC, e.next_visit_due_at ASC, e.id ASC');
      const among = keysetCondition(order, ['2025-01-02T03:04:05.000000Z', ID_A]);
      expect(among.sql).toBe(
        '((e.next_visit_due_at IS NULL), e.next_visit_due_at, e.id) > ' +
          '(CAST(:keyset0 AS boolean), CAST(:keyset1 AS timestamptz), CAST(:keyset2 AS uuid))',
      );
      expect(among.params).toEqual({ keyset0: false, keyset1: '2025-01-02T03:04:05.000000Z', keyset2: ID_A });
      expect(keysetCondition(order, [null, ID_A]).sql).toBe(
        '((e.next_visit_due_at IS NULL) = CAST(:keyset0 AS boolean) AND ' +
          '(e.next_visit_due_at IS NULL AND e.id > CAST(:keyset2 AS uuid)))',
      );
      expect(() =>
        keyset('things', 'a', [term('a', 'int', 'ASC', undefined, true), term('id', 'uuid', 'ASC')]),
      ).toThrow();
    });

    it('takes values as parameters only, never into the SQL', () => {
      const order = keyset('enterprises', 'name', [term('e.name', 'text', 'ASC'), term('e.id', 'uuid', 'ASC')]);
      const condition = keysetCondition(order, ["x'); DROP TABLE enterprises; --", ID_A]);
      expect(condition.sql).not.toContain('DROP');
      expect(condition.params.keyset0).toBe("x'); DROP TABLE enterprises; --");
    });
  });

  describe('the cursor', () => {
    const byName = keyset('enterprises', 'name', [term('e.name', 'text', 'ASC'), term('e.id', 'uuid', 'ASC')]);
    const byDue = keyset('enterprises', 'nextVisitDueAt', [
      term('e.next_visit_due_at', 'timestamptz', 'ASC', 'LAST'),
      term('e.id', 'uuid', 'ASC'),
    ]);
    const byCount = keyset('enterprises', '-employeeCount', [
      term('e.employee_count', 'int', 'DESC'),
      term('e.id', 'uuid', 'ASC'),
    ]);
    const byDay = keyset('demands', 'neededBy', [
      term('dm.needed_by', 'date', 'ASC', 'LAST'),
      term('dm.id', 'uuid', 'ASC'),
    ]);

    const reason = (make: () => unknown): string => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).errors).toEqual([{ field: 'after', message: expect.any(String) }]);
        return (error as InvalidInputError).message;
      }
      throw new Error('no error');
    };
    const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('round-trips the position it was made for, microseconds and NULLs included', () => {
      const cases: [Keyset, KeysetPosition][] = [
        [byName, ['长春一汽富维汽车零部件股份有限公司', ID_A]],
        [byDue, ['2025-03-01T08:00:00.123456Z', ID_B]],
        [byDue, [null, ID_B]],
        [byCount, [0, ID_C]],
        [byDay, ['2024-02-29', ID_A]],
      ];
      for (const [order, position] of cases) {
        const cursor = encodeCursor(order, position);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(order, cursor)).toEqual({ position });
      }
    });

    it('refuses a cursor of another sort or another list', () => {
      const cursor = encodeCursor(byName, ['甲', ID_A]);
      expect(reason(() => decodeCursor(byCount, cursor))).toBe(
        'after: this cursor was made for another sort; start from page 1',
      );
      const demands = keyset('demands', 'name', byName.terms);
      expect(reason(() => decodeCursor(demands, cursor))).toBe(
        'after: this cursor was made for another list; start from page 1',
      );
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['a non-canonical spelling', `${encodeCursor(byName, ['甲', ID_A])}A`],
      ['JSON that is not an object', raw([1, 2])],
      ['an unknown member', raw({ l: 'enterprises', s: 'name', v: ['甲'], id: ID_A, x: 1 })],
      ['a missing id', raw({ l: 'enterprises', s: 'name', v: ['甲'] })],
      ['an id that is not a UUID', raw({ l: 'enterprises', s: 'name', v: ['甲'], id: '1 OR 1=1' })],
      ['too few values', raw({ l: 'enterprises', s: 'name', v: [], id: ID_A })],
      ['a number for a name', raw({ l: 'enterprises', s: 'name', v: [7], id: ID_A })],
      ['a NULL name (never NULL)', raw({ l: 'enterprises', s: 'name', v: [null], id: ID_A })],
      ['a NUL character', raw({ l: 'enterprises', s: 'name', v: ['a\u0000'], id: ID_A })],
      ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')],
    ])('refuses %s as malformed', (_, cursor) => {
      expect(reason(() => decodeCursor(byName, cursor))).toBe(
        'after: this is not a cursor of this list; start from page 1',
      );
    });

    it.each([
      ['a date for a number', byCount, '2025-01-01'],
      ['a fraction', byCount, 1.5],
      ['a number beyond int4', byCount, 2 ** 31],
      ['a text for a moment', byDue, 'yesterday'],
      ['a moment with milliseconds only', byDue, '2025-03-01T08:00:00.123Z'],
      ['the 30th of February', byDue, '2025-02-30T08:00:00.000000Z'],
      ['year zero', byDue, '0000-01-01T00:00:00.000000Z'],
      ['hour 24', byDue, '2025-01-01T24:00:00.000000Z'],
      ['a day that is no date', byDay, '2025-13-01'],
    ])('refuses %s: a value PostgreSQL would not cast is a 400, not a 500', (_, order, value) => {
      const cursor = raw({ l: order.list, s: order.sort, v: [value], id: ID_A });
      expect(reason(() => decodeCursor(order, cursor))).toBe(
        'after: this is not a cursor of this list; start from page 1',
      );
    });

    it('names its row by id alone when the values would make it too long, and the list looks them up', async () => {
      const longName = '长'.repeat(200);
      const cursor = encodeCursor(byName, [longName, ID_A]);
      expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
      expect(decodeCursor(byName, cursor)).toEqual({ id: ID_A });
      const lookup = jest.fn((id: string) => Promise.resolve({ keyset_0: longName, keyset_1: id }));
      await expect(cursorPosition(byName, cursor, lookup)).resolves.toEqual([longName, ID_A]);
      expect(lookup).toHaveBeenCalledWith(ID_A);
      // A list without a lookup never writes such a cursor: for it, one is malformed.
      await expect(cursorPosition(byName, cursor)).rejects.toThrow('this is not a cursor of this list');
      await expect(cursorPosition(byName, cursor, () => Promise.resolve(undefined))).rejects.toThrow(
        'the row this cursor names is gone',
      );
    });
  });

  it('writes the ORDER BY with NULLs placed only where a term can be NULL', () => {
    const order = keyset('demands', '-neededBy', [
      term('dm.needed_by', 'date', 'DESC', 'LAST'),
      term('dm.id', 'uuid', 'ASC'),
    ]);
    expect(orderBySql(order)).toBe('dm.needed_by DESC NULLS LAST, dm.id ASC');
  });

  it("gives a page's next cursor only when a row beyond it was read, and drops the keyset columns", () => {
    const order = keyset('visits', '-visitedAt', [
      term('v.visited_at', 'timestamptz', 'DESC'),
      term('v.id', 'uuid', 'ASC'),
    ]);
    const row = (id: string, at: string) => ({ id, keyset_0: at, keyset_1: id });
    const rows = [
      row(ID_A, '2025-01-03T00:00:00.000001Z'),
      row(ID_B, '2025-01-02T00:00:00.000001Z'),
      row(ID_C, '2025-01-01T00:00:00.000001Z'),
    ];
    const full = keysetPage(order, rows, 2);
    expect(full.rows).toEqual([{ id: ID_A }, { id: ID_B }]);
    expect(decodeCursor(order, full.nextCursor ?? '')).toEqual({ position: ['2025-01-02T00:00:00.000001Z', ID_B] });
    expect(keysetPage(order, rows, 3)).toEqual({ rows: [{ id: ID_A }, { id: ID_B }, { id: ID_C }], nextCursor: null });
  });

  it('insists on the id as the last term', () => {
    expect(() => keyset('things', 'a', [term('a', 'int', 'ASC')])).toThrow(/id/);
    expect(() => keyset('things', 'a', [term('a', 'uuid', 'ASC', 'LAST')])).toThrow(/id/);
  });
});
