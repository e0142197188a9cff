/** What an import did, row by row (messages in Chinese): printed by the CLI, shown on the page, returned by the API. */
export interface HotlineImportReport {
  total: number;
  created: Array<{ row: number; ref: string; caseNumber: string; status: string; street: string | null }>;
  skipped: Array<{ row: number; ref: string; reason: string }>;
  failed: Array<{ row: number; ref: string | null; reason: string }>;
  warnings: Array<{ row: number; ref: string; message: string }>;
}

export function emptyReport(): HotlineImportReport {
  return { total: 0, created: [], skipped: [], failed: [], warnings: [] };
}

/** One line per outcome, for the command line and logs. */
export function reportSummary(r: HotlineImportReport): string {
  return `共 ${r.total} 条：新建 ${r.created.length}，已导入跳过 ${r.skipped.length}，失败 ${r.failed.length}，提示 ${r.warnings.length}`;
}
