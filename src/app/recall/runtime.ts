/**
 * What a running server does in the background for recalls: deliver the outbox, escalate store tasks
 * that were not acknowledged in time, and warn before legal deadlines pass. The CLI's one-off commands
 * do not start it.
 */
import type { Config } from '../../config.ts';
import type { AppContext } from '../context.ts';
import { type OutboxRuntime, createOutboxRuntime } from '../outbox/runtime.ts';
import { listOrgs } from '../orgs.ts';
import { warnClocks } from './clock-warnings.ts';
import { escalateOverdue, orgsWithDueTasks } from './tasks.ts';

export interface RecallRuntime {
  readonly outbox: OutboxRuntime;
  /** One escalation and clock-warning pass over every organisation; returns how many tasks escalated. */
  escalateNow(): Promise<number>;
  stop(): Promise<void>;
}

export function startRecallRuntime(ctx: AppContext, config: Pick<Config, 'outbox' | 'escalationPollMs'>): RecallRuntime {
  const outbox = createOutboxRuntime(ctx, config.outbox);
  let running: Promise<number> | null = null;
  const escalateNow = (): Promise<number> => {
    running ??= (async () => {
      let n = 0;
      try {
        for (const orgId of await orgsWithDueTasks(ctx)) n += await escalateOverdue(ctx, orgId);
        let warned = 0;
        for (const org of await listOrgs(ctx)) warned += await warnClocks(ctx, org.orgId);
        if (n + warned > 0) outbox.wake();
      } catch (error) {
        ctx.logger.error({ err: error }, 'escalating overdue recall tasks failed; will retry');
      } finally {
        running = null;
      }
      return n;
    })();
    return running;
  };
  const timer = setInterval(() => void escalateNow(), config.escalationPollMs);
  timer.unref();
  return {
    outbox,
    escalateNow,
    stop: async () => {
      clearInterval(timer);
      await running;
      await outbox.stop();
    },
  };
}
