// Error codes of the 公众号 API that Gridline acts on (全局返回码 in the official documentation).

/** An error answer of the 公众号 API (`errcode` other than 0). */
export class MpApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat MP API error ${errcode}: ${errmsg}`);
    this.name = 'MpApiError';
  }
}

export const MP_ERR = {
  /** access_token invalid / expired / not the latest: fetch a new one and try again once. */
  tokenInvalid: [40001, 40014, 42001],
  /** Outside the 48-hour customer-service window. */
  outOfWindow: 45015,
  /** Too many customer-service messages in the window. */
  tooMany: 45047,
  /** The API's daily call quota. */
  apiQuota: 45009,
  /** Not a follower (unsubscribed) or an invalid openid: no message reaches them. */
  unreachable: [43004, 40003],
  /** Template not found / no subscription from the user for it. */
  templateRefused: [40037, 43101],
} as const;
