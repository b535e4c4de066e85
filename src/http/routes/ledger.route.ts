import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inclusionProof, listCheckpoints, verifyLedger } from '../../app/ledger/ledger.ts';
import type { RouteDeps } from '../app.ts';
import { principalOf } from '../auth.ts';

/** The tamper-evident ledger: verification, inclusion proofs, checkpoints and the signing key. */
export function registerLedgerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['ledger'];
  const config = { permission: 'ledger:read' as const };
  app.get('/api/ledger/verify', { config, schema: { tags, summary: 'Re-check every event against the hash chain and the signed checkpoints; names the first bad entry' } }, async (request, reply) => {
    const result = await verifyLedger(deps.ctx, deps.signer, principalOf(request).orgId);
    if (!result.ok) reply.code(409);
    return result;
  });
  app.get('/api/ledger/proof/:eventID', {
    config,
    schema: { tags, summary: 'Inclusion proof of one event, checkable offline with scripts/verify-proof.mjs', params: Type.Object({ eventID: Type.String({ maxLength: 2000 }) }) },
  }, async (request) => inclusionProof(deps.ctx, deps.signer, principalOf(request).orgId, (request.params as { eventID: string }).eventID));
  app.get('/api/ledger/checkpoints', {
    config,
    schema: { tags, summary: 'Signed checkpoints, newest first', querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }, { additionalProperties: false }) },
  }, async (request) => ({ items: await listCheckpoints(deps.ctx, principalOf(request).orgId, (request.query as { limit: number }).limit) }));
  app.get('/api/ledger/public-key', { config, schema: { tags, summary: 'The Ed25519 public key that signs checkpoints (PEM)' } }, async () => ({
    keyId: deps.signer.keyId,
    publicKeyPem: deps.signer.publicKeyPem,
  }));
}
