/**
 * `lotline demo`: the demo brands of the seed stories, loaded into an organisation so the README's
 * walk-throughs (trace a code, run a recall, run a drill) work on a fresh machine. 月华坊 (the
 * 星辰月饼 seal-drift story: 2,000 boxes, 35 stores in 上海, 杭州 and 南京) is the default; 时光印记 (the
 * 春日樱花饼 humidity story) can be loaded too. Stores get example contacts so notices have somewhere
 * to go (the addresses are on the reserved `.example` domain).
 */
import type { LedgerSigner } from '../core/ledger/ledger-signer.ts';
import type { Actor } from '../app/audit.ts';
import { storeCapture } from '../app/capture/capture.ts';
import type { Preparer } from '../app/capture/prepare-pool.ts';
import type { AppContext } from '../app/context.ts';
import { createRecord } from '../app/master-data/master-data.ts';
import { ensureOrg } from '../app/orgs.ts';
import { upsertMembers } from '../app/recall/members.ts';
import { recallSettings, saveRecallSettings } from '../app/recall/settings.ts';
import { cherryBlossom } from './cherry-blossom.ts';
import type { JsonObject } from './documents.ts';
import { mooncake } from './mooncake.ts';
import { MASTER_DATA_ORDER, type MasterData, type Scenario } from './scenario.ts';

export const DEMO_STORIES = { mooncake, 'cherry-blossom': cherryBlossom } as const;
export type DemoStory = keyof typeof DEMO_STORIES;

/** The story's master data with a contact per store (its own party) and the regulator to notify. */
export function demoMasterData(story: Scenario): Record<keyof MasterData, JsonObject[]> {
  const md = { ...story.masterData } as Record<keyof MasterData, JsonObject[]>;
  const stores = md.locations.filter((l) => l['type'] === 'store');
  const city = String(md.parties.find((p) => p['kind'] === 'manufacturer')?.['city'] ?? '苏州');
  md.parties = [
    ...md.parties,
    { partyId: 'regulator-local', kind: 'regulator', nameZh: `${city}市市场监督管理局`, nameEn: `${city} Administration for Market Regulation`, email: 'recall-desk@amr.example' },
    ...stores.map((s) => ({ partyId: `p-${String(s['locationId'])}`, kind: 'store', nameZh: String(s['nameZh']), nameEn: String(s['nameEn']), email: `${String(s['locationId'])}@stores.example` })),
  ];
  md.locations = md.locations.map((l) => (l['type'] === 'store' ? { ...l, partyId: `p-${String(l['locationId'])}` } : l));
  return md;
}

export interface DemoResult {
  readonly orgId: string;
  readonly story: DemoStory;
  readonly created: boolean;
  readonly masterData: number;
  readonly events: number;
  readonly stored: number;
  /** Codes to try: a unit's QR, the suspect batch. */
  readonly codes: Scenario['codes'];
}

/**
 * Load `story` into `orgId` (created when missing). Running it again adds nothing: master data that
 * exists is kept, and events already stored are recognised by their hash IDs.
 */
export async function loadDemo(
  deps: { readonly ctx: AppContext; readonly signer: LedgerSigner; readonly preparer: Preparer },
  orgId: string,
  storyName: DemoStory = 'mooncake',
  options: { readonly publicBaseUrl?: string; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoResult> {
  const story = DEMO_STORIES[storyName];
  const actor: Actor = { orgId, tokenId: 'cli', role: null };
  const created = await ensureOrg(deps.ctx, orgId, story === mooncake ? '月华坊 Yuehuafang (demo)' : '时光印记 Shiguang (demo)', actor);
  const md = demoMasterData(story);
  let masterData = 0;
  for (const kind of MASTER_DATA_ORDER) {
    for (const record of md[kind]) {
      try {
        await createRecord(deps.ctx, actor, kind, record);
        masterData++;
      } catch (error) {
        // Already there from an earlier run: keep it.
        if ((error as { code?: string }).code !== 'ConflictException') throw error;
      }
    }
  }
  let stored = 0;
  let events = 0;
  for (const [i, doc] of story.documents.entries()) {
    const prepared = await deps.preparer.prepare(JSON.stringify(doc), 'document', 100_000);
    if (!prepared.ok) throw new Error(`demo document ${i} was refused: ${prepared.message}`);
    const job = await storeCapture(deps.ctx, deps.signer, actor, prepared);
    stored += job.storedCount;
    events += job.eventCount;
    options.onProgress?.(i + 1, story.documents.length);
  }
  const settings = await recallSettings(deps.ctx.database.db, orgId);
  if (settings.version === 0) {
    await saveRecallSettings(deps.ctx, actor, {
      publicBaseUrl: options.publicBaseUrl ?? 'http://localhost:3000',
      brand: story === mooncake ? '月华坊' : '时光印记',
      escalationHours: [4, 12, 24],
      escalationContacts: ['qa-lead@brand.example'],
      defaultLang: 'zh-CN',
    });
  }
  // A loyalty member who bought the box whose QR code the walk-through scans.
  const qr = /\/01\/(\d{14})\/10\/[^/]+\/21\/([^/?#]+)$/.exec(story.codes.unitQr);
  if (qr) {
    await upsertMembers(deps.ctx, actor, [
      { memberId: 'M-0001', name: '张女士', email: 'member-0001@members.example', lang: 'zh-CN', purchases: [{ purchaseId: 'P-0001', gtin: qr[1] as string, serial: qr[2] as string, purchasedAt: '2025-09-06T10:00:00+08:00' }] },
    ]);
  }
  return { orgId, story: storyName, created, masterData, events, stored, codes: story.codes };
}
