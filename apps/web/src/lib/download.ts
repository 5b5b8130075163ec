import { ref } from 'vue';
import { send } from '@/api/client';
import { ApiError, showError } from '@/api/errors';

// Files come from the API with the bearer token, which a plain link cannot send: they are fetched,
// held as a Blob and handed to the browser through an object URL and an <a download>.

export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** A path with its query; empty values are left out, as the list endpoints read them as absent. */
export function withQuery(path: string, query: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** A list's query for its export: the same filters and sort, without the page (an export is every row). */
export function exportQuery(query: object): QueryValues {
  const { page: _page, pageSize: _pageSize, ...rest } = query as QueryValues;
  return rest;
}

/**
 * The file name a Content-Disposition header gives: the RFC 6266 `filename*` (UTF-8, percent-encoded,
 * how a Chinese name comes) before the plain `filename`; null when it names none. Folders are cut
 * off, so a name never points anywhere but the downloads folder.
 */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    const charset = extended[1].trim().toLowerCase();
    try {
      const name = charset === 'utf-8' || charset === '' ? decodeURIComponent(extended[2].trim()) : null;
      if (name) return baseName(name);
    } catch {
      // A malformed escape: the plain name below is the fallback the server sent for this case.
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return baseName(quoted[1].replace(/\\(.)/g, '$1'));
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return token ? baseName(token[1]) : null;
}

function baseName(name: string): string | null {
  const base = name.split(/[/\\]/).pop()?.trim() ?? '';
  return base === '' || base === '.' || base === '..' ? null : base;
}

/** Hands a Blob to the browser as a download under the given name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser reads the URL after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads an API file (`/api/v1/...`) with the session's token; the server names the file. */
export async function downloadFile(path: string, fallbackName: string, query?: QueryValues): Promise<string> {
  const response = await send(withQuery(path, query));
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    // The connection broke while the file streamed.
    throw new ApiError(0, null);
  }
  const name = fileNameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName;
  saveBlob(blob, name);
  return name;
}

/**
 * A download with its busy state, for a button's loading spinner; a failure (problem details, 429,
 * no connection) shows as the usual Chinese message. One download at a time per button.
 */
export function useDownload() {
  const busy = ref(false);
  async function download(path: string, fallbackName: string, query?: QueryValues): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    try {
      await downloadFile(path, fallbackName, query);
      return true;
    } catch (error) {
      showError(error);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, download };
}
