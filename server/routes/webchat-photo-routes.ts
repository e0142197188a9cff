import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import { checkSize } from '../../core/evidence/photo-fns.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { findViewableAttachment } from '../../db/case-queries.ts';
import { attachmentKeyParams } from './case-read-routes.ts';
import { chatter, checkChatWrite } from './webchat-guard.ts';
import type { WebChatRouteDeps } from './webchat-deps.ts';
import { streamOf } from './stored-file-stream.ts';

const MAX_FILES = 10;

/**
 * A body that breaks off mid-file (a dropped connection, a cut request) or is not valid
 * multipart is the client's fault: 400, never 500. Limits keep their own 4xx status.
 */
function unreadable(err: unknown): never {
  const status = (err as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) throw err as Error;
  throw new ValidationError('上传不完整或格式不正确，请检查网络后重新上传照片');
}

interface Stored {
  /** The attachment's random public key: the page names the photo by it, never by its id. */
  key: string;
  exifLat: number | null;
  exifLng: number | null;
}

/** The upload's parts, with a broken body reported as the client's error (see unreadable). */
async function* iterateParts<T>(parts: AsyncIterable<T>): AsyncGenerator<T> {
  const it = parts[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next().catch(unreadable);
    if (next.done) return;
    yield next.value;
  }
}

/** Photo upload for the web chat (stored as evidence, then sent as a message) and viewing. */
export async function webchatPhotoRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const { store, hub, domain, config, db } = deps;
  // Oversized files are cut at the limit and refused with the evidence store's own message.
  await app.register(multipart, {
    limits: { fileSize: config.PHOTO_MAX_BYTES, files: MAX_FILES, fields: 5, parts: MAX_FILES + 5 },
    throwFileSizeLimit: false,
  });

  app.post(
    '/chat/api/photos',
    {
      schema: {
        tags: ['webchat'],
        summary: '网页聊天：上传照片（multipart，可多张），返回附件标识（key）供发送消息使用',
        description:
          '被拒收的照片（过大、非图片、格式不支持、损坏）以中文说明返回，并作为提示留在聊天记录中；全部被拒时为 400。',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const { actor, address } = await chatter(req, store);
      checkChatWrite(req);
      if (!req.isMultipart()) throw new ValidationError('请以 multipart/form-data 上传照片');
      const photos: Stored[] = [];
      const refusals: string[] = [];
      try {
        for await (const part of iterateParts(req.files())) {
          const bytes = await part.toBuffer().catch(unreadable);
          try {
            if (part.file.truncated) checkSize(config.PHOTO_MAX_BYTES + 1, config.PHOTO_MAX_BYTES);
            const s = await domain.evidence.ingest(bytes, {
              uploadedById: actor.personId,
              draftKey: `web:${address.chatId}`,
              declaredMime: part.mimetype,
              fileName: part.filename,
            });
            photos.push({ key: s.key, exifLat: s.exifLat, exifLng: s.exifLng });
          } catch (err) {
            if (!(err instanceof PhotoRejectedError)) throw err;
            refusals.push(part.filename ? `${part.filename.slice(0, 60)}：${err.message}` : err.message);
          }
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_FILES_LIMIT')
          throw new ValidationError(`一次最多上传 ${MAX_FILES} 张照片`);
        if (err instanceof ValidationError && photos.length) {
          // What arrived whole before the break is stored: the page may still send it.
          return reply.code(400).send({ error: { code: err.code, message: err.message }, photos, notices: [] });
        }
        throw err;
      }
      // A refusal stays in the chat like a bot reply would, so it is still there after a reload.
      const notices = [];
      for (const text of refusals) {
        const { entry } = await store.recordLine(address.chatId, `notice-${randomUUID()}`, 'out', {
          text,
          notice: true,
        });
        hub.publish(address.chatId, entry);
        notices.push(entry);
      }
      if (photos.length === 0) {
        return reply
          .code(400)
          .send({ error: { code: 'photo_rejected', message: refusals.join('\n') || '没有收到照片', notices } });
      }
      return { photos, notices };
    },
  );

  app.get<{ Params: { key: string }; Querystring: { size?: 'thumb' | 'full' } }>(
    '/chat/api/photos/:key',
    {
      schema: {
        tags: ['webchat'],
        summary: '网页聊天：查看照片（缩略图或去除 EXIF 的副本，从不返回原件）',
        params: attachmentKeyParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { size: { type: 'string', enum: ['thumb', 'full'], default: 'thumb' } },
        },
      },
    },
    async (req, reply) => {
      const { actor } = await chatter(req, store);
      // The uploader, or whoever may see the case the photo belongs to; anyone else gets a 404.
      const allowed = await findViewableAttachment(db, actor, { publicKey: req.params.key });
      const file =
        allowed &&
        (req.query.size === 'full'
          ? await domain.evidence.openPublic(allowed.id)
          : await domain.evidence.openThumbnail(allowed.id));
      if (!file) throw new NotFoundError('没有这张照片，或无法预览');
      return reply.type(file.mime).header('cache-control', 'private, max-age=3600').send(streamOf(file.body));
    },
  );
}
