/**
 * The few API calls `api()` does not cover: binary answers (a symbol image, a label PDF from a POST)
 * and uploads whose progress the user should see (a CSV import). Same bearer token, language and
 * problem+json errors (ApiError) as `api()`, so pages handle every failure the same way.
 */
import { ApiError, type ProblemDetail, tokenStore } from '../../api.ts';
import i18n from '../../i18n.ts';

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN', ...extra };
  const token = tokenStore.get();
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

function problemOf(status: number, statusText: string, text: string): ApiError {
  let p: { title?: string; detail?: string; errors?: ProblemDetail[] } = {};
  try {
    p = JSON.parse(text) as typeof p;
  } catch {
    // not a problem document
  }
  return new ApiError(status, p.title ?? statusText, p.detail, p.errors ?? []);
}

/** A binary answer (GET, or POST with a JSON body) with its headers. */
export async function fetchBlob(path: string, options: { readonly body?: unknown; readonly signal?: AbortSignal } = {}): Promise<{ blob: Blob; headers: Headers }> {
  const res = await fetch(path, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: headers(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!res.ok) throw problemOf(res.status, res.statusText, await res.text());
  return { blob: await res.blob(), headers: res.headers };
}

/**
 * JSON with extra request headers (`If-Match` on an edit, so two people editing one record cannot
 * silently overwrite each other: the second save is refused with a conflict).
 */
export async function sendJson<T>(method: 'PUT' | 'PATCH', path: string, body: unknown, extra: Record<string, string>): Promise<T> {
  const res = await fetch(path, { method, headers: headers({ 'content-type': 'application/json', ...extra }), body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw problemOf(res.status, res.statusText, text);
  return JSON.parse(text) as T;
}

/** Hand a blob to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name a Content-Disposition header gives, or `fallback`. */
export function fileNameOf(headersIn: Headers, fallback: string): string {
  const d = headersIn.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(d)?.[1] ?? /filename="([^"]+)"/.exec(d)?.[1];
  return name ? decodeURIComponent(name) : fallback;
}

/** What an upload is doing: sending the file (with the fraction sent), or waiting for the server. */
export type UploadPhase = { readonly phase: 'sending'; readonly fraction: number } | { readonly phase: 'processing' };

/**
 * Send a text file (CSV) with `method` and report progress: XMLHttpRequest, because fetch cannot tell
 * how much of a request body has been sent. Resolves with the JSON answer; rejects with ApiError.
 */
export function uploadText<T>(method: 'POST' | 'PUT', path: string, contentType: string, text: string, onProgress: (p: UploadPhase) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    for (const [k, v] of Object.entries(headers({ 'content-type': contentType }))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress({ phase: 'sending', fraction: e.lengthComputable && e.total > 0 ? e.loaded / e.total : 0 });
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onerror = () => reject(new ApiError(0, i18n.language === 'en' ? 'Network error' : '网络错误', undefined, []));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          resolve(undefined as T);
        }
      } else reject(problemOf(xhr.status, xhr.statusText, xhr.responseText));
    };
    onProgress({ phase: 'sending', fraction: 0 });
    xhr.send(text);
  });
}
