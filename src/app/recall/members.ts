/**
 * Loyalty members and what they bought, so a recall can tell the consumers whose purchases are in
 * scope. Personal data: only `members:manage` reads or writes it, and notices carry no more than the
 * member id back into the outbox payload.
 */
import { DomainError, type ErrorDetail } from '../../core/errors.ts';
import { type Actor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { lotNode } from '../trace/identifiers.ts';
import { lotOfUnit, traceView } from '../trace/view.ts';

export interface MemberInput {
  readonly memberId: string;
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly lang?: 'zh-CN' | 'en';
  readonly purchases?: readonly { readonly purchaseId: string; readonly gtin: string; readonly lot?: string; readonly serial?: string; readonly storeId?: string; readonly quantity?: number; readonly purchasedAt: string }[];
}

/** Add or update members and their purchases; one transaction, every error pointed at its field. */
export async function upsertMembers(ctx: AppContext, actor: Actor, members: readonly MemberInput[], requestId?: string): Promise<{ members: number; purchases: number; unresolved: number }> {
  const errors: ErrorDetail[] = [];
  members.forEach((m, i) => {
    if (!m.email && !m.phone) errors.push({ pointer: `/members/${i}`, message: 'a member needs an email or a phone to be told about a recall', rule: 'contact' });
    m.purchases?.forEach((p, j) => {
      if (!/^\d{14}$/.test(p.gtin)) errors.push({ pointer: `/members/${i}/purchases/${j}/gtin`, message: 'a GTIN-14 (14 digits)', rule: 'gtin' });
      if (!p.lot && !p.serial) errors.push({ pointer: `/members/${i}/purchases/${j}`, message: 'name the lot or the serial bought', rule: 'lotOrSerial' });
      if (Number.isNaN(Date.parse(p.purchasedAt))) errors.push({ pointer: `/members/${i}/purchases/${j}/purchasedAt`, message: 'an RFC 3339 time', rule: 'format' });
    });
  });
  if (errors.length) throw new DomainError('ValidationException', `${errors.length} problem(s) in the members`, errors);
  const db = ctx.database.db;
  const view = await traceView(db, actor.orgId, null);
  // Purchases of a serial without its lot: find the lot from the commissioned serial ranges.
  const resolved: (string | null)[][] = [];
  let unresolved = 0;
  for (const m of members) {
    const row: (string | null)[] = [];
    for (const p of m.purchases ?? []) {
      const lot = p.lot ? lotNode(p.gtin, p.lot) : await lotOfUnit(db, view, p.gtin, p.serial as string);
      if (!lot) unresolved++;
      row.push(lot);
    }
    resolved.push(row);
  }
  let purchases = 0;
  await db.transaction().execute(async (tx) => {
    for (const [i, m] of members.entries()) {
      const values = { org_id: actor.orgId, member_id: m.memberId, name: m.name ?? null, email: m.email ?? null, phone: m.phone ?? null, lang: m.lang ?? 'zh-CN' };
      await tx.insertInto('members').values(values).onConflict((oc) => oc.columns(['org_id', 'member_id']).doUpdateSet({ name: values.name, email: values.email, phone: values.phone, lang: values.lang })).execute();
      for (const [j, p] of (m.purchases ?? []).entries()) {
        const v = {
          org_id: actor.orgId, member_id: m.memberId, purchase_id: p.purchaseId, gtin: p.gtin, lot: p.lot ?? null, serial: p.serial ?? null,
          lot_node: resolved[i]?.[j] ?? null, store_id: p.storeId ?? null, quantity: p.quantity ?? 1, purchased_at: p.purchasedAt,
        };
        await tx.insertInto('member_purchases').values(v).onConflict((oc) => oc.columns(['org_id', 'member_id', 'purchase_id']).doUpdateSet({ lot_node: v.lot_node, quantity: v.quantity, store_id: v.store_id })).execute();
        purchases++;
      }
    }
    await recordAudit(tx, actor, { action: 'members.upsert', targetType: 'members', targetId: actor.orgId, detail: { members: members.length, purchases, unresolved }, requestId });
  });
  return { members: members.length, purchases, unresolved };
}
