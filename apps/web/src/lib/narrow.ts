import { onBeforeUnmount, ref } from 'vue';

/** Whether the screen is phone-wide, so that pagination and dialogs take a compact layout there. */
export function useNarrow(maxWidth = 768) {
  const query = window.matchMedia(`(max-width: ${maxWidth}px)`);
  const narrow = ref(query.matches);
  const onChange = (event: MediaQueryListEvent) => (narrow.value = event.matches);
  query.addEventListener('change', onChange);
  onBeforeUnmount(() => query.removeEventListener('change', onChange));
  return narrow;
}
