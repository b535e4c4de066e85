import { describe, expect, it } from 'vitest';
import { can, isRole, roles } from './roles.ts';

describe('roles', () => {
  it('lets only admins manage tokens', () => {
    expect(roles.filter((r) => can(r, 'tokens:manage'))).toEqual(['admin']);
  });
  it('keeps regulators and viewers read-only', () => {
    for (const r of ['regulator', 'viewer'] as const) {
      expect(can(r, 'events:capture')).toBe(false);
      expect(can(r, 'masterdata:write')).toBe(false);
      expect(can(r, 'events:read')).toBe(true);
    }
  });
  it('does not let suppliers read the event store', () => {
    expect(can('supplier', 'events:read')).toBe(false);
    expect(can('supplier', 'events:capture')).toBe(true);
  });
  it('recognises role names only', () => {
    expect(isRole('qa')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(3)).toBe(false);
  });
});
