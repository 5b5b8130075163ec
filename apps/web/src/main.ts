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

createApp(App).use(router).mount('#app');
