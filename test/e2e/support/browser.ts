/**
 * End-to-end tests in a real browser: Debian's Chromium driven by playwright-core (no downloaded
 * browser), against a real Lotline server listening on a free port, on demo data (`lotline demo`'s
 * 月华坊 story), on PGlite. Screenshots go to test-artifacts/screenshots/ (kept by CI as artefacts).
 *
 * `startE2E()` gives the server's base URL, tokens per role of organisation `demo`, and a browser;
 * `page(viewport?)` opens a fresh context (own storage, own language). The console must be built
 * (`npm run build:web`; `npm ci` runs it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { createPreparer } from '../../../src/app/capture/prepare-pool.ts';
import { type AppContext, randomIds, systemClock } from '../../../src/app/context.ts';
import { createAuthenticator, createToken } from '../../../src/app/tokens.ts';
import type { Role } from '../../../src/core/access/roles.ts';
import { createEd25519Signer, generateEd25519KeyPair } from '../../../src/core/ledger/ed25519.ts';
import { loadDemo } from '../../../src/demo/demo.ts';
import { buildApp } from '../../../src/http/app.ts';
import { WEB_DIST } from '../../../src/http/web.ts';
import { freshDatabase } from '../../support/engines.ts';

export const CHROMIUM = process.env.LOTLINE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');

/** Whether browser tests can run here: Chromium installed and the console built. On CI they must. */
export function e2eAvailable(): boolean {
  const ok = existsSync(CHROMIUM) && existsSync(join(WEB_DIST, 'index.html'));
  if (!ok && process.env.CI) throw new Error(`browser tests need ${CHROMIUM} and a built console (npm run build:web)`);
  return ok;
}

export interface E2E {
  readonly baseUrl: string;
  readonly ctx: AppContext;
  readonly orgId: string;
  readonly tokens: Readonly<Record<Role, string>>;
  /** The demo story's codes (a unit QR, the suspect batch). */
  readonly codes: { readonly unitQr: string; readonly batchLgtin: string; readonly batchLink: string };
  /** A fresh browser context and page; `locale` sets Accept-Language and navigator.language. */
  page(options?: { readonly viewport?: { width: number; height: number }; readonly locale?: string; readonly isMobile?: boolean }): Promise<Page>;
  /** Save a full-page screenshot as test-artifacts/screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Sign in to the console with the token of `role`. */
  signIn(page: Page, role: Role): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const database = await freshDatabase('pglite');
  const ctx: AppContext = { database, clock: systemClock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
  const signer = createEd25519Signer(generateEd25519KeyPair().privateKeyPem);
  const preparer = createPreparer(0);
  const app = await buildApp({ ctx, authenticator: createAuthenticator(ctx), signer, preparer, bodyLimit: 64 * 1024 * 1024, captureLimit: 50_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const orgId = 'demo';
  const demo = await loadDemo({ ctx, signer, preparer }, orgId, 'mooncake', { publicBaseUrl: baseUrl });
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer'] as const) {
    tokens[role] = (await createToken(ctx, { orgId, role, label: `e2e ${role}` }, { orgId, tokenId: 'cli', role: null })).token;
  }
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const contexts: BrowserContext[] = [];
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    ctx,
    orgId,
    tokens,
    codes: demo.codes,
    page: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: options.viewport ?? { width: 1366, height: 900 },
        locale: options.locale ?? 'zh-CN',
        isMobile: options.isMobile ?? false,
        hasTouch: options.isMobile ?? false,
        extraHTTPHeaders: options.locale ? { 'accept-language': options.locale } : {},
      });
      contexts.push(context);
      return context.newPage();
    },
    screenshot: async (page, name) => {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    signIn: async (page, role) => {
      await page.goto('/console/');
      // The login page opens on "login name and password"; tokens are on the second tab.
      await page.getByTestId('login-tab-token').click();
      await page.getByTestId('token-input').fill(tokens[role]);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('whoami').waitFor();
    },
    close: async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await app.close();
      await preparer.close();
      await database.close();
    },
  };
}

/** Accessibility basics the issue asks for, checked in the page: every form control has a name, images have alt text, the page has a language. */
export async function a11yProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
      const e = el as HTMLInputElement;
      if (e.type === 'hidden' || e.closest('[aria-hidden="true"]')) continue;
      const labelled = e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.getAttribute('title') || (e.tagName === 'BUTTON' && e.textContent?.trim());
      if (!labelled) problems.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.name ? `[name=${e.name}]` : ''} has no accessible name`);
    }
    for (const img of Array.from(document.querySelectorAll('img'))) if (!img.hasAttribute('alt')) problems.push(`img ${img.src.slice(0, 80)} has no alt`);
    return problems;
  });
}

/** Whether anything overflows the viewport horizontally (a layout break at narrow widths). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
