import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto, QueryBoolean } from '../http/query.dto';

export class NotificationQueryDto extends PageQueryDto {
  /** Only the ones not yet read. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  unread?: boolean;
}
