import { Injectable } from '@nestjs/common';
import { Not } from 'typeorm';
import { escapeLike, InvalidInputError, PageRequest, pageOffset } from '@keydesk/common';
import {
  cursorPosition,
  District,
  encodeCursor,
  keyset,
  keysetColumnsSql,
  keysetCondition,
  keysetPage,
  namedQuery,
  orderByKeyset,
  orderBySql,
  Role,
  User,
  WithKeysetColumns,
} from '@keydesk/database';
import type { Actor } from '../access/actor';
import { enterpriseScopeCondition } from '../access/scope';
import { enterpriseActiveSql } from '../rules/enterprise-rules';
import { TransactionContext } from '../transactions/transaction-context';
import type { CommissionerEntryView } from '../users/user.view';

export interface UserFilter {
  role?: Role;
  active?: boolean;
  q?: string;
}

/** A token's user as `findCaller` reads it. */
export interface CallerRow {
  id: string;
  username: string;
  role: Role;
  districtCodes: string[];
  active: boolean;
  sessionVersion: number;
  settingsVersion: number;
}

/** The admins' user list, by user name (unique: the id only completes the keyset). */
const USER_ORDER = keyset('users', 'username', [
  { expr: 'u.username', type: 'text', direction: 'ASC' },
  { expr: 'u.id', type: 'uuid', direction: 'ASC' },
]);

/** The commissioner directory, by display name; the id last, so that namesakes keep one order. */
const DIRECTORY_ORDER = keyset('commissioners', 'displayName', [
  { expr: 'u.display_name', type: 'text', direction: 'ASC' },
  { expr: 'u.id', type: 'uuid', direction: 'ASC' },
]);

/** Every query of the users table. */
@Injectable()
export class UsersRepository {
  constructor(private readonly tx: TransactionContext) {}

  /** The user an enterprise or a problem can be assigned to: an active commissioner, else 400 naming the field. */
  async requireActiveCommissioner(id: string, field = 'commissionerId'): Promise<User> {
    const user = await this.tx.manager.findOneBy(User, { id });
    if (!user || user.role !== 'commissioner' || !user.active) {
      throw InvalidInputError.field(field, 'must be an active commissioner');
    }
    return user;
  }

  findById(id: string): Promise<User | null> {
    return this.tx.manager.findOneBy(User, { id });
  }

  /**
   * What checking a token needs, in one round trip: whether the user may still act and as whom,
   * and the settings' version (so the request can use the settings this process already holds).
   */
  async findCaller(id: string): Promise<CallerRow | null> {
    const [row] = await this.tx.manager.query<CallerRow[]>(
      `SELECT u.id, u.username, u.role, u.district_codes AS "districtCodes", u.active,
              u.session_version AS "sessionVersion", s.version AS "settingsVersion"
         FROM users u CROSS JOIN settings s WHERE u.id = $1 AND s.id = 1`,
      [id],
    );
    return row ?? null;
  }

  /** The user, locked for a change in the current transaction. */
  lockById(id: string): Promise<User | null> {
    return this.tx.manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The user by name, with the password hash a login checks. */
  findWithPasswordByUsername(username: string): Promise<User | null> {
    return this.tx.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
  }

  /** The user with the password hash, locked so that of two password changes only one lands. */
  lockWithPasswordById(id: string): Promise<User | null> {
    return this.tx.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .setLock('pessimistic_write')
      .where('u.id = :id', { id })
      .getOne();
  }

  /** One page of users by user name (from its offset, or right after `after`), the total that match, and the next page's cursor. */
  async findPage(
    filter: UserFilter,
    page: PageRequest,
  ): Promise<{ users: User[]; total: number; nextCursor: string | null }> {
    const query = this.tx.manager.getRepository(User).createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.active !== undefined) query.andWhere('u.active = :active', { active: filter.active });
    if (filter.q) {
      query.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q)', { q: `%${escapeLike(filter.q)}%` });
    }
    const rows = orderByKeyset(query.clone(), USER_ORDER);
    // The cursor is read before any statement starts: a refused one leaves nothing running.
    if (page.after) {
      const after = keysetCondition(USER_ORDER, await cursorPosition(USER_ORDER, page.after));
      rows.andWhere(after.sql, after.params);
    } else {
      rows.offset(pageOffset(page));
    }
    const total = query.getCount();
    // One row more than the page tells whether another page follows; a user name and an id are
    // read exactly from the entity, so the cursor is made from it.
    const [users, matches] = await Promise.all([rows.limit(page.pageSize + 1).getMany(), total]);
    const last = users.length > page.pageSize ? users[page.pageSize - 1] : undefined;
    return {
      users: users.slice(0, page.pageSize),
      total: matches,
      nextCursor: last ? encodeCursor(USER_ORDER, [last.username, last.id]) : null,
    };
  }

  /**
   * The active commissioners by display name, each with the number of active enterprises they
   * serve in the reader's scope (the ledger's rule).
   */
  async commissionerDirectory(
    reader: Actor,
    filter: { q?: string; id?: string },
    page: PageRequest,
  ): Promise<{ items: CommissionerEntryView[]; total: number; nextCursor: string | null }> {
    const scope = enterpriseScopeCondition(reader, 'e');
    const q = filter.q?.trim();
    const where =
      `u.role = 'commissioner' AND u.active` +
      (q ? ' AND (u.username ILIKE :q OR u.display_name ILIKE :q)' : '') +
      (filter.id ? ' AND u.id = :id' : '');
    const params = {
      ...scope?.params,
      ...(q ? { q: `%${escapeLike(q)}%` } : {}),
      ...(filter.id ? { id: filter.id } : {}),
    };
    const after = page.after
      ? keysetCondition(DIRECTORY_ORDER, await cursorPosition(DIRECTORY_ORDER, page.after))
      : null;
    const [rows, [{ total }]] = await Promise.all([
      // One row more than the page tells whether another page follows.
      namedQuery<WithKeysetColumns<CommissionerEntryView>>(
        this.tx.manager,
        `SELECT u.id, u.display_name AS "displayName", u.phone,
                (SELECT COUNT(*)::int FROM enterprises e
                  WHERE e.commissioner_id = u.id AND ${enterpriseActiveSql('e')}${scope ? ` AND ${scope.sql}` : ''}) AS enterprises
                ${keysetColumnsSql(DIRECTORY_ORDER)}
           FROM users u WHERE ${where} ${after ? `AND ${after.sql}` : ''}
          ORDER BY ${orderBySql(DIRECTORY_ORDER)}
          LIMIT :limit OFFSET :offset`,
        { ...params, ...after?.params, limit: page.pageSize + 1, offset: after ? 0 : pageOffset(page) },
      ),
      namedQuery<{ total: number }>(
        this.tx.manager,
        `SELECT COUNT(*)::int AS total FROM users u WHERE ${where}`,
        params,
      ),
    ]);
    const { rows: items, nextCursor } = keysetPage(DIRECTORY_ORDER, rows, page.pageSize);
    return { items, total, nextCursor };
  }

  /**
   * Serialises the changes that may remove an active admin, until the transaction ends. Taken
   * before any row lock: two admins removing each other would otherwise wait on each other's row.
   */
  async lockActiveAdmins(): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('keydesk:active-admins'))`);
  }

  /** Active admins other than this user. */
  countOtherActiveAdmins(userId: string): Promise<number> {
    return this.tx.manager.count(User, { where: { role: 'admin', active: true, id: Not(userId) } });
  }

  /** How many of these district codes exist. */
  countKnownDistricts(codes: readonly string[]): Promise<number> {
    return this.tx.manager.count(District, { where: codes.map((code) => ({ code })) });
  }

  /** Inserts a new user (a taken user name fails on `users_username_key`). */
  insert(fields: Partial<User>): Promise<User> {
    const manager = this.tx.manager;
    return manager.save(manager.create(User, fields));
  }

  async save(user: User): Promise<void> {
    await this.tx.manager.save(user);
  }

  /**
   * Creates `admin` with this password hash, and its audit event, if there are no users at all;
   * a second process racing it creates nothing. Whether it was created.
   */
  async insertInitialAdmin(passwordHash: string): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      `WITH created AS (
         INSERT INTO users (username, display_name, role, password_hash)
         SELECT 'admin', 'Administrator', 'admin', $1
          WHERE NOT EXISTS (SELECT 1 FROM users)
         ON CONFLICT (username) DO NOTHING
         RETURNING id)
       INSERT INTO audit_events (actor_id, action, entity_type, entity_id, details, at)
       SELECT NULL, 'user.created', 'user', id, '{"username": "admin", "from": "KEYDESK_ADMIN_PASSWORD"}', now()
         FROM created
       RETURNING entity_id`,
      [passwordHash],
    );
    return rows.length > 0;
  }
}
