import type { Role, User } from '@keydesk/database';

/** A user as the API shows it: never the password hash. */
export class UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Supervisors: the districts they oversee; empty means the whole city. */
  districtCodes: string[];
  phone: string | null;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;

  static of(user: User): UserView {
    const view = new UserView();
    view.id = user.id;
    view.username = user.username;
    view.displayName = user.displayName;
    view.role = user.role;
    view.districtCodes = user.districtCodes;
    view.phone = user.phone;
    view.active = user.active;
    view.version = user.version;
    view.createdAt = user.createdAt;
    view.updatedAt = user.updatedAt;
    return view;
  }
}

/** Who did something, as lists and histories show it. */
export class UserRef {
  id: string;
  displayName: string;
}

export class UserPageView {
  items: UserView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}

/** An active commissioner, as the pickers that assign enterprises and problems show them. */
export class CommissionerEntryView {
  id: string;
  displayName: string;
  phone: string | null;
  /** Active enterprises they serve, counted in the reader's scope (a district supervisor: their districts). */
  enterprises: number;
}

export class CommissionerDirectoryPageView {
  items: CommissionerEntryView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}
