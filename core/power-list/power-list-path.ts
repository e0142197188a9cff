import { fileURLToPath } from 'node:url';

/** The bundled list (prisma/data/power-list.json), found from this module so any working directory works. */
export function defaultPowerListPath(): string {
  return fileURLToPath(new URL('../../prisma/data/power-list.json', import.meta.url));
}
