import type { Role } from '@keydesk/database';

/** Who is acting: the authenticated user as the rules need them, plus the request for the audit trail. */
export interface Actor {
  id: string;
  username: string;
  role: Role;
  /** Supervisors: their districts; empty means the whole city. */
  districtCodes: string[];
  requestId?: string;
  /** The settings' version when the caller's token was checked: lets reads use the settings a process holds. */
  settingsVersion?: number;
}
