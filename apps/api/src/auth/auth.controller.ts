import { Body, Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, AuthService, LoginResultView, UserView } from '@keydesk/domain';
import { CurrentActor, Public } from './auth.guard';
import { ChangePasswordDto } from './change-password.dto';
import { LoginDto } from './login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in with user name and password; answers a bearer token' })
  @ApiUnauthorizedResponse({ description: 'Wrong user name or password (the same answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins for this user name or address; see Retry-After' })
  login(@Body() body: LoginDto, @Req() request: Request): Promise<LoginResultView> {
    return this.auth.login(body.username, body.password, request.ip ?? 'unknown');
  }

  @Post('password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your own password; answers a fresh login, and every other session of yours ends',
  })
  @ApiBadRequestResponse({
    description:
      'currentPassword is wrong (a field error, not 401: the session goes on), or newPassword is too short or unchanged',
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed password checks for this user name or address, as for login',
  })
  changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
  ): Promise<LoginResultView> {
    return this.auth.changePassword(actor, body, request.ip ?? 'unknown');
  }

  @Get('me')
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The logged-in user' })
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.auth.me(actor);
  }
}
