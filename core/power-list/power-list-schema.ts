import { z } from 'zod';
import { DEPARTMENTS, LEVELS, MODES_721, POSTS, REFERRAL_BODIES } from './power-list-types.ts';
import { patternProblem, termProblem } from './keyword-syntax-fns.ts';

const term = z.string().superRefine((raw, ctx) => {
  const problem = termProblem(raw);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const pattern = z.string().superRefine((raw, ctx) => {
  const problem = patternProblem(raw);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const hours = z
  .number()
  .positive()
  .max(24 * 365);

export const powerItemSchema = z
  .strictObject({
    code: z.string().regex(/^[A-Z]{2}(-[A-Z]{2})?-\d{3}$/, '编码格式应为 SR-001 或 YS-GA-001'),
    name: z.string().min(2),
    level: z.enum(LEVELS),
    post: z.enum(POSTS).nullable(),
    department: z.enum([...DEPARTMENTS, ...REFERRAL_BODIES]).nullable(),
    legalBasis: z.string().min(2),
    description: z.string().optional(),
    keywords: z.array(term).min(1),
    weak: z.array(term).optional(),
    patterns: z.array(pattern).optional(),
    excludes: z.array(term).optional(),
    responseHours: hours,
    handlingHours: hours,
    timeBasis: z.enum(['working', 'clock']),
    urgent: z.boolean(),
    mode721: z.enum(MODES_721),
  })
  .superRefine((item, ctx) => {
    if (item.level === 'street' && item.post === null) {
      ctx.addIssue({ code: 'custom', path: ['post'], message: '街道事项必须有岗位 (post)' });
    }
    if (item.level === 'department' && item.department === null) {
      ctx.addIssue({ code: 'custom', path: ['department'], message: '移送事项必须有部门 (department)' });
    }
    if (item.level !== 'department' && item.department !== null) {
      ctx.addIssue({ code: 'custom', path: ['department'], message: '只有移送事项可以有部门' });
    }
    if (item.handlingHours < item.responseHours) {
      ctx.addIssue({ code: 'custom', path: ['handlingHours'], message: '办理时限不能短于响应时限' });
    }
  });

export const powerListSchema = z
  .strictObject({
    version: z.string().min(1),
    title: z.string().min(1),
    source: z.string().min(1),
    note: z.string().optional(),
    items: z.array(powerItemSchema).min(1),
  })
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.items.forEach((item, i) => {
      const first = seen.get(item.code);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'code'], message: `编码 ${item.code} 与第 ${first} 项重复` });
      } else {
        seen.set(item.code, i);
      }
    });
  });
