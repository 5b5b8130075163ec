import { api, call, send, type Schemas } from './client';
import type { paths } from './schema';

// The ledger's import (POST /api/v1/imports/enterprises and its follow-ups). The upload is
// multipart, which the typed client does not serialise: it goes through `send`, with the same
// token and failures, and its answer is the generated ImportView.

export type ImportView = Schemas['ImportView'];
export type ImportState = ImportView['state'];
export type ImportMode = NonNullable<ImportView['mode']>;

const UPLOAD_PATH = '/api/v1/imports/enterprises' satisfies keyof paths;
export const TEMPLATE_PATH = '/api/v1/imports/templates/enterprises.xlsx' satisfies keyof paths;
/** The dry run's report: the file's rows with a 错误说明 column (`/api/v1/imports/{id}/report.xlsx`). */
export const reportPath = (id: string) => `/api/v1/imports/${encodeURIComponent(id)}/report.xlsx`;

/** Uploads a file for a dry run: small files come back validated, larger ones `validating`. */
export async function uploadEnterprises(file: File): Promise<ImportView> {
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await send(UPLOAD_PATH, { method: 'POST', body });
  return (await response.json()) as ImportView;
}

export function getImport(id: string): Promise<ImportView> {
  return call(api.GET('/api/v1/imports/{id}', { params: { path: { id } } }));
}

export function applyImport(id: string, mode: ImportMode): Promise<ImportView> {
  return call(api.POST('/api/v1/imports/{id}/apply', { params: { path: { id } }, body: { mode } }));
}
