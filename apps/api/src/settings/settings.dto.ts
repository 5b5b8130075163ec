import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import { Omittable } from '../http/validators';

const Days = (max = 366) => [Omittable(), IsInt(), Min(1), Max(max)];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((decorator) => decorator(target, key));

export class SlaDaysDto {
  @apply(Days()) urgent?: number;
  @apply(Days()) high?: number;
  @apply(Days()) normal?: number;
  @apply(Days()) low?: number;
}

export class VisitCadenceDto {
  @apply(Days()) provincial?: number;
  @apply(Days()) municipal?: number;
  @apply(Days()) district?: number;
}

export class ReminderOffsetsDto {
  @apply(Days(60)) visitUpcomingDays?: number;
  @apply(Days(60)) visitOverdueDays?: number;
  @apply(Days(24 * 14)) problemDueSoonHours?: number;
  @apply(Days(60)) problemLongOverdueDays?: number;
  @apply(Days(366)) demandStaleDays?: number;
}

/** Any part of the settings, with the version last read. */
export class UpdateSettingsDto {
  @Omittable()
  @ValidateNested()
  @Type(() => SlaDaysDto)
  slaDays?: SlaDaysDto;

  @Omittable()
  @ValidateNested()
  @Type(() => VisitCadenceDto)
  visitCadenceDays?: VisitCadenceDto;

  @Omittable()
  @ValidateNested()
  @Type(() => ReminderOffsetsDto)
  reminderOffsets?: ReminderOffsetsDto;

  @IsInt()
  @Min(1)
  version: number;
}
