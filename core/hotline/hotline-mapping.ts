import { z } from 'zod';
import { ValidationError } from '../errors.ts';

/**
 * How one hotline system lays out its work-order exports (column header → field, date
 * formats, deadline, result values). A JSON file per city (config/hotline/*.json), so
 * another city's layout needs no code.
 */

/** Fields a work order has; `ref`, `receivedAt` and `text` are required in every row. */
export const ORDER_FIELDS = [
  'ref',
  'receivedAt',
  'text',
  'title',
  'address',
  'street',
  'category',
  'dueAt',
  'callerName',
  'callerPhone',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** What the export back to the hotline can carry per column. */
export const EXPORT_FIELDS = [
  'ref',
  'result',
  'reply',
  'finishedAt',
  'handler',
  'caseNumber',
  'status',
  'dueAt',
] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];

/** Case states as the hotline is told about them (办理结果). */
export const RESULT_KEYS = ['done', 'rejected', 'referred', 'in_progress', 'pending'] as const;
export type ResultKey = (typeof RESULT_KEYS)[number];

const DATE_FORMAT = /^(YYYY)([-/.年])(MM?)([-/.月])(DD?)(日)?( HH:mm(:ss)?)?$/;

const header = z.string().trim().min(1, '列名不能为空');

const mappingSchema = z.strictObject({
  name: z.string().min(1, '请写明这是哪个热线的格式'),
  /** Stored with each case (externalSource): 工单编号 are unique per source. */
  source: z.string().regex(/^[a-z0-9-]{2,40}$/, 'source 只能用小写字母、数字和连字符（2–40 个）'),
  columns: z
    .partialRecord(
      z.enum(ORDER_FIELDS, { message: `字段须为 ${ORDER_FIELDS.join(' / ')} 之一` }),
      z.array(header).min(1),
    )
    .refine((c) => c.ref && c.receivedAt && c.text, {
      message: '必须映射 ref（工单编号）、receivedAt（受理时间）和 text（诉求内容）',
    }),
  dateFormats: z.array(z.string().regex(DATE_FORMAT, '日期格式如 YYYY-MM-DD HH:mm:ss 或 YYYY/MM/DD HH:mm')).min(1),
  /** When the 办理时限 column is empty or absent: working days after 受理时间. */
  defaultDeadlineWorkingDays: z.number().int().min(1).max(60),
  export: z.strictObject({
    columns: z
      .array(
        z.strictObject({
          header,
          field: z.enum(EXPORT_FIELDS, { message: `导出字段须为 ${EXPORT_FIELDS.join(' / ')} 之一` }),
        }),
      )
      .min(1)
      .refine((cols) => cols.some((c) => c.field === 'ref'), { message: '导出必须包含工单编号 (ref) 列' }),
    dateFormat: z.string().regex(DATE_FORMAT, '日期格式如 YYYY-MM-DD HH:mm:ss'),
    results: z.strictObject(
      Object.fromEntries(RESULT_KEYS.map((k) => [k, z.string().min(1)])) as Record<ResultKey, z.ZodString>,
    ),
    sheet: z.string().min(1).max(31).default('工单办理结果'),
  }),
});

export type HotlineMapping = z.infer<typeof mappingSchema>;

/** Validates a mapping file's contents; every problem is listed with where it is. */
export function parseHotlineMapping(json: unknown, origin = '映射文件'): HotlineMapping {
  const parsed = mappingSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}：${i.message}`);
  throw new ValidationError(`${origin}有误：${problems.join('；')}`);
}
