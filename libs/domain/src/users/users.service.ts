import { Injectable } from '@nestjs/common';
import {
  Clock,
  ConflictError,
  CursorPage,
  ForbiddenError,
  InvalidInputError,
  isUniqueViolation,
  NotFoundError,
  pageOf,
  PageRequest,
  VersionConflictError,
} from '@keydesk/common';
import { Role, User } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { isManager } from '../access/scope';
import { AuditRepository } from '../repositories/audit.repository';
import { UserFilter, UsersRepository } from '../repositories/users.repository';
import { userFieldErrors } from '../rules/user-rules';
import { TransactionContext } from '../transactions/transaction-context';
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

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async list(filter: UserFilter, page: PageRequest): Promise<CursorPage<UserView>> {
    const { users, total, nextCursor } = await this.users.findPage(filter, page);
    return pageOf(
      users.map((user) => UserView.of(user)),
      total,
      page,
      nextCursor,
    );
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
  ): Promise<CursorPage<CommissionerEntryView>> {
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins look up commissioners');
    const { items, total, nextCursor } = await this.users.commissionerDirectory(actor, filter, page);
    return pageOf(items, total, page, nextCursor);
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User');
    return UserView.of(user);
  }

  async create(actor: Actor | null, input: CreateUserInput): Promise<UserView> {
    checkFields(input);
    const districtCodes = input.districtCodes ?? [];
    const passwordHash = await hashPassword(input.password);
    return this.tx.run(async () => {
      await this.assertDistrictsFitRole(input.role, districtCodes);
      const now = this.clock.now();
      try {
        const user = await this.users.insert({
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          districtCodes,
          phone: input.phone ?? null,
          active: true,
          passwordHash,
          credentialsChangedAt: now,
        });
        await this.audit.record(actor, 'user.created', { type: 'user', id: user.id }, now, {
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

  /**
   * Changes a user. What decides who receives a reminder (role, districts, active) is announced
   * with the commit, so a re-activated user or a supervisor given a district is told what is due
   * at once rather than at the next scheduled sweep.
   */
  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    checkFields(input);
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const view = await this.tx.run(async () => {
      // Before any row lock: two admins removing each other would otherwise wait on each other's row.
      const mayRemoveAnAdmin = input.active === false || (input.role !== undefined && input.role !== 'admin');
      if (mayRemoveAnAdmin) await this.users.lockActiveAdmins();
      const user = await this.users.lockById(id);
      if (!user) throw new NotFoundError('User');
      if (input.version !== undefined && input.version !== user.version) {
        throw new VersionConflictError('User', user.version);
      }
      if (user.id === actor.id && (input.active === false || (input.role && input.role !== user.role))) {
        throw new ConflictError('you may not deactivate yourself or change your own role');
      }
      const role = input.role ?? user.role;
      if (user.role === 'admin' && user.active && (role !== 'admin' || input.active === false)) {
        await this.assertAnotherActiveAdmin(user.id);
      }
      // A role without districts drops the ones it had; a supervisor keeps theirs unless told otherwise.
      const districtCodes = role === 'supervisor' ? (input.districtCodes ?? user.districtCodes) : [];
      if (input.districtCodes?.length && role !== 'supervisor') {
        throw InvalidInputError.field('districtCodes', 'only supervisors have districts');
      }
      await this.assertDistrictsFitRole(role, districtCodes);

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
      await this.users.save(user);
      await this.audit.record(actor, 'user.updated', { type: 'user', id: user.id }, now, { fields: changed });
      this.tx.publish({ type: 'user.changed', userId: user.id, username: user.username, fields: changed });
      return UserView.of(user);
    });
    // A new password set by an admin also lifts the user name's failed-login blocks: the auth
    // module's LoginBlocksLifted follows the `user.changed` event, after the commit.
    return view;
  }

  /** The first start on an empty database creates `admin`; a second process racing it creates nothing. */
  async createInitialAdmin(password: string): Promise<boolean> {
    checkFields({ password });
    return this.users.insertInitialAdmin(await hashPassword(password));
  }

  /**
   * Someone must be able to administer keydesk: an active admin may lose the role or be deactivated
   * only while another active admin remains. The caller holds the active-admins lock, so two admins
   * removing each other at once take turns and the second sees the first's change.
   */
  private async assertAnotherActiveAdmin(leaving: string): Promise<void> {
    if ((await this.users.countOtherActiveAdmins(leaving)) === 0) {
      throw new ConflictError('the last active admin cannot be deactivated or given another role');
    }
  }

  private async assertDistrictsFitRole(role: Role, districtCodes: string[]): Promise<void> {
    if (districtCodes.length === 0) return;
    if (role !== 'supervisor') throw InvalidInputError.field('districtCodes', 'only supervisors have districts');
    if ((await this.users.countKnownDistricts(districtCodes)) !== new Set(districtCodes).size) {
      throw InvalidInputError.field('districtCodes', 'contains an unknown district code');
    }
  }
}

/** The fields' own rules (as the API's DTOs check them), for callers that are not the API. */
function checkFields(input: Parameters<typeof userFieldErrors>[0]): void {
  const errors = userFieldErrors(input);
  if (errors.length) throw InvalidInputError.fields(errors);
}
