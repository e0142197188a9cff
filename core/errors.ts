/**
 * Domain errors, translated once per transport (the fastify error handler, the bot's error
 * boundary). `message` is for people and is in Chinese; `code` is for programs.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = '未找到该记录') {
    super('not_found', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = '您无权进行此操作') {
    super('forbidden', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = '请先登录') {
    super('unauthorized', message);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(message: string) {
    super('invalid_transition', message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string) {
    super('validation_error', message);
  }
}

/** Someone asks too often; `retryAfterSeconds` says when asking again may succeed. */
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/**
 * No case number could be allocated: the report is not registered, and whoever sent it is told
 * so (the chat keeps the draft for another 确认提交; the API answers 503), never silence.
 */
export class CaseNumberError extends DomainError {
  constructor(message = '暂时无法生成案件编号，您的报告尚未提交，请稍后再点一次“确认提交”。') {
    super('case_number_unavailable', message);
  }
}

/** An error's message, or the thrown value as text (for an issue line or a log field). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
