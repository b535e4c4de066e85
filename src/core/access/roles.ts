/** The roles a token can hold; each token is bound to one organisation and one role. */
export const roles = ['admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** What an API call may need to be allowed. */
export const permissions = [
  'events:capture',
  'events:read',
  'masterdata:read',
  'masterdata:write',
  'audit:read',
  'ledger:read',
  'tokens:manage',
  'trace:read',
  'trace:configure',
  /** See recall cases, their scope, notices, progress and reports. */
  'recall:read',
  /** Open, assess, scope, approve, amend, close recall cases; start drills. */
  'recall:decide',
  /** Acknowledge a shelf-removal or quarantine task. */
  'recall:acknowledge',
  /** Record returns and dispositions. */
  'recall:recover',
  /** Recall settings, holiday calendar, notice templates, webhook endpoints, outbox retries. */
  'recall:configure',
  /** Ask whether a code may be sold or shipped; read block lists. */
  'pos:check',
  /** Loyalty members and their purchases (personal data). */
  'members:manage',
  /** Who am I: organisation, role and permissions of the caller's token (every role). */
  'session:read',
  /** Load a demo brand's data into the organisation (admins only). */
  'demo:load',
] as const;
export type Permission = (typeof permissions)[number];

const grants: Readonly<Record<Role, readonly Permission[]>> = {
  admin: permissions,
  qa: [
    'events:capture', 'events:read', 'masterdata:read', 'masterdata:write', 'audit:read', 'ledger:read', 'trace:read', 'trace:configure',
    'recall:read', 'recall:decide', 'recall:acknowledge', 'recall:recover', 'recall:configure', 'pos:check', 'members:manage', 'session:read',
  ],
  production: ['session:read', 'events:capture', 'events:read', 'masterdata:read', 'trace:read'],
  warehouse: ['session:read', 'events:capture', 'events:read', 'masterdata:read', 'trace:read', 'recall:acknowledge', 'recall:recover', 'pos:check'],
  store: ['session:read', 'events:capture', 'events:read', 'masterdata:read', 'recall:acknowledge', 'recall:recover', 'pos:check'],
  supplier: ['session:read', 'events:capture', 'masterdata:read'],
  regulator: ['session:read', 'events:read', 'masterdata:read', 'audit:read', 'ledger:read', 'trace:read', 'recall:read'],
  viewer: ['session:read', 'events:read', 'masterdata:read', 'ledger:read', 'trace:read', 'recall:read', 'pos:check'],
};

/** Whether `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** The caller of an API request, after its token was checked. */
export interface Principal {
  readonly orgId: string;
  readonly tokenId: string;
  readonly role: Role;
}
