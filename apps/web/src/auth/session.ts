import { computed, reactive } from 'vue';
import { api, auth, call, type Schemas } from '@/api/client';

type User = Schemas['UserView'];

const STORAGE_KEY = 'keydesk.session';

interface Stored {
  token: string;
  user: User;
}

function load(): Stored | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

const state = reactive<{ token: string | null; user: User | null }>({ token: null, user: null });

function set(stored: Stored | null): void {
  state.token = stored?.token ?? null;
  state.user = stored?.user ?? null;
  auth.token = state.token;
  if (stored) localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  else localStorage.removeItem(STORAGE_KEY);
}

set(load());

// Another tab logging in or out changes this one too.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) {
    const stored = load();
    state.token = stored?.token ?? null;
    state.user = stored?.user ?? null;
    auth.token = state.token;
  }
});

/** The person using the app. The token is kept in localStorage, so every tab shares one session. */
export const session = {
  state,
  user: computed(() => state.user),
  loggedIn: computed(() => state.token !== null),
  role: computed(() => state.user?.role ?? null),

  async login(username: string, password: string): Promise<User> {
    const result = await call(api.POST('/api/v1/auth/login', { body: { username, password } }));
    set({ token: result.accessToken, user: result.user });
    return result.user;
  },

  /** Takes over a fresh token (after changing one's password, every other session ended). */
  replace(token: string, user: User): void {
    set({ token, user });
  },

  /** Re-reads who is logged in (name, role and districts may have changed). */
  async refresh(): Promise<void> {
    if (!state.token) return;
    const user = await call(api.GET('/api/v1/auth/me'));
    if (state.token) set({ token: state.token, user });
  },

  logout(): void {
    set(null);
  },
};
