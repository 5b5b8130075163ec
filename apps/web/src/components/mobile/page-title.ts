import { ref } from 'vue';

/**
 * A phone page's own title for the top bar (an enterprise's name instead of "企业"), kept with the
 * path it belongs to, so that a title set late by a page already left is never shown on another.
 */
export const phoneTitle = ref<{ path: string; title: string } | null>(null);

export function setPhoneTitle(path: string, title: string): void {
  phoneTitle.value = { path, title };
}
