import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { ApiError, showError } from '@/api/errors';
import { applyImport, getImport, uploadEnterprises, type ImportMode, type ImportView } from '@/api/imports';
import { fileProblem, importStep, isWorking, uploadErrorText } from './import-steps';

const POLL_MS = 1000;

/**
 * One import of the ledger, from the chosen file to its result. While the server works on it
 * (validating a large file, applying) it is asked again every second, only while `open` is true:
 * a closed dialog asks nothing, and opening it again picks the same import up.
 */
export function useEnterpriseImport(open: Ref<boolean>) {
  const file = shallowRef<File | null>(null);
  const fileError = ref<string | null>(null);
  const uploadError = ref<string | null>(null);
  const uploading = ref(false);
  const applying = ref(false);
  const current = shallowRef<ImportView | null>(null);
  /** Whether an import ended applied since the dialog opened (the ledger then reloads). */
  const changedLedger = ref(false);

  const state = computed(() => current.value?.state ?? null);
  const step = computed(() => importStep(state.value));

  let timer: ReturnType<typeof setTimeout> | undefined;
  // Answers for an import the person has since left (re-uploaded, started over) are dropped.
  let generation = 0;

  let disposed = false;

  function stopPolling(): void {
    clearTimeout(timer);
    timer = undefined;
  }

  function show(view: ImportView): void {
    current.value = view;
    if (view.state === 'applied') changedLedger.value = true;
    stopPolling();
    if (!disposed && open.value && isWorking(view.state)) timer = setTimeout(() => void poll(), POLL_MS);
  }

  async function poll(): Promise<void> {
    const view = current.value;
    if (!view) return;
    const asked = generation;
    try {
      const fresh = await getImport(view.id);
      if (asked === generation) show(fresh);
    } catch (error) {
      if (asked !== generation) return;
      // A lost connection or a passing server fault (5xx, 429) is tried again, more slowly;
      // anything else is said once and the asking stops.
      if (isPassing(error)) {
        if (!disposed && open.value) timer = setTimeout(() => void poll(), POLL_MS * 3);
      } else showError(error);
    }
  }

  function choose(chosen: File | null): void {
    file.value = chosen;
    uploadError.value = null;
    fileError.value = chosen ? fileProblem(chosen) : null;
  }

  async function upload(): Promise<void> {
    if (!file.value || fileError.value || uploading.value) return;
    uploadError.value = null;
    uploading.value = true;
    const asked = ++generation;
    try {
      const view = await uploadEnterprises(file.value);
      if (asked === generation) show(view);
    } catch (error) {
      if (asked === generation) uploadError.value = uploadErrorText(error);
    } finally {
      uploading.value = false;
    }
  }

  async function apply(mode: ImportMode): Promise<void> {
    const view = current.value;
    if (!view || applying.value) return;
    applying.value = true;
    const asked = generation;
    try {
      const started = await applyImport(view.id, mode);
      if (asked === generation) show(started);
    } catch (error) {
      showError(error);
      // The report may be out of date (another tab applied it): show what the server holds now.
      if (asked === generation) void poll();
    } finally {
      applying.value = false;
    }
  }

  /** Back to choosing a file; the import left behind is simply never applied. */
  function startOver(): void {
    generation++;
    stopPolling();
    current.value = null;
    choose(null);
  }

  watch(open, (isOpen) => {
    if (isOpen) {
      changedLedger.value = false;
      if (current.value && isWorking(current.value.state)) void poll();
      return;
    }
    stopPolling();
    // A finished or abandoned import is not shown again; one still running is picked up on reopening.
    if (!isWorking(state.value)) startOver();
  });
  onBeforeUnmount(() => {
    // An answer still on its way must not start polling again for a screen that is gone.
    disposed = true;
    generation++;
    stopPolling();
  });

  return {
    file,
    fileError,
    uploadError,
    uploading,
    applying,
    current,
    state,
    step,
    changedLedger,
    choose,
    upload,
    apply,
    startOver,
  };
}

function isPassing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
}
