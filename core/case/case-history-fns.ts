import { formatShanghai, shorten } from './case-format-fns.ts';
import type { CaseStep } from './case-port.ts';

/** What each recorded step is called in a history line; steps not listed are left out. */
const STEP_LABELS: Record<string, string> = {
  submitted: '报告',
  triage: '待人工分拣',
  registered: '立案',
  dispatched: '派遣',
  accepted: '接单',
  assigned: '转派队员',
  returned: '退回',
  escalated: '上报区局',
  referred: '移送部门',
  rejected: '不予受理',
  resolved: '办结',
  verified: '核查通过',
  rework: '核查不通过（返工）',
  supplemented: '报告人补充',
  reopened: '重新办理',
  merged: '合并',
  postponement_requested: '申请缓办',
  postponement_approved: '缓办获批',
  postponement_refused: '缓办未获批',
};

/**
 * The case's steps so far, one short line each (time, step, the words written with it), newest
 * last. Long histories keep their first step and the latest ones, so the reader sees where the
 * case started and how it got here.
 */
export function historyLines(steps: CaseStep[], max = 6): string {
  const shown = steps.filter((s) => STEP_LABELS[s.type]);
  const kept = shown.length > max ? [shown[0]!, ...shown.slice(-(max - 1))] : shown;
  const lines = kept.map((s) => {
    const where =
      typeof s.data.toStreet === 'string'
        ? ` → ${s.data.toStreet}`
        : typeof s.data.department === 'string'
          ? ` → ${s.data.department}`
          : '';
    // The system's registration note is the router's reasoning: the matter's code says it shorter.
    const words = s.type === 'registered' && typeof s.data.item === 'string' ? s.data.item : s.note;
    const note = words ? `：${shorten(words.replace(/\s+/g, ' '), 40)}` : '';
    return `· ${formatShanghai(s.at)} ${STEP_LABELS[s.type]}${where}${note}`;
  });
  if (shown.length > kept.length) lines.splice(1, 0, `· …（省略 ${shown.length - kept.length} 步）`);
  return lines.join('\n') || '· —';
}
