import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock, InvalidInputError, TooManyRequestsError, UnauthorizedError } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import type { User } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { AuditRepository } from '../repositories/audit.repository';
import { UsersRepository } from '../repositories/users.repository';
import { userFieldErrors } from '../rules/user-rules';
import { TransactionContext } from '../transactions/transaction-context';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../users/password';
import { UserView } from '../users/user.view';
import { LoginLimiter } from './login-limiter';
import { LoginResultView } from './login-result.view';

const UUID = /^[0-9a-f-]{36}$/i;

export const JWT_ALGORITHM = 'HS256';

interface TokenClaims {
  sub: string;
  /** The user's session version when the token was issued. */
  sv: number;
  iat: number;
  exp: number;
}

const BAD_CREDENTIALS = 'user name or password is wrong';

@Injectable()
export class AuthService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly env: Environment,
    private readonly clock: Clock,
  ) {}

  async login(username: string, password: string, address: string): Promise<LoginResultView> {
    // The attempt takes its place before the slow password check: guesses sent at once are
    // counted as they arrive, and only a right password gives its place back.
    const attempt = await this.limiter.attempt(username, address);
    if (attempt.refused) {
      throw new TooManyRequestsError('too many failed logins; try again later', attempt.retryAfter);
    }
    let succeeded = false;
    try {
      if (attempt.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, attempt.delayMs));
      const user = await this.users.findWithPasswordByUsername(username);
      // The same answer, after the same work, for an unknown user, a wrong password and a deactivated account.
      const valid = user
        ? await verifyPassword(user.passwordHash, password)
        : (await burnPasswordCheck(password), false);
      if (!user || !valid || !user.active) throw new UnauthorizedError(BAD_CREDENTIALS);
      const result = await this.issueToken(user);
      succeeded = true;
      // The password was right: a Redis fault while clearing the counts must not refuse the login.
      await attempt.release('success').catch(() => undefined);
      return result;
    } catch (error) {
      // A failed login keeps its place; a fault of ours (the database down) is not the caller's failure.
      if (!succeeded && !(error instanceof UnauthorizedError)) await attempt.release('error').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Changes the caller's own password, given the current one. A wrong current password is a 400
   * on `currentPassword` (a 401 would read as "your session ended"), and it counts against the
   * failed-login limits exactly as a failed login of that user name from that address does: the
   * same counts, slow-down and 429, so a stolen session guesses no faster here than at the login.
   * On success every session of the user ends (the session version rises) and the answer is a
   * fresh login for the caller to go on with.
   */
  async changePassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string },
    address: string,
  ): Promise<LoginResultView> {
    const [tooShortOrLong] = userFieldErrors({ password: input.newPassword });
    if (tooShortOrLong) throw InvalidInputError.field('newPassword', tooShortOrLong.message);
    if (input.newPassword === input.currentPassword) {
      throw InvalidInputError.field('newPassword', 'must differ from the current password');
    }
    const attempt = await this.limiter.attempt(actor.username, address);
    if (attempt.refused) {
      throw new TooManyRequestsError('too many failed password checks; try again later', attempt.retryAfter);
    }
    let failed = false;
    let succeeded = false;
    try {
      if (attempt.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, attempt.delayMs));
      const user = await this.tx.run(async () => {
        // Locked, so that of two changes made with the same current password only one lands.
        const user = await this.users.lockWithPasswordById(actor.id);
        if (!user || !user.active) throw new UnauthorizedError('the access token is no longer valid; log in again');
        if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
          failed = true;
          throw InvalidInputError.field('currentPassword', 'is not your current password');
        }
        const now = this.clock.now();
        user.passwordHash = await hashPassword(input.newPassword);
        user.credentialsChangedAt = now;
        user.sessionVersion += 1;
        user.version += 1;
        await this.users.save(user);
        await this.audit.record(actor, 'user.password_changed', { type: 'user', id: user.id }, now);
        return user;
      });
      succeeded = true;
      await attempt.release('success').catch(() => undefined);
      return await this.issueToken(user);
    } catch (error) {
      // A wrong current password keeps its place, as a failed login does; anything else gives it back.
      if (!failed && !succeeded) await attempt.release('error').catch(() => undefined);
      throw error;
    }
  }

  private async issueToken(user: User): Promise<LoginResultView> {
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, sv: user.sessionVersion } satisfies Omit<TokenClaims, 'iat' | 'exp'>,
      { algorithm: JWT_ALGORITHM, expiresIn: this.env.JWT_EXPIRES_IN_SECONDS },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: this.env.JWT_EXPIRES_IN_SECONDS, user: UserView.of(user) };
  }

  /**
   * The actor behind a bearer token. The user is read afresh on every request, so that a
   * deactivation, a new role or a password reset takes effect at once: a token carries the
   * user's session version, which a password reset or a deactivation raises.
   */
  async authenticate(token: string, requestId?: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: [JWT_ALGORITHM] });
    } catch {
      throw new UnauthorizedError('the access token is missing, malformed or expired');
    }
    // A token that never expires was not issued here, however well signed.
    if (typeof claims.exp !== 'number') {
      throw new UnauthorizedError('the access token is missing, malformed or expired');
    }
    const caller =
      typeof claims.sub === 'string' && UUID.test(claims.sub) ? await this.users.findCaller(claims.sub) : null;
    if (!caller || !caller.active || claims.sv !== caller.sessionVersion) {
      throw new UnauthorizedError('the access token is no longer valid; log in again');
    }
    const { id, username, role, districtCodes, settingsVersion } = caller;
    return { id, username, role, districtCodes, requestId, settingsVersion };
  }

  async me(actor: Actor): Promise<UserView> {
    const user = await this.findUser(actor.id);
    if (!user) throw new UnauthorizedError('the access token is no longer valid; log in again');
    return UserView.of(user);
  }

  private findUser(id: string): Promise<User | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.users.findById(id);
  }
}
