import { ref } from 'vue';
import { api, call } from '@/api/client';

/** The bell's count: unread notifications in the whole inbox, as the API reports it. */
export const unreadCount = ref(0);

export async function refreshUnread(): Promise<void> {
  try {
    const page = await call(api.GET('/api/v1/notifications', { params: { query: { pageSize: 1 } } }));
    unreadCount.value = page.unread;
  } catch {
    // The bell keeps its last figure; the next refresh tries again.
  }
}
