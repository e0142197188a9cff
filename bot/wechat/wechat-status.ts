// The WeChat login state as the admin page and its API see it. No Wechaty types here, so the
// HTTP layer can import it without loading Wechaty.

export interface WeChatStatus {
  /** logged_out: not started, stopped, or the account logged out; scan: waiting for a QR scan. */
  state: 'logged_out' | 'scan' | 'logged_in';
  /** WECHATY_PUPPET, or 'instance' when a puppet object was passed in (tests). */
  puppet: string;
  /** The value to encode as the login QR code (while state is scan). */
  qrcode?: string;
  /** Wechaty's scan status: Waiting, Scanned (confirm on the phone), Timeout, … */
  scanStatus?: string;
  /** The logged-in account. */
  user?: { id: string; name: string };
  /** Why the channel could not start (missing puppet package, invalid token, …). */
  error?: string;
}

/** What the admin routes need: only the status, never the bot itself. */
export interface WeChatStatusSource {
  status(): WeChatStatus;
}
