/** Which database a URL names: SQLite (`file:…`, the default) or PostgreSQL (`postgresql://…`). */
export type Engine = 'sqlite' | 'postgres';

export const engineOf = (databaseUrl: string): Engine =>
  /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
