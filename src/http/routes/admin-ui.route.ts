import type { FastifyInstance } from 'fastify';
import { labelLayouts } from '../../app/admin-ui/label-layouts.ts';
import { masterDataSchema } from '../../app/admin-ui/master-data-schema.ts';
import type { RouteDeps } from '../app.ts';

/**
 * What the console's master-data and labels pages read to build their forms: the entity field
 * definitions and the label stocks. Both describe the API itself (no organisation's data), but they
 * still need a token like every other /api route.
 */
export function registerAdminUiRoutes(app: FastifyInstance, _deps: RouteDeps): void {
  const schema = masterDataSchema();
  const layouts = labelLayouts();
  app.get('/api/master-data/schema', {
    config: { permission: 'masterdata:read' },
    schema: { tags: ['master data'], summary: 'The fields of products, locations, parties, equipment and operators: names, Chinese and English labels, types, limits, required, enum values' },
  }, async () => schema);
  app.get('/api/labels/layouts', {
    config: { permission: 'masterdata:read' },
    schema: { tags: ['labels'], summary: 'The label stocks (A4 3×8, 60×40 mm thermal) and symbologies POST /api/labels/batch prints, with their sizes and labels' },
  }, async () => layouts);
}
