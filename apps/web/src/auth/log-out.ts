import type { Router } from 'vue-router';
import { clearDraft, draftsOf } from '@/components/visits/visit-draft';
import { unreadCount } from '@/lib/inbox';
import { session } from './session';

/**
 * 退出, asked for by the person: a shared phone or desk keeps nothing of theirs. Unsent visit
 * drafts are named first and dropped with the session (a session that merely expired keeps them,
 * so that logging in again restores them).
 */
export async function logOut(router: Router): Promise<void> {
  const id = session.user.value?.id;
  const drafts = id ? draftsOf(localStorage, id) : [];
  if (drafts.length > 0) {
    try {
      await ElMessageBox.confirm(`本机有 ${drafts.length} 份未提交的走访草稿，退出后将从本机删除。`, '退出', {
        confirmButtonText: '删除草稿并退出',
        cancelButtonText: '取消',
        type: 'warning',
      });
    } catch {
      return;
    }
    for (const key of drafts) clearDraft(localStorage, key);
  }
  session.logout();
  unreadCount.value = 0;
  await router.push('/login');
}
