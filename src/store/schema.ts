import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: written as Date or ISO string, read as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A column the database fills in when omitted. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column holding `T`. */
type Json<T> = ColumnType<T, T | string, T | string>;

import type { Role } from '../core/access/roles.ts';
export type { Role };

export interface OrgsTable {
  org_id: string;
  name: string;
  created_at: Defaulted<Date>;
}

export interface ApiTokensTable {
  org_id: string;
  token_id: string;
  token_hash: string;
  role: Role;
  label: Defaulted<string>;
  created_at: Defaulted<Date>;
  created_by: string;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  org_id: string;
  audit_id: Generated<number>;
  at: Defaulted<Date>;
  actor: string;
  role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Json<Record<string, unknown>>;
  request_id: string | null;
}

interface MasterDataColumns {
  org_id: string;
  attributes: Json<Record<string, unknown>>;
  archived: Defaulted<boolean>;
  version: Defaulted<number>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

export interface PartiesTable extends MasterDataColumns {
  party_id: string;
  kind: string;
  name_zh: string;
  name_en: string;
  gln: string | null;
  contact: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
}

export interface LocationsTable extends MasterDataColumns {
  location_id: string;
  type: string;
  name_zh: string;
  name_en: string;
  gln: string | null;
  gln_extension: string | null;
  parent_id: string | null;
  party_id: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ProductsTable extends MasterDataColumns {
  product_id: string;
  gtin: string | null;
  name_zh: string;
  name_en: string;
  shelf_life_hours: number;
  granularity: 'batch' | 'unit';
  product_line: string | null;
  brand: string | null;
}

export interface EquipmentTable extends MasterDataColumns {
  equipment_id: string;
  kind: string;
  name_zh: string;
  name_en: string;
  location_id: string | null;
  model: string | null;
  serial_no: string | null;
}

export interface OperatorsTable extends MasterDataColumns {
  operator_id: string;
  name: string;
  title: string | null;
  location_id: string | null;
}

export interface CaptureJobsTable {
  org_id: string;
  capture_id: string;
  status: 'running' | 'success' | 'failed';
  submitted_by: string;
  created_at: Defaulted<Date>;
  finished_at: Timestamp | null;
  event_count: Defaulted<number>;
  stored_count: Defaulted<number>;
  duplicate_count: Defaulted<number>;
  errors: Json<unknown[]>;
  context: Json<unknown> | null;
}

export interface EpcisEventsTable {
  org_id: string;
  seq: number;
  event_id: string | null;
  hash_id: string;
  declares_error: Defaulted<boolean>;
  event_type: string;
  event_time: Timestamp;
  record_time: Timestamp;
  capture_id: string;
  keys: string[];
  doc: Json<Record<string, unknown>>;
  entry_hash: string;
}

export interface LedgerHeadsTable {
  org_id: string;
  seq: number;
  entry_hash: string;
  checkpointed_seq: number;
  last_checkpoint_hash: string;
}

export interface LedgerCheckpointsTable {
  org_id: string;
  to_seq: number;
  from_seq: number;
  body: Json<Record<string, unknown>>;
  checkpoint_hash: string;
  signature: string;
  key_id: string;
  public_key_pem: string;
}

export interface BatchCodeSchemesTable {
  org_id: string;
  product_line: string;
  config: Json<unknown>;
  version: Defaulted<number>;
  updated_at: Defaulted<Date>;
}

export interface BatchCodeSequencesTable {
  org_id: string;
  scope: string;
  last_seq: number;
}

export interface RecallCasesTable {
  org_id: string;
  case_id: string;
  case_number: string;
  drill: boolean;
  status: string;
  state: Json<unknown>;
  version: number;
  opened_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecallEntriesTable {
  org_id: string;
  case_id: string;
  seq: number;
  at: Timestamp;
  actor: string;
  role: string | null;
  command: string;
  body: Json<unknown>;
  reason: string | null;
  request_id: string | null;
}

export interface RecallScopeVersionsTable {
  org_id: string;
  case_id: string;
  version: number;
  created_at: Timestamp;
  created_by: string;
  reason: string;
  basis: Json<unknown>;
  items: Json<unknown>;
  diff: Json<unknown>;
  totals: Json<unknown>;
  approved_at: Timestamp | null;
  approved_by: string | null;
}

export interface RecallHoldsTable {
  org_id: string;
  case_id: string;
  node: string;
  gtin: string | null;
  lot: string | null;
  scope_version: number;
  placed_at: Timestamp;
  released_at: Timestamp | null;
}

export interface RecallHoldHeadsTable {
  org_id: string;
  revision: number;
  changed_at: Timestamp;
}

export interface RecallTasksTable {
  org_id: string;
  case_id: string;
  location_id: string;
  kind: 'shelf_removal' | 'quarantine';
  status: 'open' | 'acknowledged' | 'cancelled';
  units_expected: number | null;
  units_removed: number | null;
  ack_token_hash: string;
  created_at: Timestamp;
  due_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  note: string | null;
  escalation_level: Defaulted<number>;
  escalated_at: Timestamp | null;
}

export interface RecallReturnsTable {
  org_id: string;
  return_id: string;
  case_id: string;
  reference: string;
  channel: 'consumer' | 'store';
  code: string;
  node: string;
  lot: string | null;
  quantity: number;
  compensation: string | null;
  contact: Json<unknown> | null;
  location_id: string | null;
  status: string;
  event_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecallAttachmentsTable {
  org_id: string;
  attachment_id: string;
  case_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  created_at: Timestamp;
  created_by: string;
}

export interface HolidayCalendarTable {
  org_id: string;
  /** A calendar date, `YYYY-MM-DD`. */
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: Defaulted<string>;
}

export interface MembersTable {
  org_id: string;
  member_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  lang: Defaulted<string>;
  created_at: Defaulted<Date>;
}

export interface MemberPurchasesTable {
  org_id: string;
  member_id: string;
  purchase_id: string;
  gtin: string;
  lot: string | null;
  serial: string | null;
  lot_node: string | null;
  store_id: string | null;
  quantity: Defaulted<number>;
  purchased_at: Timestamp;
}

export interface WebhookEndpointsTable {
  org_id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  location_id: string | null;
  topics: string[];
  active: Defaulted<boolean>;
  created_at: Timestamp;
}

export interface OutboxTable {
  org_id: string;
  message_id: string;
  idempotency_key: string;
  case_id: string | null;
  audience: string;
  channel: 'email' | 'webhook' | 'sms';
  recipient: string;
  lang: string;
  subject: string;
  body: string;
  payload: Json<unknown>;
  dry_run: Defaulted<boolean>;
  status: 'pending' | 'sent' | 'failed' | 'dry_run';
  attempts: Defaulted<number>;
  next_attempt_at: Timestamp;
  last_attempt_at: Timestamp | null;
  last_error: string | null;
  sent_at: Timestamp | null;
  created_at: Timestamp;
  /** When the retry horizon started: the first real attempt, or the last manual retry (migration 0009). */
  window_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface NoticeTemplatesTable {
  org_id: string;
  kind: string;
  lang: 'zh-CN' | 'en';
  subject: string;
  body: string;
  version: number;
  updated_at: Timestamp;
  updated_by: string;
}

export interface RecallSettingsTable {
  org_id: string;
  settings: Json<unknown>;
  version: number;
  updated_at: Timestamp;
}

export interface OutboxAttemptsTable {
  org_id: string;
  message_id: string;
  attempt: number;
  at: Timestamp;
  ok: boolean;
  detail: string;
}

/** The whole database, as Kysely sees it. */
export interface Schema {
  orgs: OrgsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  parties: PartiesTable;
  locations: LocationsTable;
  products: ProductsTable;
  equipment: EquipmentTable;
  operators: OperatorsTable;
  capture_jobs: CaptureJobsTable;
  epcis_events: EpcisEventsTable;
  ledger_heads: LedgerHeadsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  batch_code_schemes: BatchCodeSchemesTable;
  batch_code_sequences: BatchCodeSequencesTable;
  recall_cases: RecallCasesTable;
  recall_entries: RecallEntriesTable;
  recall_scope_versions: RecallScopeVersionsTable;
  recall_holds: RecallHoldsTable;
  recall_hold_heads: RecallHoldHeadsTable;
  recall_tasks: RecallTasksTable;
  recall_returns: RecallReturnsTable;
  recall_attachments: RecallAttachmentsTable;
  holiday_calendar: HolidayCalendarTable;
  members: MembersTable;
  member_purchases: MemberPurchasesTable;
  webhook_endpoints: WebhookEndpointsTable;
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptsTable;
  recall_settings: RecallSettingsTable;
  notice_templates: NoticeTemplatesTable;
}
