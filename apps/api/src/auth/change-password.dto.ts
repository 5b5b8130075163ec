import { IsString, MaxLength, MinLength } from 'class-validator';

export class ChangePasswordDto {
  /** The password in use now; a wrong one answers 400 on this field and counts as a failed login. */
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  /** At least 10 characters, and not the current password. */
  @IsString()
  @MinLength(10)
  @MaxLength(256)
  newPassword: string;
}
