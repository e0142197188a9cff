import { ValidationError } from '../errors.ts';

/** Why a photo was refused; `message` (Chinese) is what the chat user reads. */
export type PhotoRejectReason = 'too_large' | 'not_an_image' | 'unsupported_format' | 'empty' | 'corrupt';

/**
 * A photo the evidence store will not keep. A ValidationError, so the fastify error handler
 * answers 400 and the bot's error boundary replies with `message`; `reason` is for programs.
 */
export class PhotoRejectedError extends ValidationError {
  constructor(
    readonly reason: PhotoRejectReason,
    message: string,
  ) {
    super(message);
  }
}
