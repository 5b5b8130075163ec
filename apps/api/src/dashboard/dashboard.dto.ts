import { IsIn, Matches } from 'class-validator';
import { sortValues } from '@keydesk/common';
import { DASHBOARD_COMMISSIONER_SORT_FIELDS } from '@keydesk/domain';
import { PageNumberQueryDto } from '../http/query.dto';
import { Omittable } from '../http/validators';

/**
 * The per-commissioner table's query. It pages by page number only: its rows are computed per
 * request and sorted by figures, so a cursor would save nothing (`after` answers 400).
 */
export class DashboardCommissionerQueryDto extends PageNumberQueryDto {
  /**
   * displayName, enterprises, visitsLast30Days, overdueVisits, openProblems, overdueProblems;
   * `-` for descending. Default displayName; ties by displayName, then id.
   */
  @Omittable()
  @IsIn(sortValues(DASHBOARD_COMMISSIONER_SORT_FIELDS))
  sort?: string;

  /** Only this district's figures (within your scope: a district you do not cover lists nobody). */
  @Omittable()
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit district code' })
  districtCode?: string;
}
