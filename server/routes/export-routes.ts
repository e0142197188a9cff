import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { districtDay } from '../../core/stats/period-fns.ts';
import { parseBoardFilters, type RawQuery } from '../pages/board-query.ts';
import { toCsv, toXlsx } from '../pages/export-format.ts';
import { casesCsv, casesXlsx, statsTables } from '../pages/export-tables.ts';
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
      const name = `cases-${districtDay(now)}`;
      // Both formats are streamed a chunk of cases at a time, holding the gate slot until the
      // stream ends or closes. The CSV reads at most a chunk or two ahead of what the client has
      // taken (backpressure); the XLSX's chunks go to its worker as it takes them, whatever the
      // client took, since ExcelJS may hold the sheet's bytes until it ends (xlsx-stream.ts). The
      // first chunk is read before the answer starts, so a failure there is still a proper error
      // answer; a later one ends the download early and is logged by fastify.
      const format = req.params.format;
      const release = await gate.acquire();
      let body: Readable;
      try {
        const onEnd = (rows: number) => req.log.info({ rows, format }, 'cases exported');
        const chunks =
          format === 'xlsx'
            ? casesXlsx(db, actor, filters, now, { onEnd })
            : casesCsv(db, actor, filters, now, { onEnd });
        const first = await chunks.next();
        body = Readable.from(startingWith(first, chunks), { objectMode: false });
      } catch (err) {
        release();
        throw err;
      }
      // 'end' frees the slot as the last byte goes out; 'close' when the client went away first.
      body.once('end', release).once('close', release);
      return sendDownload(reply, format, name, body);
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
        const view = await loadStatsView(db, req.query, streetId, domain.clock(), actor.role, deps.statsCaches);
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

/** The rest of a generator whose first step was already taken (a return or destroy reaches it too). */
async function* startingWith<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
