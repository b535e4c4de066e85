import { readFileSync, writeFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { pino } from 'pino';
import type { Config } from '../config.ts';
import { storeCapture } from '../app/capture/capture.ts';
import { printBatchLabels } from '../app/labels.ts';
import { verifyLedger } from '../app/ledger/ledger.ts';
import { formatTrace } from '../app/trace/format.ts';
import { traceCode } from '../app/trace/trace.ts';
import type { TraceDirection } from '../app/trace/types.ts';
import { createOrg, listOrgs } from '../app/orgs.ts';
import { openConfiguredDatabase, openServices } from '../app/services.ts';
import { createToken, listTokens, revokeToken } from '../app/tokens.ts';
import { createUser } from '../app/users.ts';
import { startRecallRuntime } from '../app/recall/runtime.ts';
import { startDrill } from '../app/recall/drills.ts';
import { DEMO_STORIES, type DemoStory, loadDemo } from '../demo/demo.ts';
import { buildApp } from '../http/app.ts';
import { migrate } from '../store/migrate.ts';

/** What a command receives. */
export interface CommandInput {
  readonly config: Config;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly usage: () => string;
}

/** One `lotline` sub-command. */
export interface Command {
  readonly summary: string;
  /** The same in Chinese, shown when the locale (LANG, LC_ALL or LOTLINE_LANG) is zh. */
  readonly summaryZh: string;
  readonly options?: ParseArgsConfig['options'];
  run(input: CommandInput): Promise<number>;
}

const quiet = pino({ level: 'warn' });
const cliActor = (orgId: string) => ({ orgId, tokenId: 'cli' as const, role: null });
const print = (value: unknown): void => {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
};

function required(values: CommandInput['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name} is required`);
  return v;
}

/** Every command, by name. */
export const commands: Readonly<Record<string, Command>> = {
  serve: {
    summary: 'start the HTTP server (API, OpenAPI docs at /docs)',
    summaryZh: '启动 HTTP 服务（API 文档见 /docs）',
    options: { port: { type: 'string' }, host: { type: 'string' } },
    async run({ config, values }) {
      const port = typeof values.port === 'string' ? Number(values.port) : config.port;
      const host = typeof values.host === 'string' ? values.host : config.host;
      const services = await openServices(config, undefined, {
        firstRunToken: (token, orgId) => {
          process.stdout.write(`\nFirst start: created organisation "${orgId}" and an admin API token (shown once, keep it safe):\n\n  ${token}\n\n首次启动：已创建组织 "${orgId}" 及管理员令牌（仅显示一次，请妥善保存）。\n\n`);
        },
      });
      const background = startRecallRuntime(services.ctx, config);
      const app = await buildApp({ ...services, bodyLimit: config.bodyLimit, captureLimit: config.captureLimit, outbox: background.outbox, trustProxy: config.trustProxy });
      let stopping = false;
      const stop = async (signal: string): Promise<void> => {
        if (stopping) return;
        stopping = true;
        app.log.info({ signal }, 'shutting down');
        await app.close();
        await background.stop();
        await services.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      await app.listen({ port, host });
      app.log.info({ engine: services.ctx.database.engine, dataDir: config.databaseUrl ? null : config.dataDir }, `Lotline is listening on http://localhost:${port} (API docs at /docs)`);
      return new Promise<number>(() => undefined);
    },
  },
  migrate: {
    summary: 'apply pending database migrations and exit',
    summaryZh: '执行待应用的数据库迁移后退出',
    async run({ config }) {
      const database = await openConfiguredDatabase(config);
      try {
        for (const m of await migrate(database)) print(`${m.status.padEnd(16)} ${m.name}`);
      } finally {
        await database.close();
      }
      return 0;
    },
  },
  'org': {
    summary: 'org create <id> [--name NAME] | org list',
    summaryZh: '创建组织 / 列出组织',
    options: { name: { type: 'string' } },
    async run({ config, values, positionals }) {
      const services = await openServices(config, quiet);
      try {
        const [action, id] = positionals;
        if (action === 'create' && id) print(await createOrg(services.ctx, id, typeof values.name === 'string' ? values.name : id, cliActor(id)));
        else if (action === 'list') print(await listOrgs(services.ctx));
        else throw new Error('usage: lotline org create <id> [--name NAME] | lotline org list');
      } finally {
        await services.close();
      }
      return 0;
    },
  },
  token: {
    summary: 'token create --org ID --role ROLE [--label L] | token list --org ID | token revoke --org ID --id TOKEN_ID',
    summaryZh: '创建、列出或吊销组织的 API 令牌',
    options: { org: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' }, id: { type: 'string' } },
    async run({ config, values, positionals }) {
      const services = await openServices(config, quiet);
      try {
        const org = required(values, 'org');
        switch (positionals[0]) {
          case 'create': {
            const created = await createToken(services.ctx, { orgId: org, role: required(values, 'role'), label: typeof values.label === 'string' ? values.label : 'created with lotline token create' }, cliActor(org));
            process.stderr.write(`Token ${created.tokenId} (${created.role} of ${created.orgId}). It is shown once; keep it safe:\n`);
            print(created.token);
            break;
          }
          case 'list':
            print(await listTokens(services.ctx, org));
            break;
          case 'revoke':
            print(await revokeToken(services.ctx, org, required(values, 'id'), cliActor(org)));
            break;
          default:
            throw new Error('usage: lotline token create|list|revoke --org ID ...');
        }
      } finally {
        await services.close();
      }
      return 0;
    },
  },
  verify: {
    summary: 'verify the tamper-evident ledger of one organisation (--org ID) or all; exit 1 on the first bad entry',
    summaryZh: '校验防篡改账本（指定组织或全部），发现首个异常条目时以 1 退出',
    options: { org: { type: 'string' } },
    async run({ config, values }) {
      const services = await openServices(config, quiet);
      try {
        const orgs = typeof values.org === 'string' ? [values.org] : (await listOrgs(services.ctx)).map((o) => o.orgId);
        let bad = 0;
        for (const org of orgs) {
          const started = performance.now();
          const result = await verifyLedger(services.ctx, services.signer, org);
          const ms = Math.round(performance.now() - started);
          if (result.ok) {
            const r = result.report;
            print(`OK   ${org}: ${r.entriesVerified} entries, ${r.checkpointsVerified} signed checkpoints, ${r.uncheckpointedEntries} after the last checkpoint (${ms} ms)`);
          } else {
            bad++;
            print(`BAD  ${org}: first bad entry seq ${result.firstBadSeq}: ${result.message}`);
          }
        }
        return bad === 0 ? 0 : 1;
      } finally {
        await services.close();
      }
    },
  },
  trace: {
    summary: 'trace --org ID [--direction upstream|downstream|both] [--as-of TIME] [--json] CODE: upstream and downstream of any code',
    summaryZh: '追溯任意码的上游与下游（--direction、--as-of、--json 可选）',
    options: { org: { type: 'string' }, direction: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean' } },
    async run({ config, values, positionals }) {
      const code = positionals[0];
      if (code === undefined) throw new Error('give the code to trace, e.g. lotline trace --org acme "(01)06901234100037(21)1001"');
      const direction = (values.direction ?? 'both') as string;
      if (!['upstream', 'downstream', 'both'].includes(direction)) throw new Error('--direction is upstream, downstream or both');
      const asOf = typeof values['as-of'] === 'string' ? new Date(values['as-of']) : null;
      if (asOf !== null && Number.isNaN(asOf.getTime())) throw new Error('--as-of must be a date-time, e.g. 2025-09-05T12:00:00+08:00');
      const services = await openServices(config, quiet);
      try {
        const report = await traceCode(services.ctx, required(values, 'org'), { code, direction: direction as TraceDirection, asOf });
        print(values.json === true ? report : formatTrace(report));
        return 0;
      } finally {
        await services.close();
      }
    },
  },
  demo: {
    summary: 'demo [--org ID] [--story mooncake|cherry-blossom] [--base-url URL]: load a demo brand (master data, a season of EPCIS events, contacts) and print tokens to try it',
    summaryZh: '加载演示品牌（主数据、EPCIS 事件、联系人），并打印可用的令牌',
    options: { org: { type: 'string' }, story: { type: 'string' }, 'base-url': { type: 'string' } },
    async run({ config, values }) {
      const orgId = typeof values.org === 'string' ? values.org : 'demo';
      const story = (typeof values.story === 'string' ? values.story : 'mooncake') as DemoStory;
      if (!(story in DEMO_STORIES)) throw new Error(`--story is one of ${Object.keys(DEMO_STORIES).join(', ')}`);
      const services = await openServices(config, quiet);
      try {
        process.stderr.write(`Loading ${story} into organisation "${orgId}" / 正在加载演示数据…\n`);
        const result = await loadDemo(services, orgId, story, {
          publicBaseUrl: typeof values['base-url'] === 'string' ? values['base-url'] : `http://localhost:${config.port}`,
          onProgress: (done, total) => process.stderr.write(`\r  EPCIS documents ${done}/${total}`),
        });
        process.stderr.write('\n');
        const tokens: Record<string, string> = {};
        for (const role of ['admin', 'qa', 'store'] as const) tokens[role] = (await createToken(services.ctx, { orgId, role, label: `demo ${role}` }, cliActor(orgId))).token;
        print({ ...result, tokens });
        return 0;
      } finally {
        await services.close();
      }
    },
  },
  drill: {
    summary: 'drill --org ID [--code CODE] [--json]: run a mock-recall drill on a lot (random when no code) with every channel in dry run, and print its score',
    summaryZh: '对批次（不指定则随机）进行模拟召回演练，所有外部渠道为演练模式，并打印得分',
    options: { org: { type: 'string' }, code: { type: 'string' }, json: { type: 'boolean' } },
    async run({ config, values }) {
      const orgId = required(values, 'org');
      const services = await openServices(config, quiet);
      try {
        const result = await startDrill({ ctx: services.ctx, signer: services.signer }, cliActor(orgId), { ...(typeof values.code === 'string' ? { code: values.code } : {}) });
        if (values.json === true) print(result);
        else {
          const s = result.score;
          print(
            [
              `${result.caseNumber}  ${result.lot}`,
              `  score 得分: ${s?.score ?? '-'} / 100  ${s?.passed ? 'PASSED 通过' : 'NOT PASSED 未通过'}`,
              `  to scope 确定范围: ${s?.minutesToScope?.toFixed(2) ?? '-'} min, to hold 封存: ${s?.minutesToHold?.toFixed(2) ?? '-'} min, to reconciliation 物料平衡: ${s?.minutesToReconciliation?.toFixed(2) ?? '-'} min`,
              `  accounted 已核算: ${s?.accountedPercent ?? '-'} %, gaps 差异: ${s?.gaps ?? '-'}`,
              ...(s?.findings ?? []).map((f) => `  - ${f.en} / ${f['zh-CN']}`),
              `  took 用时: ${result.tookMs} ms; evidence report 证据报告: GET /api/recalls/${result.caseId}/reports/drill?format=pdf`,
            ].join('\n'),
          );
        }
        return 0;
      } finally {
        await services.close();
      }
    },
  },
  capture: {
    summary: 'capture --org ID FILE: store an EPCIS 2.0 JSON-LD document (atomic), as POST /epcis/capture does',
    summaryZh: '采集一个 EPCIS 2.0 JSON-LD 文档（整体原子写入），等同 POST /epcis/capture',
    options: { org: { type: 'string' } },
    async run({ config, values, positionals }) {
      const file = positionals[0];
      if (!file) throw new Error('usage: lotline capture --org ID FILE (- for standard input)');
      const org = required(values, 'org');
      const services = await openServices(config, quiet);
      try {
        const outcome = await services.preparer.prepare(readInput(file), 'document', config.captureLimit);
        if (!outcome.ok) {
          process.stderr.write(`${outcome.message}\n`);
          for (const e of outcome.errors) process.stderr.write(`  ${e.pointer || '(document)'}: ${e.message}\n`);
          return 1;
        }
        print(await storeCapture(services.ctx, services.signer, cliActor(org), outcome));
        return 0;
      } finally {
        await services.close();
      }
    },
  },
  labels: {
    summary: 'labels --org ID --product P --batch B (--count N | --reprint FROM-TO) [--layout a4-3x8|thermal-60x40] [--symbology qrCode|gs1DataMatrix] [--produced-at ISO] --out FILE.pdf',
    summaryZh: '为批次打印单品标签 PDF（新序列号或按范围重印），每个标签带唯一序列号的二维码或 GS1 DataMatrix',
    options: {
      org: { type: 'string' }, product: { type: 'string' }, batch: { type: 'string' }, count: { type: 'string' }, reprint: { type: 'string' },
      layout: { type: 'string' }, symbology: { type: 'string' }, 'produced-at': { type: 'string' }, out: { type: 'string' },
    },
    async run({ config, values }) {
      const org = required(values, 'org');
      const out = required(values, 'out');
      const reprint = typeof values.reprint === 'string' ? /^(\d+)-(\d+)$/.exec(values.reprint) : null;
      if (typeof values.reprint === 'string' && !reprint) throw new Error('--reprint takes a range such as 1-24');
      const services = await openServices(config, quiet);
      try {
        const printed = await printBatchLabels(services.ctx, cliActor(org), {
          productId: required(values, 'product'),
          batchCode: required(values, 'batch'),
          ...(reprint ? { reprint: { from: Number(reprint[1]), to: Number(reprint[2]) } } : { count: Number(required(values, 'count')) }),
          layout: (typeof values.layout === 'string' ? values.layout : 'a4-3x8') as 'a4-3x8',
          ...(typeof values.symbology === 'string' ? { symbology: values.symbology as 'qrCode' } : {}),
          ...(typeof values['produced-at'] === 'string' ? { producedAt: values['produced-at'] } : {}),
        });
        writeFileSync(out, printed.pdf);
        for (const w of printed.warnings) process.stderr.write(`warning: ${w}\n`);
        print(`${out}: ${printed.labels} labels on ${printed.pages} pages, serials ${printed.firstSerial}-${printed.lastSerial}, expiring ${printed.expiresAt}`);
        return 0;
      } finally {
        await services.close();
      }
    },
  },
  user: {
    summary: 'user create --org ID --login NAME --role ROLE [--display-name NAME] (password read from standard input, not echoed)',
    summaryZh: '创建可用账号密码登录控制台的用户（密码从标准输入读取，不回显）',
    options: { org: { type: 'string' }, login: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' } },
    async run({ config, values, positionals }) {
      if (positionals[0] !== 'create') throw new Error('usage: lotline user create --org ID --login NAME --role ROLE [--display-name NAME] < password');
      const org = required(values, 'org');
      const login = required(values, 'login');
      const role = required(values, 'role');
      // Never an argument: it would show in the shell history and the process list.
      const password = await readPassword(`Password for ${login} (${org}) / 密码: `);
      const services = await openServices(config, quiet);
      try {
        const created = await createUser(services.ctx, org, { login, role, password, ...(typeof values['display-name'] === 'string' ? { displayName: values['display-name'] } : {}) }, cliActor(org));
        process.stderr.write(`User ${created.login} (${created.role} of ${created.orgId}) can now sign in to the console. 用户已创建，可登录控制台。\n`);
        print(created);
      } finally {
        await services.close();
      }
      return 0;
    },
  },
  help: {
    summary: 'show this help',
    summaryZh: '显示本帮助',
    async run({ usage }) {
      process.stdout.write(usage());
      return 0;
    },
  },
};

/** Read a file named on the command line, or standard input for `-`. */
export function readInput(path: string): string {
  return readFileSync(path === '-' ? 0 : path, 'utf8');
}

/**
 * A password from standard input: typed at a terminal without echo (asked twice), or the first line of
 * piped input (`printf '%s\n' "$PW" | lotline user create …`).
 */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const text = readFileSync(0, 'utf8');
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (question: string): Promise<string> =>
    new Promise((resolve, reject) => {
      process.stderr.write(question);
      stdin.setRawMode(true);
      stdin.resume();
      stdin.setEncoding('utf8');
      let typed = '';
      const done = (error?: Error) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
        if (error) reject(error);
        else resolve(typed);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003') return done(new Error('cancelled'));
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask(prompt);
  const again = await ask('Again / 再次输入: ');
  if (first !== again) throw new Error('the two passwords differ / 两次输入的密码不一致');
  return first;
}
