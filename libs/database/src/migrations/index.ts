import { Foundation1764200000000 } from './1764200000000-foundation';
import { FieldWork1764300000000 } from './1764300000000-field-work';
import { Reminders1764400000000 } from './1764400000000-reminders';
import { CityScaleIndexes1764500000000 } from './1764500000000-city-scale-indexes';
import { Rollups1764600000000 } from './1764600000000-rollups';
import { SessionVersion1764700000000 } from './1764700000000-session-version';
import { VisitClientRequest1764800000000 } from './1764800000000-visit-client-request';
import { Imports1764900000000 } from './1764900000000-imports';
import { ImportFiles1765000000000 } from './1765000000000-import-files';
import { DashboardCountIndexes1765200000000 } from './1765200000000-dashboard-count-indexes';
import { LedgerDueOrderIndex1765300000000 } from './1765300000000-ledger-due-order-index';
import { DayRollups1765400000000 } from './1765400000000-day-rollups';
import { ProblemList1765500000000 } from './1765500000000-problem-list';
import { ProblemStateTimes1765600000000 } from './1765600000000-problem-state-times';

/** Every migration, in order. Listed as classes so the build, jest and the CLI agree. */
export const migrations = [
  Foundation1764200000000,
  FieldWork1764300000000,
  Reminders1764400000000,
  CityScaleIndexes1764500000000,
  Rollups1764600000000,
  SessionVersion1764700000000,
  VisitClientRequest1764800000000,
  Imports1764900000000,
  ImportFiles1765000000000,
  DashboardCountIndexes1765200000000,
  LedgerDueOrderIndex1765300000000,
  DayRollups1765400000000,
  ProblemList1765500000000,
  ProblemStateTimes1765600000000,
];
