import type { InboundMessage, InboundPhoto } from '../inbound-types.ts';

/** What the page posts to /chat/api/messages (validated by the route's JSON schema). */
export interface ChatPost {
  /** The page's uuid for this line: a resent POST is processed once. */
  clientId: string;
  text?: string;
  command?: { name: string; args?: string };
  button?: string;
  /** The pressed button's label, only to show the person what they chose. */
  label?: string;
  location?: { lat: number; lng: number; accuracyM?: number; street?: string };
  /** Attachment keys from POST /chat/api/photos (never integer ids). */
  photos?: string[];
}

export interface WebChatAddress {
  chatId: string;
  userId: string;
}

/** `/status JH-1` → {name: 'status', args: 'JH-1'}, as Telegram users type commands. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const m = /^\/([a-z_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() } : null;
}

export function hasSomething(post: ChatPost): boolean {
  return Boolean(post.text?.trim() || post.command || post.button || post.location || post.photos?.length);
}

/** The InboundMessage the conversation core sees; photos come checked from the database. */
export function toInbound(
  post: ChatPost,
  to: WebChatAddress,
  displayName: string,
  photos: InboundPhoto[],
): InboundMessage {
  const text = post.text?.trim();
  const command = post.command
    ? { name: post.command.name.toLowerCase(), args: (post.command.args ?? '').trim() }
    : text
      ? parseCommand(text)
      : null;
  return {
    channel: 'web',
    chatId: to.chatId,
    userId: to.userId,
    // Scoped to the chat, so nobody can pre-empt another person's message by reusing its id.
    updateId: `${to.chatId}:${post.clientId}`,
    displayName,
    ...(command ? { command } : text ? { text } : {}),
    ...(post.button ? { button: post.button } : {}),
    ...(photos.length ? { photos } : {}),
    // Browsers (geolocation) and the district map both give WGS-84.
    ...(post.location
      ? {
          location: {
            lat: post.location.lat,
            lng: post.location.lng,
            crs: 'wgs84' as const,
            ...(post.location.accuracyM !== undefined ? { accuracyM: post.location.accuracyM } : {}),
          },
        }
      : {}),
  };
}
