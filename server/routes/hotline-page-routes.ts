import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../core/errors.ts';
import { exportPeriod } from '../../core/hotline/hotline-period-fns.ts';
import { districtDay } from '../../core/stats/period-fns.ts';
import { readHotlineFile } from '../hotline/hotline-file-read.ts';
import { hotlineExport } from '../hotline/hotline-export.ts';
import { hotlinePage } from '../pages/hotline-page.ts';
import { pageContext, sendPage } from '../pages/page-context.ts';
import { installPageErrors, requireStaffPage } from '../pages/page-guard.ts';
import { checkCsrf, CSRF_FIELD } from '../plugins/csrf.ts';
import type { ServerDeps } from '../server-deps.ts';
import { downloadFormatParams, sendDownload } from './download-reply.ts';

/** Who may file hotline orders and download their results: the district bureau. */
export const HOTLINE_ROLES = ['district_admin'] as const;
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The uploaded file and the form token, read from a multipart form. */
async function readUpload(req: FastifyRequest): Promise<{ csrf: string | undefined; name: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw new ValidationError('请选择要导入的文件');
  let csrf: string | undefined;
  let file: { name: string; bytes: Buffer } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === CSRF_FIELD && typeof part.value === 'string') csrf = part.value;
      } else {
        const bytes = await part.toBuffer();
        if (bytes.length && !file) file = { name: part.filename, bytes };
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('FST_') && /SIZE|LIMIT/.test(code))
      throw new ValidationError('文件过大（最大 20 MB），请分批导入');
    throw err;
  }
  if (!file) throw new ValidationError('请选择要导入的文件');
  return { csrf, ...file };
}

/** Last month in district days: the period the hotline usually asks results for. */
function lastMonth(now: Date): { from: string; to: string } {
  const [y, m] = districtDay(now).split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** Dashboard page for 12345 work orders: upload an export, download results in the hotline's layout. */
export async function hotlinePageRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
  const hidden = { schema: { hide: true } };
  const page = (
    req: FastifyRequest,
    reply: Parameters<typeof pageContext>[1],
    report?: Parameters<typeof hotlinePage>[1]['report'],
  ) => {
    const period = lastMonth(domain.clock());
    return hotlinePage(pageContext(req, reply, secure), {
      mappingName: domain.hotline.mapping.name,
      defaultFrom: period.from,
      defaultTo: period.to,
      ...(report ? { report } : {}),
    });
  };

  app.get('/hotline', hidden, async (req, reply) => {
    requireStaffPage(req, HOTLINE_ROLES);
    return sendPage(reply, 200, page(req, reply));
  });

  // The report is the answer to the upload (not a redirect): it can list hundreds of rows.
  app.post('/hotline/import', hidden, async (req, reply) => {
    const actor = requireStaffPage(req, HOTLINE_ROLES);
    const upload = await readUpload(req);
    checkCsrf(req, upload.csrf);
    const rows = await readHotlineFile(upload.name, upload.bytes, domain.hotline.mapping);
    const report = await domain.hotline.imports.importRows(rows);
    req.log.info(
      {
        by: actor.personId,
        created: report.created.length,
        skipped: report.skipped.length,
        failed: report.failed.length,
      },
      'hotline orders imported',
    );
    return sendPage(reply, 200, page(req, reply, { fileName: upload.name.slice(0, 120), report }));
  });

  app.get<{ Params: { format: 'csv' | 'xlsx' }; Querystring: { from?: string; to?: string } }>(
    '/exports/hotline.:format',
    {
      schema: {
        hide: true,
        params: downloadFormatParams,
      },
    },
    async (req, reply) => {
      requireStaffPage(req, HOTLINE_ROLES);
      const period = exportPeriod(req.query.from, req.query.to);
      const { format } = req.params;
      const { body, rows } = await hotlineExport(db, domain.hotline.mapping, period, format);
      req.log.info({ rows, format }, 'hotline results exported');
      // Named by the validated period, never by the raw query text.
      const name = `12345-results-${districtDay(period.from)}_${districtDay(new Date(period.to.getTime() - 1))}`;
      return sendDownload(reply, format, name, body);
    },
  );
}
