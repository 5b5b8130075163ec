import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import {
  Clock,
  ConflictError,
  escapeLike,
  ForbiddenError,
  InvalidInputError,
  isUniqueViolation,
  NotFoundError,
  Page,
  PageRequest,
  pageOffset,
  VersionConflictError,
} from '@keydesk/common';
import { District, namedQuery, Role, User } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { enterpriseScopeCondition, isManager } from '../access/scope';
import { recordAudit } from '../audit/audit';
import { LoginLimiter } from '../auth/login-limiter';
import { hashPassword } from './password';
import { CommissionerEntryView, UserView } from './user.view';

export interface CreateUserInput {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  districtCodes?: string[];
  phone?: string | null;
}

export interface UpdateUserInput {
  displayName?: string;
  role?: Role;
  districtCodes?: string[];
  phone?: string | null;
  active?: boolean;
  password?: string;
  version?: number;
}

export interface UserFilter {
  role?: Role;
  active?: boolean;
  q?: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly loginLimiter: LoginLimiter,
  ) {}

  async list(filter: UserFilter, page: PageRequest): Promise<Page<UserView>> {
    const query = this.db.getRepository(User).createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.active !== undefined) query.andWhere('u.active = :active', { active: filter.active });
    if (filter.q) {
      query.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q)', { q: `%${escapeLike(filter.q)}%` });
    }
    const [users, total] = await query
      .orderBy('u.username', 'ASC')
      .skip(pageOffset(page))
      .take(page.pageSize)
      .getManyAndCount();
    return { items: users.map((user) => UserView.of(user)), total, ...page };
  }

  /**
   * The active commissioners, by display name, for supervisors and admins to pick from when they
   * assign an enterprise or a problem. Each comes with the number of active enterprises they
   * serve, counted in the reader's scope (the ledger's rule), so a district supervisor weighs
   * workloads in their districts. Open to supervisors, unlike the admins' user list.
   */
  async commissionerDirectory(
    actor: Actor,
    filter: { q?: string; id?: string },
    page: PageRequest,
  ): Promise<Page<CommissionerEntryView>> {
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins look up commissioners');
    const scope = enterpriseScopeCondition(actor, 'e');
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
    const [items, [{ total }]] = await Promise.all([
      namedQuery<CommissionerEntryView>(
        this.db,
        `SELECT u.id, u.display_name AS "displayName", u.phone,
                (SELECT COUNT(*)::int FROM enterprises e
                  WHERE e.commissioner_id = u.id AND e.status = 'active'${scope ? ` AND ${scope.sql}` : ''}) AS enterprises
           FROM users u WHERE ${where}
          ORDER BY u.display_name, u.id
          LIMIT :limit OFFSET :offset`,
        { ...params, limit: page.pageSize, offset: pageOffset(page) },
      ),
      namedQuery<{ total: number }>(this.db, `SELECT COUNT(*)::int AS total FROM users u WHERE ${where}`, params),
    ]);
    return { items, total, ...page };
  }

  async get(id: string): Promise<UserView> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('User');
    return UserView.of(user);
  }

  async create(actor: Actor | null, input: CreateUserInput): Promise<UserView> {
    const districtCodes = input.districtCodes ?? [];
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (manager) => {
      await assertDistrictsFitRole(manager, input.role, districtCodes);
      const now = this.clock.now();
      try {
        const user = await manager.save(
          manager.create(User, {
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            districtCodes,
            phone: input.phone ?? null,
            active: true,
            passwordHash,
            credentialsChangedAt: now,
          }),
        );
        await recordAudit(manager, actor, 'user.created', { type: 'user', id: user.id }, now, {
          username: user.username,
          role: user.role,
        });
        return UserView.of(user);
      } catch (error) {
        if (isUniqueViolation(error, 'users_username_key')) {
          throw new ConflictError(`username ${input.username} is already taken`);
        }
        throw error;
      }
    });
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const view = await this.db.transaction(async (manager) => {
      // Before any row lock: two admins removing each other would otherwise wait on each other's row.
      const mayRemoveAnAdmin = input.active === false || (input.role !== undefined && input.role !== 'admin');
      if (mayRemoveAnAdmin) await manager.query(`SELECT pg_advisory_xact_lock(hashtext('keydesk:active-admins'))`);
      const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('User');
      if (input.version !== undefined && input.version !== user.version) {
        throw new VersionConflictError('User', user.version);
      }
      if (user.id === actor.id && (input.active === false || (input.role && input.role !== user.role))) {
        throw new ConflictError('you may not deactivate yourself or change your own role');
      }
      const role = input.role ?? user.role;
      if (user.role === 'admin' && user.active && (role !== 'admin' || input.active === false)) {
        await assertAnotherActiveAdmin(manager, user.id);
      }
      // A role without districts drops the ones it had; a supervisor keeps theirs unless told otherwise.
      const districtCodes = role === 'supervisor' ? (input.districtCodes ?? user.districtCodes) : [];
      if (input.districtCodes?.length && role !== 'supervisor') {
        throw InvalidInputError.field('districtCodes', 'only supervisors have districts');
      }
      await assertDistrictsFitRole(manager, role, districtCodes);

      const now = this.clock.now();
      const changed: string[] = [];
      const apply = <K extends keyof User>(field: K, value: User[K] | undefined) => {
        if (value === undefined || JSON.stringify(user[field]) === JSON.stringify(value)) return;
        user[field] = value;
        changed.push(field);
      };
      apply('displayName', input.displayName);
      apply('role', role);
      apply('districtCodes', districtCodes);
      apply('phone', input.phone);
      apply('active', input.active);
      if (passwordHash) {
        user.passwordHash = passwordHash;
        changed.push('password');
      }
      if (changed.length === 0) return UserView.of(user);
      // A new password or a deactivation ends every session the user had. (Role and districts
      // need no such step: every request reads the user afresh.)
      if (passwordHash || changed.includes('active')) {
        user.credentialsChangedAt = now;
        user.sessionVersion += 1;
      }
      user.version += 1;
      await manager.save(user);
      await recordAudit(manager, actor, 'user.updated', { type: 'user', id: user.id }, now, { fields: changed });
      return UserView.of(user);
    });
    // A new password set by an admin also lifts the user name's failed-login blocks. The password
    // is changed whatever happens here: a Redis fault only leaves the blocks to run out their window.
    if (passwordHash) await this.loginLimiter.clear(view.username).catch(() => undefined);
    return view;
  }

  /** The first start on an empty database creates `admin`; a second process racing it creates nothing. */
  async createInitialAdmin(password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    const rows: unknown[] = await this.db.query(
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

  /** The user an enterprise can be assigned to: an active commissioner, else 400 naming the field. */
  static async requireActiveCommissioner(manager: EntityManager, id: string, field = 'commissionerId'): Promise<User> {
    const user = await manager.findOneBy(User, { id });
    if (!user || user.role !== 'commissioner' || !user.active) {
      throw InvalidInputError.field(field, 'must be an active commissioner');
    }
    return user;
  }
}

/**
 * Someone must be able to administer keydesk: an active admin may lose the role or be deactivated
 * only while another active admin remains. The caller holds the active-admins lock, so two admins
 * removing each other at once take turns and the second sees the first's change.
 */
async function assertAnotherActiveAdmin(manager: EntityManager, leaving: string): Promise<void> {
  const others = await manager.count(User, { where: { role: 'admin', active: true, id: Not(leaving) } });
  if (others === 0) throw new ConflictError('the last active admin cannot be deactivated or given another role');
}

async function assertDistrictsFitRole(manager: EntityManager, role: Role, districtCodes: string[]): Promise<void> {
  if (districtCodes.length === 0) return;
  if (role !== 'supervisor') throw InvalidInputError.field('districtCodes', 'only supervisors have districts');
  const known = await manager.count(District, { where: districtCodes.map((code) => ({ code })) });
  if (known !== new Set(districtCodes).size) {
    throw InvalidInputError.field('districtCodes', 'contains an unknown district code');
  }
}
