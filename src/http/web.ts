/**
 * The web console, built by Vite into web/dist (`npm run build:web`, run by `npm ci` through `prepare`),
 * served at /console/ by the server itself; `/` leads there. Client-side routes under /console/ get
 * index.html. Without a build, /console/ says how to make one instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function registerWebConsole(app: FastifyInstance, dist: string = WEB_DIST): Promise<void> {
  const built = existsSync(`${dist}index.html`);
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/', 302));
  if (!built) {
    const missing = async (_request: unknown, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>Lotline</title><p>控制台尚未构建：请运行 <code>npm run build:web</code>。</p><p>The console is not built yet: run <code>npm run build:web</code>.</p>');
    app.get('/console', { config: { public: true }, schema: { hide: true } }, missing);
    app.get('/console/*', { config: { public: true }, schema: { hide: true } }, missing);
    return;
  }
  await app.register(fastifyStatic, {
    root: `${dist}assets`,
    prefix: '/console/assets/',
    index: false,
    // Hashed file names never change: cache them for good.
    setHeaders: (reply) => void reply.header('cache-control', 'public, max-age=31536000, immutable'),
  });
  // Every other path under /console/ is a client-side route of the single-page app; index.html is
  // revalidated so a new build is picked up at once.
  const page = async (_request: unknown, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', dist);
  app.get('/console', { config: { public: true }, schema: { hide: true } }, page);
  app.get('/console/*', { config: { public: true }, schema: { hide: true } }, page);
}
