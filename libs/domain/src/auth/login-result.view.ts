import { UserView } from '../users/user.view';

export class LoginResultView {
  accessToken: string;
  /** Always `Bearer`. */
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserView;
}
