import { createHash } from 'node:crypto';

/** The hex SHA-256 the Attachment rows store: evidence files are named and checked by it. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
