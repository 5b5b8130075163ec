import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '@keydesk/common';
import type { Role } from '@keydesk/database';
import { Actor, AuthService } from '@keydesk/domain';

const PUBLIC = 'keydesk:public';
const ROLES = 'keydesk:roles';

/** The route needs no token (login, health). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route at all (for routes without records in scope, such as /users). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type AuthenticatedRequest = Request & { actor?: Actor; id?: string };

/** Every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedError('send an access token as "Authorization: Bearer <token>"');
    }
    request.actor = await this.auth.authenticate(token, request.id);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenError(`this needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}

/** The authenticated caller. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new UnauthorizedError('not authenticated');
  return actor;
});
