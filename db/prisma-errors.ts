/** Prisma's code for a unique constraint that refused an insert (P2002), on either engine. */
export const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
