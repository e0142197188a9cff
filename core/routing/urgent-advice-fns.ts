import type { UrgencyKind } from '../classify/signal-lexicon.ts';

/** Only 110/119/120 are named: other hotline numbers vary and a wrong one costs time in an emergency. */
const ADVICE: Record<Exclude<UrgencyKind, 'alarm'>, string> = {
  gas: '疑似燃气泄漏：请勿开关电器、勿用明火、勿在现场打电话，立即开窗通风并撤离到室外，再拨打燃气企业抢修电话；情况严重请拨打119。',
  fire: '发生火情：请立即拨打119报警，低姿捂鼻沿安全通道撤离，不要乘电梯；有人受伤请拨打120。',
  violence: '有人身安全危险：请立即拨打110报警，远离现场、注意自身安全；有人受伤请拨打120。',
  collapse: '有倒塌危险：请立即撤离并远离危险区域，提醒周围人员避让；有人员被困或受伤请拨打119、120。',
  falling: '有物体坠落危险：请提醒行人远离下方区域、暂勿通行；已有人受伤请拨打120，险情紧急请拨打119。',
  trapped: '有人被困：请被困人员保持冷静、按电梯内警铃或拨打轿厢内救援电话，不要强行扒门；无人响应请拨打119。',
  opening: '路面有坑洞或井盖缺失：请在周边设置明显警示、提醒行人车辆绕行；已有人跌落受伤请拨打120、119。',
  person:
    '有人遇险：请立即拨打120急救，落水、轻生等情况同时拨打110或119；落水时不要贸然下水，可抛救生圈、绳索或竹竿施救；昏倒者勿随意搬动，等待急救人员。',
  electric: '有触电危险：请远离断落电线或漏电设备，切勿触碰，提醒他人绕行；有人触电请拨打120。',
};

const GENERAL = '情况紧急：请先确保自身安全、远离危险区域；需要警察请拨打110，火情或救援请拨打119，有人受伤请拨打120。';

export function urgentAdvice(kind: UrgencyKind | null): string {
  return kind !== null && kind !== 'alarm' ? ADVICE[kind] : GENERAL;
}
