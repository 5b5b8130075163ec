import { IsBoolean } from 'class-validator';
import { PageQueryDto, QueryBoolean } from '../http/query.dto';
import { Omittable } from '../http/validators';

export class NotificationQueryDto extends PageQueryDto {
  /** Only the ones not yet read. */
  @Omittable()
  @QueryBoolean()
  @IsBoolean()
  unread?: boolean;
}
