import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import type { Role } from '@keydesk/database';
import { session } from '@/auth/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page title (browser tab and breadcrumb). */
    title?: string;
    /** Who may open it; everyone logged in when absent. */
    roles?: Role[];
    /** Open without logging in. */
    public?: boolean;
    /** The breadcrumb's parent: the list a record's page belongs to. */
    parent?: { title: string; path: string };
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('@/views/LoginView.vue'), meta: { title: '登录', public: true } },
  // The phone view for commissioners in the field: its own one-column shell, one thumb.
  {
    path: '/m',
    component: () => import('@/layout/MobileShell.vue'),
    children: [
      { path: '', redirect: '/m/enterprises' },
      {
        path: 'enterprises',
        component: () => import('@/views/mobile/MobileEnterprisesView.vue'),
        meta: { title: '我的企业' },
      },
      {
        path: 'enterprises/:id',
        component: () => import('@/views/mobile/MobileEnterpriseView.vue'),
        props: true,
        meta: { title: '企业' },
      },
      {
        path: 'enterprises/:id/visit',
        component: () => import('@/views/mobile/MobileVisitView.vue'),
        props: true,
        meta: { title: '登记走访' },
      },
      {
        path: 'problems',
        component: () => import('@/views/mobile/MobileProblemsView.vue'),
        meta: { title: '我的问题' },
      },
      {
        path: 'notifications',
        component: () => import('@/views/mobile/MobileNotificationsView.vue'),
        meta: { title: '我的提醒' },
      },
      { path: ':path(.*)*', component: () => import('@/views/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
  {
    path: '/',
    component: () => import('@/layout/AppShell.vue'),
    children: [
      { path: '', redirect: '/workbench' },
      { path: 'workbench', component: () => import('@/views/WorkbenchView.vue'), meta: { title: '工作台' } },
      {
        path: 'enterprises',
        component: () => import('@/views/enterprises/LedgerView.vue'),
        meta: { title: '重点企业台账' },
      },
      {
        path: 'enterprises/:id',
        component: () => import('@/views/enterprises/EnterpriseView.vue'),
        props: true,
        meta: { title: '企业详情', parent: { title: '重点企业台账', path: '/enterprises' } },
      },
      {
        path: 'enterprises/:id/visits/new',
        component: () => import('@/views/visits/VisitNewView.vue'),
        props: true,
        meta: { title: '登记走访', parent: { title: '重点企业台账', path: '/enterprises' } },
      },
      {
        path: 'demands',
        component: () => import('@/views/demands/DemandListView.vue'),
        meta: { title: '用工需求清单' },
      },
      { path: 'visits', component: () => import('@/views/visits/VisitListView.vue'), meta: { title: '走访记录' } },
      {
        path: 'visits/:id',
        component: () => import('@/views/visits/VisitView.vue'),
        props: true,
        meta: { title: '走访详情', parent: { title: '走访记录', path: '/visits' } },
      },
      {
        path: 'dashboard',
        component: () => import('@/views/dashboard/DashboardView.vue'),
        meta: { title: '统计看板' },
      },
      {
        path: 'problems',
        component: () => import('@/views/problems/ProblemListView.vue'),
        meta: { title: '问题解决清单' },
      },
      {
        path: 'problems/:id',
        component: () => import('@/views/problems/ProblemView.vue'),
        props: true,
        meta: { title: '问题详情', parent: { title: '问题解决清单', path: '/problems' } },
      },
      { path: 'notifications', component: () => import('@/views/NotificationsView.vue'), meta: { title: '消息中心' } },
      {
        path: 'admin',
        component: () => import('@/views/admin/AdminView.vue'),
        meta: { title: '系统管理', roles: ['admin'] },
      },
      { path: 'password', component: () => import('@/views/PasswordView.vue'), meta: { title: '修改密码' } },
      { path: ':path(.*)*', component: () => import('@/views/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** The login page, with the way back to where the person was. */
export function loginLocation(from: RouteLocationNormalized | string) {
  const redirect = typeof from === 'string' ? from : from.fullPath;
  const worthKeeping = redirect && redirect !== '/' && redirect !== '/workbench' && !redirect.startsWith('/login');
  return { path: '/login', query: worthKeeping ? { redirect } : {} };
}

router.beforeEach((to) => {
  if (to.meta.public) return true;
  if (!session.loggedIn.value) return loginLocation(to);
  const role = session.role.value;
  if (to.meta.roles && role && !to.meta.roles.includes(role)) return { path: '/workbench' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - keydesk 重点企业服务` : 'keydesk 重点企业服务';
});
