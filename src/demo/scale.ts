/**
 * Scale data for trials and sizing: the bakery world the benchmarks use (suppliers, raw lots, lines,
 * batches, serialised units in cases and pallets, shipments to 320 stores, sales, returns, sensor
 * readings), generated and captured into an organisation through the real capture path, with progress.
 * Deterministic by seed; a second run with the same seed stores nothing new.
 */
import type { LedgerSigner } from '../core/ledger/ledger-signer.ts';
import type { Actor } from '../app/audit.ts';
import { storeCapture } from '../app/capture/capture.ts';
import type { Preparer } from '../app/capture/prepare-pool.ts';
import type { PrepareOutcome } from '../app/capture/prepare.ts';
import type { AppContext } from '../app/context.ts';
import type { EntityKind } from '../app/master-data/definitions.ts';
import { createRecord } from '../app/master-data/master-data.ts';
import { createBakeryGenerator } from './scale/epcis-generator.ts';

export const SCALE_MAX_EVENTS = 2_000_000;
/** Its own GS1 company prefix, so generated keys never meet the seed stories' (6901234). */
const SCALE_COMPANY_PREFIX = '6970123';
const MASTER_DATA_ORDER: readonly EntityKind[] = ['parties', 'locations', 'equipment', 'operators', 'products'];
const DOC_SIZE = 2_000;

export interface ScaleResult {
  readonly events: number;
  readonly stored: number;
  readonly masterData: number;
  readonly seconds: number;
  /** Codes to try: a few units, raw lots and batches of the generated world. */
  readonly codes: { readonly unitQr: string; readonly units: readonly string[]; readonly rawLots: readonly string[]; readonly batchLots: readonly string[] };
}

export async function generateScaleData(
  deps: { readonly ctx: AppContext; readonly signer: LedgerSigner; readonly preparer: Preparer },
  orgId: string,
  options: { readonly events: number; readonly seed: number; readonly onProgress?: (done: number, total: number, step: { readonly phase: 'masterData' | 'events'; readonly done: number; readonly total: number }) => void },
): Promise<ScaleResult> {
  const started = performance.now();
  const actor: Actor = { orgId, tokenId: 'system', role: null };
  const gen = createBakeryGenerator({ seed: options.seed, world: 'trace', companyPrefix: SCALE_COMPANY_PREFIX, sampleSize: 20 });
  const md = gen.masterData();
  const mdTotal = MASTER_DATA_ORDER.reduce((s, k) => s + md[k].length, 0);
  let masterData = 0;
  let mdDone = 0;
  for (const kind of MASTER_DATA_ORDER) {
    for (const row of md[kind]) {
      try {
        await createRecord(deps.ctx, actor, kind, row);
        masterData++;
      } catch (error) {
        // There from an earlier run: keep it.
        if ((error as { code?: string }).code !== 'ConflictException') throw error;
      }
      if (++mdDone % 50 === 0 || mdDone === mdTotal) options.onProgress?.(mdDone, mdTotal + options.events, { phase: 'masterData', done: mdDone, total: mdTotal });
    }
  }
  let generated = 0;
  let done = 0;
  let stored = 0;
  const ahead: { events: number; outcome: Promise<PrepareOutcome> }[] = [];
  const fill = () => {
    while (ahead.length < 2 && generated < options.events) {
      const n = Math.min(DOC_SIZE, options.events - generated);
      ahead.push({ events: n, outcome: deps.preparer.prepare(JSON.stringify(gen.document(n)), 'document', DOC_SIZE) });
      generated += n;
    }
  };
  fill();
  for (let next = ahead.shift(); next; next = ahead.shift()) {
    fill();
    const outcome = await next.outcome;
    if (!outcome.ok) throw new Error(`a generated document was refused: ${outcome.message}`);
    const job = await storeCapture(deps.ctx, deps.signer, actor, outcome);
    stored += job.storedCount;
    done += next.events;
    options.onProgress?.(mdTotal + done, mdTotal + options.events, { phase: 'events', done, total: options.events });
  }
  const samples = gen.samples();
  return {
    events: done,
    stored,
    masterData,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    codes: { unitQr: samples.units[0] ?? '', units: samples.units.slice(0, 5), rawLots: samples.rawLots.slice(0, 5), batchLots: samples.batchLots.slice(0, 5) },
  };
}
