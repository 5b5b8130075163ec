import { CanActivate, ExecutionContext, Injectable, SetMetadata, Type, createParamDecorator } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '@keydesk/common';
import type { Role } from '@keydesk/database';
import { Actor, AuthService } from '@keydesk/domain';

const PUBLIC = 'keydesk:public';
const ROLES = 'keydesk:roles';
const MAY_ACT = 'keydesk:may-act';

/** The route needs no token (login, health). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route at all (for routes without records in scope, such as /users). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

interface MayActCheck<S = unknown> {
  resource: string;
  service: Type<S>;
  check: (service: S, actor: Actor, id: string, body: unknown) => Promise<void>;
}

/**
 * Who may act on the record named by the route's `:id`, asked of the domain before the body is
 * validated: out of scope answers 404, then a role that may not act answers 403, whatever the
 * body holds. The write itself applies the same rule again inside its transaction.
 */
export const MayAct = <S>(
  resource: string,
  service: Type<S>,
  check: (service: S, actor: Actor, id: string, body: unknown) => Promise<void>,
) => SetMetadata(MAY_ACT, { resource, service, check } as MayActCheck);

type AuthenticatedRequest = Request & { actor?: Actor; id?: string };

/** Every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedError('send an access token as "Authorization: Bearer <token>"');
    }
    request.actor = await this.auth.authenticate(token, request.id);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenError(`this needs the role ${roles.join(' or ')}`);
    }
    const mayAct = this.reflector.get<MayActCheck | undefined>(MAY_ACT, context.getHandler());
    if (mayAct) {
      const id = request.params.id;
      // Anything that is not a UUID cannot exist (the route's own pipe says the same later).
      if (typeof id !== 'string' || !isUUID(id)) throw new NotFoundError(mayAct.resource);
      const service = this.moduleRef.get(mayAct.service, { strict: false });
      await mayAct.check(service, request.actor, id, request.body);
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
