import type { FastifyRequest } from 'fastify';
import { ACTIONS, type ActionInput, type CaseAction, type Mode721 } from '../../core/case/case-types.ts';
import { ValidationError } from '../../core/errors.ts';
import { field } from './form-body.ts';

/** An action form as posted: its fields and any photos, before the CSRF check lets it act. */
export interface PostedForm {
  fields: Record<string, string>;
  photos: Array<{ bytes: Buffer; mime: string; fileName: string }>;
}

const MAX_PHOTOS = 9;

/** Reads urlencoded or multipart forms alike (only the resolve form carries files). */
export async function readPostedForm(req: FastifyRequest): Promise<PostedForm> {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const key of Object.keys(body)) {
      const v = field(body, key);
      if (v !== undefined) fields[key] = v;
    }
    return { fields, photos: [] };
  }
  const out: PostedForm = { fields: {}, photos: [] };
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in out.fields)) out.fields[part.fieldname] = part.value;
      } else {
        const bytes = await part.toBuffer();
        // An empty file input still sends a part with no name and no bytes.
        if (bytes.length === 0) continue;
        if (out.photos.length >= MAX_PHOTOS) throw new ValidationError(`一次最多上传 ${MAX_PHOTOS} 张照片`);
        out.photos.push({ bytes, mime: part.mimetype, fileName: part.filename });
      }
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('FST_') && /SIZE|LIMIT/.test(code))
      throw new ValidationError('照片过大或数量过多，请压缩后重试');
    throw err;
  }
  return out;
}

const text = (v: string | undefined, max: number) => {
  const t = v?.trim();
  return t ? t.slice(0, max) : undefined;
};

/** 'YYYY-MM-DDTHH:mm' from a datetime-local input, read as district time (UTC+8). */
function localDateTime(v: string | undefined): string | undefined {
  const t = text(v, 20);
  if (!t) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(t)) throw new ValidationError('延期时间格式不正确');
  const at = new Date(`${t}:00+08:00`);
  if (Number.isNaN(at.getTime())) throw new ValidationError('延期时间格式不正确');
  return at.toISOString();
}

export function parseAction(fields: Record<string, string>): CaseAction {
  const a = fields.action;
  if (!a || !(ACTIONS as readonly string[]).includes(a)) throw new ValidationError('未知操作');
  return a as CaseAction;
}

/** The form's fields as the domain's ActionInput; the domain checks what each action requires. */
export function toActionInput(fields: Record<string, string>): ActionInput {
  const input: ActionInput = {};
  const note = text(fields.note, 2000);
  if (note) input.note = note;
  for (const key of ['itemCode', 'streetName', 'departmentName', 'targetCaseNumber'] as const) {
    const v = text(fields[key], 40);
    if (v) input[key] = v;
  }
  if (fields.toDistrict) input.toDistrict = true;
  if (fields.assigneeId) {
    const id = Number(fields.assigneeId);
    if (!Number.isInteger(id) || id < 1) throw new ValidationError('请选择转派的队员');
    input.assigneeId = id;
  }
  const mode = fields.mode721;
  if (mode) {
    if (!['service', 'management', 'enforcement'].includes(mode))
      throw new ValidationError('请选择处置方式（服务、管理或执法）');
    input.mode721 = mode as Mode721;
  }
  const due = localDateTime(fields.newDueAt);
  if (due) input.newDueAt = due;
  return input;
}
