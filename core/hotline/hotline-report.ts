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

/** The whole report as text: the summary, then every failed and skipped row and every warning. */
export function reportText(r: HotlineImportReport): string {
  const lines = [reportSummary(r)];
  for (const f of r.failed) lines.push(`失败 第 ${f.row} 行${f.ref ? `（${f.ref}）` : ''}：${f.reason}`);
  for (const s of r.skipped) lines.push(`跳过 第 ${s.row} 行（${s.ref}）：${s.reason}`);
  for (const w of r.warnings) lines.push(`提示 第 ${w.row} 行（${w.ref}）：${w.message}`);
  return `${lines.join('\n')}\n`;
}
