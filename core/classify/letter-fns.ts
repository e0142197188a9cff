/**
 * Reading a letter (12345 work order, 市长信箱) the way an official does: the title states the
 * matter, greetings and closing formulae say nothing about it, numbered paragraphs are separate
 * matters. Pure functions: no I/O, no classifier.
 */

export type LetterIntent = 'complaint' | 'suggestion' | 'question';

export interface LetterParts {
  /** Title as written (trimmed); '' when none was given or found. */
  title: string;
  /** Body with greetings, closing formulae, links and export debris removed. */
  body: string;
  /** Numbered matters of the body (1、… 2、…); one entry when the body is not numbered. */
  matters: string[];
  /** A letter rather than a chat message: it has a title, or the length and formulae of one. */
  isLetter: boolean;
  /** What the title (or, without one, the opening) asks for; null when it says nothing of it. */
  intent: LetterIntent | null;
}

/** A chat report is a line or two; a letter without a title is recognised from this length on. */
const LETTER_LENGTH = 160;

// Export debris of hotline systems and web forms: Excel's carriage returns, folded-text markers, links.
const DEBRIS = /_x000d_|\[查看全文\]|\[隐藏\]|\.\.\.(?=\[)|https?:\/\/[\w./?=&%#-]*/gi;

// 尊敬的胡书记： / 毛市长：您好！ / 领导好： / 尊敬的各位领导 / 您好！ — at the start of the letter.
const ADDRESSEE =
  /^(?:尊敬的)?[\u4e00-\u9fa5、]{0,14}?(?:领导|书记|市长|县长|区长|局长|厅长|主任|同志|政府|市委|县委|区委|部门|你们|您们)(?:们)?(?:好|同志)?(?=[：:，,！!。\s])[：:，,！!。\s]*/;
const GREETING = /^(?:(?:您|你)(?:们)?好|大家好|领导(?:们)?好|新年好|你们好|上午好|下午好|晚上好)[！!，,。：:~\s]*/;
const HEADER_GREETING = /^(?:尊敬的)?(?:各位)?(?:领导|书记|市长)(?:们)?(?:您|你)?好[！!，,。：:\s]*/;

// A closing sentence: thanks, 此致敬礼, 盼复, 恳请领导重视 — short and about the letter itself.
const CLOSING_WORDS = /谢谢|感谢|感激|此致|敬礼|盼复|为感|做主|重视|拜托|辛苦|万分/;
const CLOSING_MAX = 30;

const NUMBERED =
  /(?:^|(?<=[。；;！!？?\s:：]))(?:[（(]?(?:[1-9]|1[0-9]|[一二三四五六七八九十]{1,2})[)）、.．](?!\d)|第[一二三四五六七八九十]+[，,、：:]|问题[一二三四五六七八九十\d]{1,2}[：:，,、\s]?|其[一二三四五六七八九十][，,、：:])/g;

const QUESTION_TITLE =
  /咨询|请问|问一下|是否|能否|可否|能不能|可不可以|何时|什么时候|多久|如何办理|怎么办理|怎样办理|有没有|会不会|吗[？?]?$/;
const SUGGESTION_TITLE = /建议|希望|呼吁|倡议|意见|反对|恳请.{0,12}(?:修建|增设|开通|规划|建设|拓宽|加装|延长)/;
// A title that names a present problem is a complaint whatever else it says.
const COMPLAINT_TITLE =
  /投诉|举报|扰民|违章|违法|违规|违建|违停|乱[堆摆停倒搭扔贴排放收]|占道|占用|霸占|污染|噪音|噪声|油烟|脏乱|臭|堵塞|私自|非法|强行|强制|拖欠|破损|损坏|坏了|漏水|垃圾|不作为|诈骗|殴打|打人/;

// 反对在小区旁建垃圾站: an objection to a planned facility is an opinion on a plan, not a problem on site.
const OBJECTION_TO_PLAN = /反对.{0,24}(?:建设|建立|修建|新建|设置|选址|规划|变更|建)/;
// 建议增设公交站, 希望加快地铁建设: asking for works to be done is a suggestion, not a problem on site.
const ASKS_FOR_WORKS =
  /(?:建议|希望|呼吁|倡议).{0,20}(?:增设|设置|修建|新建|建设|安装|加装|开通|规划|拓宽|延长)|加快.{0,16}建设|加大.{0,12}力度/;

/**
 * True when the title is about a plan rather than a problem on site: it objects to something planned
 * (a site, a project, a change of plan) or asks for something to be built or done more.
 */
export function objectsToPlan(title: string): boolean {
  return OBJECTION_TO_PLAN.test(title) || ASKS_FOR_WORKS.test(title);
}

/** Strips export debris and collapses the whitespace they leave. */
export function cleanLetterText(text: string): string {
  return text
    .replace(DEBRIS, ' ')
    .replace(/[ \t\u3000]{2,}/g, ' ')
    .trim();
}

/** Removes the addressee and greeting formulae at the start, repeatedly (尊敬的胡书记：您好！). */
export function stripGreeting(text: string): string {
  let out = text.trimStart();
  for (let i = 0; i < 4; i++) {
    const next = out.replace(HEADER_GREETING, '').replace(GREETING, '').replace(ADDRESSEE, '').trimStart();
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Removes short closing sentences (谢谢！ 此致敬礼 恳请领导重视为盼) at the end. */
export function stripClosing(text: string): string {
  let out = text.trimEnd();
  for (let i = 0; i < 4; i++) {
    const m = /[^。！!？?]*[。！!？?]*$/.exec(out);
    const last = m ? m[0] : '';
    if (last.length === 0 || last.length > CLOSING_MAX || !CLOSING_WORDS.test(last) || last.length === out.length)
      break;
    out = out.slice(0, out.length - last.length).trimEnd();
  }
  return out;
}

/** Numbered matters (1、 2. 一、 （三） 第二， 问题1): the text before the first number stays with the first. */
export function splitMatters(text: string): string[] {
  const starts: number[] = [];
  NUMBERED.lastIndex = 0;
  for (let m = NUMBERED.exec(text); m !== null; m = NUMBERED.exec(text)) {
    starts.push(m.index);
    if (m[0].length === 0) NUMBERED.lastIndex++;
  }
  if (starts.length < 2) return [text];
  const parts: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const from = i === 0 ? 0 : starts[i]!;
    const to = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const part = text.slice(from, to).trim();
    if (part.length > 0) parts.push(part);
  }
  return parts;
}

/** What the title asks for: a present problem outweighs question and suggestion words. */
export function letterIntent(title: string): LetterIntent | null {
  if (title.length === 0) return null;
  // An objection to a plan wins over the problem words it names (反对建垃圾站); a named problem wins over the rest.
  if (OBJECTION_TO_PLAN.test(title)) return 'suggestion';
  if (COMPLAINT_TITLE.test(title)) return 'complaint';
  if (ASKS_FOR_WORKS.test(title)) return 'suggestion';
  if (SUGGESTION_TITLE.test(title)) return 'suggestion';
  if (QUESTION_TITLE.test(title)) return 'question';
  return null;
}

/** Splits a letter into title, body and matters; a chat message comes back as one plain body. */
export function readLetter(title: string | undefined, text: string): LetterParts {
  let t = cleanLetterText(title ?? '');
  let cleaned = cleanLetterText(text);
  // Pasted work orders put the title on the first line: short, no sentence end, more text below.
  const firstLine = /^([^\n。！!？?]{4,40})\n+(?=\S)/.exec(cleaned);
  if (t.length === 0 && firstLine && cleaned.length >= LETTER_LENGTH) {
    t = firstLine[1]!.trim();
    cleaned = cleaned.slice(firstLine[0].length);
  }
  const stripped = stripGreeting(cleaned);
  const isLetter = t.length > 0 || (cleaned.length >= LETTER_LENGTH && stripped !== cleaned);
  if (!isLetter) return { title: '', body: text, matters: [text], isLetter: false, intent: null };
  const body = stripClosing(stripped);
  return { title: t, body, matters: splitMatters(body), isLetter, intent: letterIntent(t) };
}
