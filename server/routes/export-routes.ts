import type { FastifyInstance } from 'fastify';
import { districtDay } from '../../core/stats/period-fns.ts';
import { parseBoardFilters, type RawQuery } from '../pages/board-query.ts';
import { toCsv, toCsvYielding, toXlsx } from '../pages/export-format.ts';
import { casesTable, statsTables } from '../pages/export-tables.ts';
import { installPageErrors, requireStaffPage } from '../pages/page-guard.ts';
import { loadStatsView, statsStreetScope } from '../pages/stats-view.ts';
import type { ServerDeps } from '../server-deps.ts';
import { downloadFormatParams, sendDownload, type DownloadFormat } from './download-reply.ts';
import { createExportGate } from './export-gate.ts';

/**
 * Exports for the assessment (考核): cases with the board's filters and statistics for the
 * period, each scoped by what the viewer may see, as CSV (UTF-8 with BOM) or XLSX.
 */
export async function exportRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  installPageErrors(app, config.PUBLIC_URL.startsWith('https://'));
  // A few exports at a time, the others in turn (export-gate.ts): sixteen built at once held the
  // event loop in garbage collection for up to half a second.
  const gate = deps.exportGate ?? createExportGate();

  app.get<{ Params: { format: DownloadFormat } }>(
    '/exports/cases.:format',
    {
      schema: {
        hide: true,
        params: downloadFormatParams,
      },
    },
    async (req, reply) => {
      const actor = requireStaffPage(req);
      const filters = parseBoardFilters(req.query as RawQuery);
      const now = domain.clock();
      const body = await gate.run(async () => {
        const table = await casesTable(db, actor, filters, now);
        req.log.info({ rows: table.rows.length, format: req.params.format }, 'cases exported');
        return req.params.format === 'csv' ? await toCsvYielding(table) : await toXlsx([table]);
      });
      return sendDownload(reply, req.params.format, `cases-${districtDay(now)}`, body);
    },
  );

  app.get<{ Params: { format: DownloadFormat }; Querystring: Record<string, string | undefined> }>(
    '/exports/stats.:format',
    {
      schema: {
        hide: true,
        params: downloadFormatParams,
      },
    },
    async (req, reply) => {
      const actor = requireStaffPage(req, ['inspector', 'enforcer', 'team_lead', 'district_admin']);
      const streetId = await statsStreetScope(db, actor, req.query.street?.trim() || undefined);
      const { view, body } = await gate.run(async () => {
        const view = await loadStatsView(db, req.query, streetId, domain.clock(), actor.role);
        const t = statsTables(view, streetId === null);
        const body =
          req.params.format === 'csv'
            ? toCsv(t.figures)
            : await toXlsx([t.figures, t.trend, t.posts, t.departments, t.people, t.notes]);
        return { view, body };
      });
      return sendDownload(reply, req.params.format, `stats-${view.from}_${view.to}`, body);
    },
  );
}
