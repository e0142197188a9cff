import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { XLSX_MIME } from '../pages/export-format.ts';

export type DownloadFormat = 'csv' | 'xlsx';

/** Path parameters of a `….:format` download route. */
export const downloadFormatParams = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['csv', 'xlsx'] } },
  required: ['format'],
} as const;

/** Sends an export (whole, or streamed) as a download that is never cached or sniffed as something else. */
export function sendDownload(
  reply: FastifyReply,
  format: DownloadFormat,
  name: string,
  body: Buffer | Readable,
): FastifyReply {
  return reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_MIME)
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
