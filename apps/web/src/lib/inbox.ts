import { ref } from 'vue';
import { api, call } from '@/api/client';

/** The bell's count: unread notifications in the whole inbox, as the API reports it. */
export const unreadCount = ref(0);

// Every figure taken is numbered: an answer older than the last one taken is dropped, so a poll
// sent before 全部已读 cannot put the old count back.
let asked = 0;
let taken = 0;

function take(ticket: number, count: number): void {
  if (ticket < taken) return;
  taken = ticket;
  unreadCount.value = count;
}

/** A count read with a page of the inbox (or the workbench's figure): the bell takes it at once. */
export function setUnread(count: number): void {
  take(++asked, count);
}

export async function refreshUnread(): Promise<void> {
  const ticket = ++asked;
  try {
    const page = await call(api.GET('/api/v1/notifications', { params: { query: { pageSize: 1 } } }));
    take(ticket, page.unread);
  } catch {
    // The bell keeps its last figure; the next refresh tries again.
  }
}
