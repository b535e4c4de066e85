import type { Kysely, Transaction } from 'kysely';
import type { Principal } from '../core/access/roles.ts';
import type { Schema } from '../store/schema.ts';

/** Who did something: an API principal, or the command line / system acting for an organisation. */
export type Actor = Principal | { readonly orgId: string; readonly tokenId: 'cli' | 'system'; readonly role: null };

/** One audit entry: who, what, on which target, with details. */
export interface AuditEntry {
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly detail?: Record<string, unknown>;
  readonly requestId?: string;
}

/** Append an audit entry in the caller's transaction, so it commits with the write it describes. */
export async function recordAudit(tx: Kysely<Schema> | Transaction<Schema>, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      org_id: actor.orgId,
      actor: actor.tokenId,
      role: actor.role,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      request_id: entry.requestId ?? null,
    })
    .execute();
}
