import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '@keydesk/database';
import { PageQueryDto, QueryBoolean, Trim } from '../http/query.dto';
import { IsMainlandPhone, Omittable } from '../http/validators';

export class CreateUserDto {
  /** 3–32 of a-z 0-9 _ . - */
  @IsString()
  @Matches(/^[a-z0-9_.-]{3,32}$/, { message: 'must be 3-32 characters of a-z, 0-9, _ . -' })
  username: string;

  /** At least 10 characters. */
  @IsString()
  @MinLength(10)
  @MaxLength(256)
  password: string;

  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  displayName: string;

  @IsIn(ROLES)
  role: Role;

  /** Supervisors only; empty or absent means the whole city. */
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @Matches(/^\d{6}$/, { each: true, message: 'each must be a 6-digit district code' })
  districtCodes?: string[];

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsMainlandPhone()
  phone?: string | null;
}

export class UpdateUserDto {
  @Omittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  displayName?: string;

  @Omittable()
  @IsIn(ROLES)
  role?: Role;

  @Omittable()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @Matches(/^\d{6}$/, { each: true, message: 'each must be a 6-digit district code' })
  districtCodes?: string[];

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsMainlandPhone()
  phone?: string | null;

  @Omittable()
  @IsBoolean()
  active?: boolean;

  /** A password reset: ends the user's current sessions. */
  @Omittable()
  @IsString()
  @MinLength(10)
  @MaxLength(256)
  password?: string;

  /** Checked when sent: a stale version answers 409. */
  @Omittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class UserQueryDto extends PageQueryDto {
  @Omittable()
  @IsIn(ROLES)
  role?: Role;

  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;

  /** Substring of user name or display name. */
  @Omittable()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class CommissionerDirectoryQueryDto extends PageQueryDto {
  /** Substring of display name or user name. */
  @Omittable()
  @IsString()
  @MaxLength(64)
  q?: string;

  /** One commissioner by id (a picker naming the one already chosen); nobody if not an active commissioner. */
  @Omittable()
  @IsUUID()
  id?: string;
}
