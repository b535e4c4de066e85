/**
 * The console calls only Lotline's public HTTP API (issue 6). One fetch wrapper: the bearer token (or
 * the session cookie of a person who signed in with a password), the language, and problem+json errors turned into ApiError with the field pointers.
 */
import i18n from './i18n.ts';

export interface ProblemDetail {
  readonly pointer: string;
  readonly message: string;
  readonly rule?: string;
  readonly row?: number;
  readonly column?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: readonly ProblemDetail[];

  constructor(status: number, title: string, detail: string | undefined, errors: readonly ProblemDetail[]) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = errors;
  }
}

const TOKEN_KEY = 'lotline.token';
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called when the API says the token is no longer good (the shell then shows the login page). */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /** Raw body (CSV, JSON-LD) with its content type. */
  readonly raw?: { readonly contentType: string; readonly text: string };
  readonly token?: string;
  readonly signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  // `token: ''` sends none at all (sign-in by password); otherwise the kept token, if any.
  const token = options.token ?? tokenStore.get();
  const headers: Record<string, string> = { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  // Same-origin credentials: a person's session cookie goes with every call (the browser adds Origin on writes,
  // which the server checks for cookie-authenticated writes).
  const res = await fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: options.signal, credentials: 'same-origin' });
  if (!res.ok) {
    let problem: { title?: string; detail?: string; errors?: ProblemDetail[] } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      // not a problem document
    }
    if (res.status === 401 && options.token === undefined) onUnauthorized();
    throw new ApiError(res.status, problem.title ?? res.statusText, problem.detail, problem.errors ?? []);
  }
  return res;
}

/** JSON from the API. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A file from the API (CSV, PDF, XLSX), saved under the name the server gives. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send(path, {});
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = decodeURIComponent(name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
