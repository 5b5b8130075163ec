import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TooManyRequestsError, UnauthorizedError } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { User } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { burnPasswordCheck, verifyPassword } from '../users/password';
import { UserView } from '../users/user.view';
import { LoginLimiter } from './login-limiter';

export const JWT_ALGORITHM = 'HS256';

export class LoginResultView {
  accessToken: string;
  /** Always `Bearer`. */
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserView;
}

interface TokenClaims {
  sub: string;
  iat: number;
}

const BAD_CREDENTIALS = 'user name or password is wrong';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly env: Environment,
  ) {}

  async login(username: string, password: string, address: string): Promise<LoginResultView> {
    const retryAfter = await this.limiter.retryAfter(username, address);
    if (retryAfter > 0) {
      throw new TooManyRequestsError('too many failed logins; try again later', retryAfter);
    }
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    // The same answer, after the same work, for an unknown user, a wrong password and a deactivated account.
    const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
    if (!user || !valid || !user.active) {
      await this.limiter.recordFailure(username, address);
      throw new UnauthorizedError(BAD_CREDENTIALS);
    }
    await this.limiter.recordSuccess(username);
    const accessToken = await this.jwt.signAsync({ sub: user.id } satisfies Omit<TokenClaims, 'iat'>, {
      algorithm: JWT_ALGORITHM,
      expiresIn: this.env.JWT_EXPIRES_IN_SECONDS,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.env.JWT_EXPIRES_IN_SECONDS, user: UserView.of(user) };
  }

  /**
   * The actor behind a bearer token. The user is read afresh on every request, so that a
   * deactivation, a new role or a password reset takes effect at once.
   */
  async authenticate(token: string, requestId?: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: [JWT_ALGORITHM] });
    } catch {
      throw new UnauthorizedError('the access token is missing, malformed or expired');
    }
    const user = typeof claims.sub === 'string' ? await this.findUser(claims.sub) : null;
    // JWT `iat` has second resolution; a token from the same second as the change still counts as before it.
    const issuedBeforeChange = user && claims.iat < Math.floor(user.credentialsChangedAt.getTime() / 1000);
    if (!user || !user.active || issuedBeforeChange) {
      throw new UnauthorizedError('the access token is no longer valid; log in again');
    }
    return { id: user.id, username: user.username, role: user.role, districtCodes: user.districtCodes, requestId };
  }

  async me(actor: Actor): Promise<UserView> {
    const user = await this.findUser(actor.id);
    if (!user) throw new UnauthorizedError('the access token is no longer valid; log in again');
    return UserView.of(user);
  }

  private findUser(id: string): Promise<User | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
    return this.db.getRepository(User).findOneBy({ id });
  }
}
