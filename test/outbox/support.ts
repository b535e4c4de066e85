import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { type AppContext, type Clock, randomIds } from '../../src/app/context.ts';
import { type OutboxMessage, enqueue } from '../../src/app/outbox/enqueue.ts';
import { createOrg } from '../../src/app/orgs.ts';
import type { Engine } from '../../src/store/database.ts';
import { freshDatabase } from '../support/engines.ts';

/** A clock that stands still until the test moves it. */
export interface SteppingClock extends Clock {
  step(ms: number): void;
}

export function steppingClock(start = new Date('2025-09-10T01:00:00Z')): SteppingClock {
  let t = start.getTime();
  return { now: () => new Date(t), step: (ms) => void (t += ms) };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A fresh database with organisations `acme` and `rival`, and a context on a stepping clock. */
export async function outboxContext(engine: Engine): Promise<{ ctx: AppContext; clock: SteppingClock; close(): Promise<void> }> {
  const database = await freshDatabase(engine);
  const clock = steppingClock();
  const ctx: AppContext = { database, clock, ids: randomIds, logger: pino({ level: process.env.LOTLINE_TEST_LOG ?? 'silent' }) };
  const cli = { tokenId: 'cli' as const, role: null };
  await createOrg(ctx, 'acme', 'Acme Bakery 月华坊', { orgId: 'acme', ...cli });
  await createOrg(ctx, 'rival', 'Rival Foods', { orgId: 'rival', ...cli });
  return { ctx, clock, close: () => database.close() };
}

/** A message with sensible defaults. */
export function message(overrides: Partial<OutboxMessage> & Pick<OutboxMessage, 'idempotencyKey' | 'channel' | 'recipient'>): OutboxMessage {
  return {
    caseId: 'case_1',
    audience: 'store',
    lang: 'en',
    subject: 'Remove from shelf',
    body: 'Take lot B1 off the shelf.',
    payload: {},
    dryRun: false,
    ...overrides,
  };
}

/** Enqueue in one transaction, as a decision would. */
export async function put(ctx: AppContext, orgId: string, messages: readonly OutboxMessage[]): Promise<number> {
  return ctx.database.db.transaction().execute((tx) => enqueue(tx, orgId, messages, { ids: ctx.ids, now: ctx.clock.now() }));
}

/** Status rows of an organisation's outbox, by idempotency key. */
export async function statuses(ctx: AppContext, orgId: string) {
  const rows = await ctx.database.db
    .selectFrom('outbox')
    .select(['message_id', 'idempotency_key', 'status', 'attempts', 'last_error', 'next_attempt_at', 'sent_at'])
    .where('org_id', '=', orgId)
    .orderBy('idempotency_key')
    .execute();
  return rows;
}

export async function attemptsOf(ctx: AppContext, orgId: string, messageId: string) {
  return ctx.database.db.selectFrom('outbox_attempts').selectAll().where('org_id', '=', orgId).where('message_id', '=', messageId).orderBy('attempt').execute();
}

// ---------------------------------------------------------------- SMTP

/** One email as the test server received it, decoded. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly headers: ReadonlyMap<string, string>;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A real SMTP server on a local port, which can be stopped and started again on the same port, or made to refuse. */
export interface TestSmtp {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Answer RCPT TO with this SMTP code (e.g. 451 try later, 550 no such user); null accepts. */
  refuseWith: number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  let server: SMTPServer | null = null;
  let port = 0;
  const state: TestSmtp = {
    url: '',
    received: [],
    refuseWith: null,
    stop: async () => {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: async () => {
      if (server) return;
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (state.refuseWith === null) return callback();
          const error = new Error(state.refuseWith >= 500 ? `no such user ${address.address}` : 'try again later') as Error & { responseCode: number };
          error.responseCode = state.refuseWith;
          return callback(error);
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
            state.received.push({
              ...mail,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      s.on('error', () => undefined);
      server = s;
      port = (s.server.address() as AddressInfo).port;
      (state as { url: string }).url = `smtp://127.0.0.1:${port}`;
    },
  };
  await state.start();
  return state;
}

/** Just enough MIME: folded headers, RFC 2047 words, multipart/alternative, base64 and quoted-printable. */
export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
  const { headers, body } = splitPart(raw);
  const parts: { type: string; text: string }[] = [];
  const collect = (h: Map<string, string>, b: string) => {
    const type = h.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.toLowerCase().startsWith('multipart/') && boundary) {
      for (const chunk of b.split(`--${boundary}`).slice(1)) {
        if (chunk.startsWith('--')) break;
        const sub = splitPart(chunk.replace(/^\r?\n/, ''));
        collect(sub.headers, sub.body);
      }
      return;
    }
    parts.push({ type: type.split(';')[0]!.trim().toLowerCase(), text: decodeBody(b, h.get('content-transfer-encoding') ?? '7bit') });
  };
  collect(headers, body);
  return {
    headers,
    subject: decodeWords(headers.get('subject') ?? ''),
    text: parts.find((p) => p.type === 'text/plain')?.text ?? '',
    html: parts.find((p) => p.type === 'text/html')?.text ?? '',
  };
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
  }
  return body.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQbq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

// ---------------------------------------------------------------- HTTP

/** One request the webhook receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** What the receiver answered. */
  readonly status: number;
}

/** A real HTTP server that answers `status` (settable), records every request, and can be closed and reopened on its port. */
export interface TestReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  status: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  let server: Server | null = null;
  let port = 0;
  const state: TestReceiver = {
    url: '',
    requests: [],
    status: 200,
    stop: async () => {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: async () => {
      if (server) return;
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const status = state.status;
          state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), status });
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : status === 410 ? 'gone: this endpoint was removed' : 'unavailable');
        });
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      server = s;
      port = (s.address() as AddressInfo).port;
      (state as { url: string }).url = `http://127.0.0.1:${port}/hooks/lotline`;
    },
  };
  await state.start();
  return state;
}
