import { createApp } from 'vue';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { auth } from '@/api/client';
import { session } from '@/auth/session';
import App from './App.vue';
import { loginLocation, router } from './router';
import './styles.css';

// An expired or revoked session: back to the login page, then back here after logging in.
auth.onSessionEnded = () => {
  if (!session.loggedIn.value) return;
  session.logout();
  ElMessage.warning('登录已失效，请重新登录');
  void router.replace(loginLocation(router.currentRoute.value));
};

// Logging out, or in as someone else, in another tab applies here too: nobody keeps looking at
// another person's screen.
const userIn = (stored: string | null): string | undefined => {
  try {
    return stored ? (JSON.parse(stored) as { user?: { id?: string } }).user?.id : undefined;
  } catch {
    return undefined;
  }
};
window.addEventListener('storage', (event) => {
  if (event.key !== 'keydesk.session') return;
  if (!session.loggedIn.value) void router.replace(loginLocation(router.currentRoute.value));
  else if (router.currentRoute.value.meta.public) void router.replace('/workbench');
  else if (userIn(event.oldValue) !== userIn(event.newValue)) window.location.reload();
});

createApp(App).use(router).mount('#app');
