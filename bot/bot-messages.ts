/**
 * Every sentence the bot says, in one place (administrators can override them like the case
 * messages). Short enough for a phone screen; {placeholders} are filled at send time.
 */
export const BOT_MESSAGES = {
  welcome:
    '您好！这里是江汉区城管执法“网格通”。\n发现占道经营、乱堆乱放、违法搭建、油烟扰民等问题，请直接发给我：\n1. 用文字描述问题\n2. 拍照（可多张）\n3. 发送位置或输入详细地址\n我会告诉您由谁处理、多久办结，并推送处理进展。\n命令：/my 我的报告　/status 编号 查询　/help 帮助',
  'welcome.staff':
    '您好！这里是江汉区城管执法“网格通”工作端。新案件、转派和督办会推送到这里，按消息下方的按钮即可办理。',
  help: '发送文字、照片和位置即可报告问题，顺序不限。\n/my 查看我的报告\n/status 案件编号 查看进度\n/cancel 取消正在填写的报告\n/bind 绑定码 工作人员绑定身份\n紧急危险情况请直接拨打 110 或 119。',
  'help.staff': '\n工作人员命令：\n/queue 待办案件\n/patrol 开始/结束巡查（巡查员）\n/login 获取网页工作台登录链接',
  greeting: '您好！有需要处理的城市管理问题，请直接描述问题并发送位置或照片。',
  thanks: '不客气！如有新问题，随时发给我。',
  not_actionable:
    '没有识别出需要处理的问题。请描述具体问题（如“人行道上有人摆摊”）并发送位置。\n咨询可拨打 12345 市民服务热线。',
  foreign_language:
    'Hello! This is Gridline (网格通), for reporting street problems in Jianghan District, Wuhan (illegal street stalls, dumped rubbish, illegal construction, cooking fumes…). To report: send a photo of the problem and its location (📍 location pin or the street address), and describe it in a short sentence, in Chinese if you can. Staff will read it and reply.\n您好！请发送问题照片和位置，并尽量用中文简单描述问题。',
  unknown_command: '没有“/{command}”这个命令。发送 /help 查看可用命令。',
  unsupported: '暂不支持这类消息（{kind}）。请发送文字、照片或位置。',
  edited: '已收到您修改后的消息。已提交的报告不会因此改变；如需补充，请直接发送新消息。',
  group_only_commands: '请私聊我报告问题；在群里我只响应命令和按钮。',
  error: '系统繁忙，请稍后再试。您已发送的内容已保存。',
  stale_button: '这个按钮已失效，请按最新消息操作。',
  'draft.need_text': '已收到。请用一两句话描述问题（什么问题、持续多久）。',
  'draft.need_location':
    '请告诉我问题所在的位置：点击📎发送“位置”，或直接输入详细地址（如“青年路 xx 号门口”）。\n注意是问题发生的地点，不是您现在的位置。',
  'draft.need_location_web':
    '请告诉我问题所在的位置：点击“📍 选择位置”在地图上点选，或直接输入详细地址（如“青年路 xx 号门口”）。\n注意是问题发生的地点，不是您现在的位置。',
  'draft.photo_outside': '照片记录的拍摄地点不在江汉区，没有采用。',
  'draft.need_location_group': '请发送问题所在位置（位置消息）或输入详细地址。',
  'draft.ambiguous_place': '“{place}”跨越多个街道（{streets}），请补充附近的路口、小区或门牌号，或直接发送位置。',
  'draft.imprecise_location': '您发送的位置精度较低（约 {accuracy} 米），请输入详细地址，或发送更准确的位置。',
  'draft.location_conflict':
    '您的描述提到“{place}”（{textStreet}），但发送的位置在{pointStreet}。问题具体在哪里？请发送准确位置或输入详细地址。',
  'draft.photo_added': '已收到 {count} 张照片。',
  'voice.kept': '已收到您的语音，已作为证据保存。我暂时听不懂语音，请再用一两句文字说明问题。',
  'voice.not_kept': '语音没有收到，请用一两句文字说明问题。',
  'draft.photo_location': '已从照片中读取拍摄位置。',
  'draft.summary':
    '请确认您要报告的问题：\n描述：{text}\n地点：{place}\n照片：{photos} 张\n承办：{handler}\n办理时限：{due}\n{why}',
  'draft.summary_triage':
    '请确认您要报告的问题：\n描述：{text}\n地点：{place}\n照片：{photos} 张\n由哪个单位处理需要工作人员判断：提交后，街道指挥中心的工作人员一般在 {due} 前确定，并通知您。',
  'draft.summary_foreign':
    'Press 确认提交 (submit) to send this report with its photos and place; staff will decide who handles it and reply. 修改 = change, 取消 = cancel.',
  'draft.edit': '请发送新的描述、位置或照片，发送后会重新生成摘要。',
  'draft.cancelled': '已取消，本次报告未提交。',
  'draft.nothing': '当前没有正在填写的报告。',
  'draft.rate_limited': '{reason}\n您的报告已保留，届时点击“确认提交”即可，无需重新填写。',
  'draft.expired': '您有一份报告超过 {minutes} 分钟未完成，已自动作废。如仍需报告，请重新发送。',
  'draft.confirm_first': '请先点击“确认提交”“修改”或“取消”。',
  'draft.outside':
    '该位置不在江汉区范围内{neighbour}，请向当地有关部门反映（可拨打 12345）。如位置有误，请重新发送位置或地址。',
  'draft.submitted':
    '提交成功！案件编号：{number}\n承办：{handler}\n办理时限：{due}\n处理进展会推送给您，也可发送 /status {number} 查询。',
  'draft.submitted_triage':
    '已提交，案件编号：{number}\n街道指挥中心的工作人员一般在 {due} 前确定由哪个单位处理，确定后会通知您。\n也可发送 /status {number} 查询。',
  'draft.duplicate':
    '附近已有相同问题正在处理：案件 {number}（{status}）。您的报告已并入该案件，处理进展会同步推送给您。',
  'nearby.offer':
    '附近约 {distance} 米处已有同类问题正在处理：案件 {number}（{matter}，{status}）。\n如是同一问题，可点击“关注”，处理进展会推送给您，无需重复报告；如不是，请继续确认提交。',
  'nearby.followed': '已关注案件 {number}（{status}），处理进展会推送给您。本次报告未提交；如另有问题，请重新发送。',
  'supplement.done': '已补充到案件 {number}{what}，已转告承办单位。',
  urgent: '⚠️ 紧急情况：{advice}',
  'my.empty': '您还没有报告过问题。',
  'my.list': '您的报告：\n{lines}',
  'status.usage': '请发送 /status 加案件编号，如 /status JH-20261201-0001',
  'status.not_found': '没有找到案件 {number}，或您无权查看。',
  'status.detail': '案件 {number}\n事项：{matter}\n状态：{status}\n承办：{handler}\n时限：{due}{outcome}',
  'bind.usage': '请发送 /bind 加绑定码，如 /bind 8F3K2Q',
  'bind.failed': '绑定码无效或已过期，请向管理员重新申请。',
  'bind.ok': '绑定成功：{name}，身份：{role}{unit}。发送 /help 查看工作命令。',
  staff_only: '此命令仅限工作人员使用。',
  'queue.empty': '目前没有待办案件。',
  'queue.list': '待办案件（逾期在前）：\n{lines}',
  'queue.header': '待办案件 {count} 件（逾期在前，其次按时限）：',
  'card.name_case':
    '请回复“数字 案件编号”或“操作 案件编号”，如“1 JH-20261206-0012”“接单 JH-20261206-0012”，以免办理错案件。',
  'action.done': '已{action}：案件 {number}（{status}）',
  'action.photo_warning': '⚠ 提醒：{warning}。办结已受理，核查人员会重点核实。',
  'action.ask_note': '请输入{what}{ofCase}：',
  'action.ask_photos': '如有处置后照片请现在发送（可多张），发送完毕点击“下一步”。',
  'action.ask_mode': '请选择处置方式（“721”工作法）：',
  'action.ask_assignee': '转派给哪位队员？',
  'action.no_members': '本街道还没有绑定的执法队员。',
  'action.ask_department': '移送给哪个部门？',
  'action.ask_item': '请选择事项，或直接回复事项编号（如 SR-001）：',
  'action.cancelled': '已取消操作。',
  'action.ask_return_to': '退回到哪里？请选择应当承办的街道，或交区城管执法局重新分拣，或改交其他部门：',
  'action.ask_return_department': '改交哪个部门？',
  'action.ask_street': '派遣到哪个街道？',
  'action.ask_street_item': '派遣至{street}。请选择事项，或直接回复事项编号（如 SR-001）：',
  'action.unknown_street': '没有“{text}”这个街道，请按按钮选择：',
  'action.ask_new_due': '申请延期至何时？请输入日期（如“12月20日”或“2026-12-20 17:30”），须晚于当前时限 {due}：',
  'action.bad_date': '没有看懂“{text}”。请按“12月20日”或“2026-12-20 17:30”的格式输入，须晚于当前时限 {due}：',
  'action.postponement_requested': '已提交缓办申请：案件 {number} 申请延期至 {due}，等待区城管执法局审批。',
  'action.ask_merge_target': '案件 {number} 与哪个案件重复？请输入原案件编号（如 JH-20261201-0001）：',
  'action.bad_case_number': '“{text}”不是案件编号。请输入原案件编号（如 JH-20261201-0001）：',
  'verify.ask_note': '请简单说说还有什么没有解决（如“摊贩第二天又来了”）：',
  'rating.thanks': '感谢评价！如有意见，可直接回复文字补充（可选）。',
  'rating.comment_saved': '已记录您的意见，谢谢！',
  'postponement.done': '已{decision}缓办申请：案件 {number}，时限 {due}。',
  'finding.ask': '巡查发现已记录。请选择：',
  'finding.need_more': '请补充{missing}。',
  'finding.settled': '已记录为现场劝导整改（不立案，计入“721”服务类）。',
  'finding.ask_department':
    '巡查发现已记录。系统判断此问题属于{department}的职责：{reason}\n可选择“移交部门”立案并移送{department}，或现场已劝导整改：',
  'finding.not_department': '此问题属于城市管理执法事项，不需要移交其他部门。请选择“已劝导整改”或“需执法”：',
  'finding.referred': '已立案并移交{handler}：案件 {number}\n{reason}\n办理时限：{due}',
  'patrol.started': '巡查开始（{time}）。发现问题直接发送照片、位置和简要描述。再次发送 /patrol 结束巡查。',
  'patrol.ended':
    '巡查结束（{time}，历时 {duration}），本次发现问题 {findings} 处。\n今天的巡查日报将于 {reportAt} 汇总发送给您和队长。',
  'patrol.inspector_only': '巡查功能仅限绑定的巡查员使用。',
  'login.link': '网页工作台登录链接（{minutes} 分钟内有效，仅限本人使用）：\n{url}',
} as const;

export type BotMessageKey = keyof typeof BOT_MESSAGES;
