import { ACTION_LABELS, MODE_721_LABELS, type CaseAction } from '../../core/case/case-types.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import { dateTime } from './format.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';

/** Everything the action forms offer to choose from. */
export interface ActionChoices {
  number: string;
  csrf: string;
  actions: CaseAction[];
  teamMembers: Array<{ personId: number; name: string }>;
  departments: string[];
  streets: string[];
  items: Array<{ code: string; name: string; post: string | null; level: string }>;
  postponements: Array<{ id: number; reason: string; newDueAt: Date }>;
}

const note = (a: CaseAction, label: string, required: boolean) =>
  html`<label for="${a}-note">${label}${required ? html` <span class="req">（必填）</span>` : ''}</label>
    <textarea id="${a}-note" name="note" rows="3" maxlength="2000"${required ? html` required` : ''}></textarea>`;

function options(list: Array<[string, string]>, placeholder: string): SafeHtml {
  return html`<option value="">${placeholder}</option>${list.map(([v, t]) => html`<option value="${v}">${t}</option>`)}`;
}

function itemSelect(a: CaseAction, c: ActionChoices, required: boolean): SafeHtml {
  const posts = [...new Set(c.items.map((i) => i.post ?? (i.level === 'district' ? '区局事项' : '移送事项')))];
  return html`<label for="${a}-item">权力清单事项${required ? html` <span class="req">（必填）</span>` : ''}</label>
    <select id="${a}-item" name="itemCode"${required ? html` required` : ''}><option value="">请选择</option>${posts.map(
      (p) =>
        html`<optgroup label="${p}">${c.items
          .filter((i) => (i.post ?? (i.level === 'district' ? '区局事项' : '移送事项')) === p)
          .map((i) => html`<option value="${i.code}">${i.code} ${i.name}</option>`)}</optgroup>`,
    )}</select>`;
}

function fields(a: CaseAction, c: ActionChoices): HtmlValue {
  switch (a) {
    case 'register':
      return [
        itemSelect(a, c, true),
        html`<label for="register-street">承办街道（可选）</label><select id="register-street" name="streetName">${options(
          c.streets.map((s) => [s, s]),
          '按事项与位置自动确定',
        )}</select>`,
      ];
    case 'assign':
      return [
        html`<label for="assign-to">转派给 <span class="req">（必填）</span></label><select id="assign-to" name="assigneeId" required>${options(
          c.teamMembers.map((m) => [String(m.personId), m.name]),
          '请选择队员',
        )}</select>`,
        note(a, '说明', false),
      ];
    case 'return':
      return [
        note(a, '退回理由', true),
        html`<label for="return-street">应由哪个街道办理（可选）</label><select id="return-street" name="streetName">${options(
          c.streets.map((s) => [s, s]),
          '交回指挥中心分拣',
        )}</select>`,
        html`<label for="return-dept">或改交哪个部门（可选）</label><select id="return-dept" name="departmentName">${options(
          c.departments.map((d) => [d, d]),
          '不改交部门',
        )}</select>`,
        html`<label><input type="checkbox" name="toDistrict" value="1"> 交区城管执法局重新分拣</label>`,
      ];
    case 'escalate':
      return note(a, '上报理由（跨街道、重大复杂等）', true);
    case 'refer':
      return [
        html`<label for="refer-dept">移送部门 <span class="req">（必填）</span></label><select id="refer-dept" name="departmentName" required>${options(
          c.departments.map((d) => [d, d]),
          '请选择部门',
        )}</select>`,
        note(a, '说明', false),
      ];
    case 'reject':
      return note(a, '不予受理理由', true);
    case 'resolve':
      return [
        note(a, '处置结果', true),
        html`<label for="resolve-mode">处置方式（“721”工作法） <span class="req">（必填）</span></label><select id="resolve-mode" name="mode721" required>${options(Object.entries(MODE_721_LABELS), '请选择')}</select>`,
        html`<label for="resolve-photos">处置照片（可选，可多选）</label><input id="resolve-photos" type="file" name="photos" accept="image/*" multiple>`,
      ];
    case 'verify':
      return note(a, '核查意见', false);
    case 'fail_verification':
      return note(a, '存在的问题', true);
    case 'reopen':
      return note(a, '重新办理理由', true);
    case 'merge':
      return [
        html`<label for="merge-target">原案件编号 <span class="req">（必填）</span></label><input id="merge-target" name="targetCaseNumber" required maxlength="32" placeholder="JH-20261130-0001">`,
        note(a, '说明', false),
      ];
    case 'request_postponement':
      return [
        note(a, '缓办理由', true),
        html`<label for="pp-due">申请延期至 <span class="req">（必填）</span></label><input id="pp-due" type="datetime-local" name="newDueAt" required>`,
      ];
    default:
      return note(a, '说明', false);
  }
}

function actionForm(a: CaseAction, c: ActionChoices): SafeHtml {
  const multipart = a === 'resolve';
  return html`<form method="post" action="/cases/${encodeURIComponent(c.number)}/act" class="action action-${a}"${multipart ? html` enctype="multipart/form-data"` : ''}>
    <fieldset><legend class="sr-only">${ACTION_LABELS[a]}</legend>
      <input type="hidden" name="${CSRF_FIELD}" value="${c.csrf}">
      <input type="hidden" name="action" value="${a}">
      ${fields(a, c)}
      <button type="submit">${ACTION_LABELS[a]}</button>
    </fieldset></form>`;
}

function postponementForms(c: ActionChoices): SafeHtml {
  return html`${c.postponements.map(
    (p) => html`<form method="post" action="/cases/${encodeURIComponent(c.number)}/postponement" class="action">
      <fieldset><legend>缓办申请：延期至 ${dateTime(p.newDueAt)}</legend>
        <p>理由：${p.reason}</p>
        <input type="hidden" name="${CSRF_FIELD}" value="${c.csrf}"><input type="hidden" name="postponementId" value="${p.id}">
        <div class="button-row"><button type="submit" name="approve" value="true">批准缓办</button> <button type="submit" name="approve" value="false" class="secondary">不批准</button></div>
      </fieldset></form>`,
  )}`;
}

export function actionSection(c: ActionChoices): SafeHtml {
  if (c.actions.length === 0 && c.postponements.length === 0)
    return html`<section class="panel" aria-labelledby="act-h"><h2 id="act-h">操作</h2><p>您当前对此案件没有可执行的操作。</p></section>`;
  // The first action is opened: on a phone one form at a time is enough to read.
  return html`<section class="panel" aria-labelledby="act-h"><h2 id="act-h">操作</h2>
    ${c.actions.map((a, i) => html`<details class="action-box"${i === 0 ? html` open` : ''}><summary>${ACTION_LABELS[a]}</summary>${actionForm(a, c)}</details>`)}
    ${postponementForms(c)}
  </section>`;
}
