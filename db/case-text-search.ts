import type { Engine } from './db-engine.ts';
import { PLACEHOLDER_TAIL } from './case-number-alloc.ts';

/**
 * The case list's text search `q` as SQL on the case table `c`: the cases whose number, text or
 * address holds `term` (already trimmed), exactly those `LIKE '%term%'` finds on each engine
 * (ASCII case folded on SQLite, none on PostgreSQL), through an index made for substrings
 * instead of a scan of every visible case (430-470 ms at 1,000,000 cases).
 *
 * PostgreSQL keeps the LIKE: pg_trgm's GIN index answers it (migrations-postgres/
 * *_case_search_trgm) and rechecks every row, so the results are LIKE's by construction; a term
 * of one or two characters, which has no trigram, goes through an index of characters and
 * pairs of characters (pgTextSearch), and a number-shaped one (a case number's fragment) through an
 * index of its six-character pieces (pgNumberGrams). A common term (pgSearchBreadth) is the plain LIKE alone,
 * tested on the cases an index of the list's order walks.
 *
 * SQLite: the FTS5 trigram table "CaseSearch" (migrations/*_case_text_search), contentless, which
 * holds lower() of each column (ASCII only, as LIKE folds) plus two char(1) sentinels, matched
 * case-sensitively. A phrase of three or more characters matches exactly the values holding it
 * (consecutive trigrams are consecutive characters). A term of one or two characters has no
 * trigram of its own: it is every trigram that begins with it, from the index's vocabulary
 * ("CaseSearchTerm"; the sentinels make one begin at every character, the last ones too), OR'ed.
 * A term holding the sentinel itself stays a LIKE scan (no one types char(1)). A fourth column,
 * "street" (migrations/*_case_search_street), holds one token per street that no term can meet:
 * a team lead's search asks for the street's matches alone (caseTextMatches).
 */
export function caseTextSearchSql(
  dialect: Engine,
  term: string,
  breadth: SearchBreadth = 'few',
  walk = false,
  found?: FoundTerm,
): { text: string; params: Array<string | number>; from?: string } {
  const like = likePattern(term);
  const scan = {
    text: `(c."text" LIKE ? ESCAPE '\\' OR c."number" LIKE ? ESCAPE '\\' OR c."address" LIKE ? ESCAPE '\\')`,
    params: [like, like, like],
  };
  // PostgreSQL, a common term (pgSearchBreadth): the plain LIKE, as COALESCE(…, FALSE) (the
  // same rows) so that the planner takes it for half the cases and walks the order's index: its
  // estimate of the LIKE from the columns' statistics can be far too low (广告: 297 cases for
  // 21,611), and it then read every case and sorted them (0.8 s).
  if (dialect === 'postgres')
    return breadth === 'few'
      ? pgTextSearch(term, scan)
      : { text: `COALESCE(${scan.text}, FALSE)`, params: scan.params };
  // 'many', a page: walking an index, each case is tested against the newest matches
  // caseTextMatches read (by id, on the index: the case is not read), and with LIKE only where
  // its id is outside their range (older, or written since). A rare word's 20 overdue matches lie
  // among ~3,000 overdue cases (露天烧烤, 7,154 of 1M cases: 2,800 cases read and LIKE'd, 3-9 ms).
  // Where the matches are dense (唐家墩路: one case in 7) LIKE meets 20 of them in a few hundred
  // cases, less than building the set of ids costs (0.5 ms).
  if (breadth === 'many' && walk && found && found.to - found.from > SPARSE_SPAN) {
    // As (in the set) OR (outside its range AND LIKE), written as two terms: the first, on the
    // index alone, drops nearly every case walked before anything else is tested (as one OR,
    // each case walked was tested for overdue first: 3.8 ms for 家禽家畜 at 1M, now 2.2).
    const inSet = `+c."id" IN (SELECT "value" FROM json_each(?))`;
    return {
      text: `((${inSet} OR +c."id" < ? OR +c."id" > ?) AND (${inSet} OR ${scan.text}))`,
      params: [found.ids, found.from, found.to, found.ids, ...scan.params],
    };
  }
  if (term.includes(SENTINEL) || breadth === 'most' || (breadth === 'many' && walk)) return scan;
  // Read once for the request (caseTextMatches): the ids under SEARCH_MANY_FROM, else the query.
  // Each statement that matched the index again read the same lists (a number fragment's 7
  // trigrams: 0.7 ms, four times for a team lead's page), and a term of one or two characters
  // read the vocabulary once more, each trigram's whole list (垃圾: 1.5 ms).
  // A street's matches (FoundTerm.street): the set is every match of the street and every match
  // among the other cases the list may show (a team lead's own reports and followed cases: a
  // handful, tested with LIKE once in the statement). The inner `c` is the subquery's own. As an
  // id test alone, any index walked drops each case that is not a match before reading it.
  if (breadth === 'few' && found?.street !== undefined) {
    const { elsewhere } = found.street;
    return {
      text: `${walk ? '+' : ''}c."id" IN (SELECT "value" FROM json_each(?) UNION ALL SELECT c."id" FROM "Case" c WHERE ${elsewhere.text} AND ${scan.text})`,
      params: [found.ids, ...elsewhere.params, ...scan.params],
    };
  }
  if (breadth === 'few' && found) return { text: `c."id" IN (SELECT "value" FROM json_each(?))`, params: [found.ids] };
  const match = found ? { text: `"CaseSearch" MATCH ?`, params: [found.query] } : ftsMatch(term);
  // 'many', counting (never past a cap: SEARCH_TOTAL_CAP): the index's matches are walked in
  // rowid order and each case fetched by id, so the count stops after as many matches as it
  // needs (垃圾, admin: 0.8 ms for 1,001 of 49,830), where `c."id" IN (...)` built the set of
  // every match first (43 ms). CROSS JOIN keeps the index outermost; `from` puts it in the FROM.
  if (breadth === 'many')
    return {
      text: `${match.text} AND c."id" = "CaseSearch"."rowid"`,
      params: match.params,
      from: '"CaseSearch" CROSS JOIN ',
    };
  return { text: `c."id" IN (SELECT "rowid" FROM "CaseSearch" WHERE ${match.text})`, params: match.params };
}

/**
 * PostgreSQL, a term of one or two characters: pg_trgm has no trigram for it, so its LIKE read
 * every case. The cases holding it come from the GIN index of each case's characters and pairs
 * of characters (migrations-postgres/*_case_search_chars: the expression here must be the
 * index's), and the same LIKE rechecks them: LIKE's results exactly. The term is one element,
 * whose frequency the planner knows (ANALYZE keeps the indexed expression's commonest elements);
 * the LIKE is inside "case_search_like", which the planner does not look into, so it does not
 * take the two for independent (垃圾: 1,479 cases expected instead of 49,830). So a common term
 * (路: 888,336 of 1M cases; 垃圾) still walks the order's index, testing the LIKE first.
 */
function pgTextSearch(term: string, scan: { text: string; params: string[] }) {
  // Three or more characters: LIKE over the three columns joined by the sentinel, the expression
  // of "Case_search_trgm_idx" (migrations-postgres/*_case_search_trgm): one index instead of one
  // per column. A term without the sentinel lies within one column or nowhere, so the results are
  // the three LIKEs' exactly; a term holding it keeps them (unindexed; no one types char(1)).
  if ([...term].length >= 3) {
    if (term.includes(SENTINEL)) return scan;
    const grams = pgNumberGrams(term);
    // A number-shaped term (a fragment of a case number: 261105-00) through the index of such
    // runs' six-character pieces, rechecked by the same LIKE inside "case_search_like" (which the
    // planner cannot see, so it does not AND the trigram index's bitmap in): see PG_NUMBER_GRAMS.
    if (grams)
      return {
        text: `(${PG_NUMBER_GRAMS} @> CAST(? AS text[]) AND "case_search_like"(c."number", c."text", COALESCE(c."address", ''), ?) AND ${SETTLED_NUMBER})`,
        params: [`{${grams.join(',')}}`, likePattern(term)],
      };
    return { text: `(${PG_JOINED} LIKE ? ESCAPE '\\' AND ${SETTLED_NUMBER})`, params: [likePattern(term)] };
  }
  return {
    text: `(${PG_GRAMS} @> ARRAY[CAST(? AS text)] AND "case_search_like"(c."number", c."text", COALESCE(c."address", ''), ?) AND ${SETTLED_NUMBER})`,
    params: [term, likePattern(term)],
  };
}

/**
 * The condition of the search's GIN indexes (PostgreSQL, migrations-postgres/*_case_search_settled):
 * the case's number is not a registration's placeholder. Every committed case meets it, so it
 * changes no result; a search states it so the planner may take those partial indexes.
 */
const SETTLED_NUMBER = `c."number" !~ '${PLACEHOLDER_TAIL}'`;

/** The indexed expression of "Case_search_trgm_idx" (PostgreSQL), on the case table `c`: chr(1) is SENTINEL. */
const PG_JOINED = `(c."number" || chr(1) || c."text" || chr(1) || COALESCE(c."address", ''))`;

/**
 * The indexed expression of "Case_search_number_idx" (PostgreSQL, migrations-postgres/
 * *_case_search_number), on the case table `c`: of each run of ASCII letters, digits and '-'
 * holding a digit in the joined columns, every piece of PG_NUMBER_GRAM characters holding a digit.
 * A number fragment (JH-YYYYMMDD-SEQ: 261105-00) through pg_trgm intersected the lists of its digit
 * trigrams, which every case number feeds (~300-500 index pages, 5-7 ms at 1M cases); its pieces
 * here are a day's cases or fewer. Exact: a term of those characters only lies within one such run,
 * so the run holds each of its pieces, and the LIKE rechecks what the pieces find.
 */
const PG_NUMBER_GRAMS = `"case_search_number_grams"(${PG_JOINED})`;
/** The pieces' length in "case_search_number_grams": the two must agree. */
const PG_NUMBER_GRAM = 6;

/**
 * The pieces of a number-shaped term (ASCII letters, digits and '-' only, a digit among them, at
 * least PG_NUMBER_GRAM long) that "case_search_number_grams" indexes: those holding a digit. Null
 * for any other term (its search keeps the trigram index).
 */
export function pgNumberGrams(term: string): string[] | null {
  if (term.length < PG_NUMBER_GRAM || !/^[0-9A-Za-z-]+$/.test(term) || !/[0-9]/.test(term)) return null;
  const grams = new Set<string>();
  for (let i = 0; i + PG_NUMBER_GRAM <= term.length; i++) {
    const gram = term.slice(i, i + PG_NUMBER_GRAM);
    if (/[0-9]/.test(gram)) grams.add(gram);
  }
  return [...grams];
}

/** The indexed expression of "Case_search_chars_idx" (PostgreSQL), on the case table `c`. */
const PG_GRAMS = `"case_search_grams"(c."number" || c."text" || COALESCE(c."address", ''))`;

/** The FTS5 condition on "CaseSearch" for a term (SQLite; the term holds no sentinel). */
function ftsMatch(term: string): { text: string; params: string[] } {
  const folded = asciiLower(term);
  const length = [...folded].length;
  if (length >= 3) return { text: `"CaseSearch" MATCH ?`, params: [phrase(folded)] };
  // The trigrams beginning with the term: a range of the vocabulary (its terms are in byte
  // order; U+10FFFF sorts after any character that can follow), the prefix checked exactly.
  // No such trigram: the phrase '""' matches nothing.
  return {
    text: `"CaseSearch" MATCH (
      SELECT COALESCE(group_concat('"' || replace(t."term", '"', '""') || '"', ' OR '), '""')
      FROM "CaseSearchTerm" t WHERE ${VOCABULARY_RANGE})`,
    params: vocabularyParams(term),
  };
}

/**
 * How a search's matches are best tested, by how many there are (SQLite's caseTextMatches;
 * PostgreSQL's pgSearchBreadth, where 'many' and 'most' both walk with the plain LIKE):
 * - few (under SEARCH_MANY_FROM): fetched by id from the index; a walk could cross a whole
 *   index to meet them. Counted exactly.
 * - many: a page walks its index (the scope's, the order's) and tests each case with LIKE: a
 *   common word (垃圾: 49,830 of 1,000,000 cases) meets a page's 21 matches in a few hundred
 *   cases, where fetching every match by id cost as many table lookups per statement. A count
 *   (capped) walks the index's matches and fetches each case by id until it has enough.
 * - most (a character or two beginning more than VOCABULARY_MOST trigrams: 路 begins 123 at
 *   1M cases and is in 888,336 of them): LIKE throughout, since OR'ing that many trigrams
 *   costs more than reading the cases, nearly all of which match.
 */
export type SearchBreadth = 'few' | 'many' | 'most';
export const SEARCH_MANY_FROM = 2000;

/**
 * A search's total is exact up to here; past it the list says "more than" (CasePage
 * totalIsLowerBound) instead of counting every match (垃圾: 49,830 at 1M cases, and a team
 * lead's count fetches each of the street's matches by id: 13 cases tested for each one kept).
 * Ten pages of 20: past that, staff narrow the search rather than read on; keyset paging still
 * goes to the end. A count costs about this many case lookups (a district-wide search) or 13
 * times as many (a street's: 20-50 ms at 1M cases), so a higher cap costs a team lead's search
 * in proportion.
 */
export const SEARCH_TOTAL_CAP = 200;

/**
 * What caseTextMatches keeps between requests, one per database client (speed only: results are
 * always LIKE's): SQLite's 'most' terms and the trigrams of short terms looked up, PostgreSQL's
 * sample of the searched cases.
 */
export interface SearchMemory {
  mostTerms: Set<string>;
  vocabulary: Map<string, KnownTrigrams>;
  pgSample: PgTermSample;
}
export const searchMemory = (): SearchMemory => ({
  mostTerms: new Set(),
  vocabulary: new Map(),
  pgSample: { values: [], elements: new Map(), uses: 0 },
});

/**
 * How many cases hold the term, from the index alone (SQLite: its matches are exactly the
 * cases found, one row per case), counted only under SEARCH_MANY_FROM (null past it), and so
 * its breadth; null for a term holding the sentinel. PostgreSQL counts nothing: its breadth
 * comes from ANALYZE's sample (pgSearchBreadth), matches null.
 */
export async function caseTextMatches(
  dialect: Engine,
  read: (sql: string, ...args: string[]) => Promise<Array<Record<string, unknown>>>,
  term: string,
  memory: SearchMemory = searchMemory(),
  street?: FoundTerm['street'],
): Promise<{ matches: number | null; breadth: SearchBreadth; found?: FoundTerm; share?: number } | null> {
  const { mostTerms, vocabulary, pgSample } = memory;
  if (term.includes(SENTINEL)) return null;
  if (dialect === 'postgres') {
    const share = await pgSearchBreadth(read, term, pgSample);
    return { matches: null, breadth: share >= PG_MOST_FROM ? 'most' : share >= PG_MANY_FROM ? 'many' : 'few', share };
  }
  const folded = asciiLower(term);
  const short = [...folded].length < 3;
  if (short && mostTerms.has(folded)) return { matches: null, breadth: 'most' };
  // One statement: the term's FTS5 query (one or two characters: the trigrams beginning with it,
  // from the vocabulary, which reads each one's whole list of cases to count them: once here,
  // VOCABULARY_MOST + 1 at most), then the ids of its newest matches up to SEARCH_MANY_FROM (an
  // exact count of a common word's cost as much as the list: 垃圾, 43 ms for 49,830), and the
  // newest case id, past which a case was written since (FoundTerm). A character or two that
  // begins more than VOCABULARY_MOST trigrams is taken for 'most' unasked (路 begins 123 at 1M
  // cases; 垃圾 8, 烤 6): OR'ing that many costs more than the LIKE.
  // The trigrams of a term this client looked up before are taken again as they were while the
  // index is unchanged: its structure record (FTS5's "_data" row 10) is rewritten by every write
  // to the index, so equal records mean an equal vocabulary. CASE reads the vocabulary only when
  // they differ (垃圾: 1.5 ms, nothing when known).
  const known = vocabulary.get(folded);
  const query = short
    ? `WITH v AS MATERIALIZED (SELECT t."term" FROM "CaseSearchTerm" t WHERE ${VOCABULARY_RANGE} LIMIT ${VOCABULARY_MOST + 1}),
      s AS MATERIALIZED (SELECT (SELECT hex(d."block") FROM "CaseSearch_data" d WHERE d."id" = 10) AS "b"),
      q AS MATERIALIZED (SELECT
        CASE WHEN s."b" = ? THEN CAST(? AS INTEGER) ELSE (SELECT COUNT(*) FROM v) END AS "k",
        CASE WHEN s."b" = ? THEN ? ELSE (SELECT COALESCE(group_concat('"' || replace(v."term", '"', '""') || '"', ' OR '), '""') FROM v) END AS "m",
        s."b" AS "s" FROM s)`
    : `WITH q AS (SELECT 0 AS "k", ? AS "m", NULL AS "s")`;
  // With `street` (a team lead's), where the district's matches are many and sparse (SPARSE_SPAN:
  // a rare word, 露天烧烤: 7,154 of 1M cases), the same query within the street, answered by the
  // index's "street" column (migrations/*_case_search_street): ~600 matches, all of them, where
  // counting 201 of the street's fetched ~2,400 of the district's cases scattered over the file to
  // test their street (1 ms where that count took 2-5). Only where the street should hold fewer
  // than STREET_FEW_EXPECTED: its cases ("CaseTally") at the density of the district's newest
  // SEARCH_MANY_FROM matches (露天烧烤: 2,000 in 277,000 ids, 万松街道's 84,000 cases: ~600; it
  // has 596). Denser ones keep the district's (噪声: ~2,300 expected; the street's query cost 2 ms
  // to find 2,000 and be dropped). In rowid order, which the index walks faster than backwards:
  // under SEARCH_MANY_FROM they are all the street's, and past it they are not used.
  // Otherwise, past SEARCH_MANY_FROM in the district (a common word: 垃圾, ~50,000 of 1M cases,
  // ~4,400 in 万松街道), how many the street holds, counted up to SEARCH_TOTAL_CAP + 1 (a number,
  // not a JSON array: FoundTerm.streetMatches): the first page's capped count walked the district's
  // matches and fetched each case to test its street (~2,600 for 201 of the street's: 4.7 ms),
  // where the index's "street" column says it in 0.25 ms.
  const streetToken = `'(' || q."m" || ') AND street : "' || char(1, ${STREET_TOKEN_BASE} + ?, 1) || '"'`;
  const inStreet =
    street === undefined
      ? { text: 'NULL', params: [] }
      : {
          text: `CASE WHEN json_extract(f."found", '$[0]') >= ${SEARCH_MANY_FROM} AND f."to" - json_extract(f."found", '$[1]') > ${SPARSE_SPAN}
            AND ${SEARCH_MANY_FROM} * (SELECT COALESCE(SUM(t."n"), 0) FROM "CaseTally" t WHERE t."streetId" = ?) < ${STREET_FEW_EXPECTED} * (f."to" - json_extract(f."found", '$[1]')) THEN (
            SELECT json_array(COUNT(*), MIN(s."r"), json_group_array(s."r"))
            FROM (SELECT "rowid" AS "r" FROM "CaseSearch" WHERE "CaseSearch" MATCH ${streetToken} LIMIT ${SEARCH_MANY_FROM}) AS s
          ) WHEN json_extract(f."found", '$[0]') >= ${SEARCH_MANY_FROM} THEN (
            SELECT COUNT(*) FROM (SELECT 1 FROM "CaseSearch" WHERE "CaseSearch" MATCH ${streetToken} LIMIT ${SEARCH_TOTAL_CAP + 1}) AS s
          ) END`,
          params: [String(street.id), String(street.id), String(street.id)],
        };
  const [row] = await read(
    `${query},
    f AS MATERIALIZED (SELECT CASE WHEN q."k" > ${VOCABULARY_MOST} THEN NULL ELSE (
      SELECT json_array(COUNT(*), MIN(s."r"), json_group_array(s."r"))
      FROM (SELECT "rowid" AS "r" FROM "CaseSearch" WHERE "CaseSearch" MATCH q."m" ORDER BY "rowid" DESC LIMIT ${SEARCH_MANY_FROM}) AS s
    ) END AS "found", (SELECT MAX(c."id") FROM "Case" c) AS "to" FROM q)
    SELECT q."k" AS "terms", q."m" AS "query", f."found" AS "found", f."to" AS "to", q."s" AS "structure",
      ${inStreet.text} AS "street" FROM q CROSS JOIN f`,
    ...(short
      ? [
          ...vocabularyParams(term),
          ...[known?.structure ?? '', known?.terms ?? 0, known?.structure ?? '', known?.query ?? ''].map(String),
        ]
      : [phrase(folded)]),
    ...inStreet.params,
  );
  if (short && typeof row?.structure === 'string') {
    if (vocabulary.size >= MOST_TERMS_KEPT) vocabulary.clear();
    vocabulary.set(folded, { structure: row.structure, terms: Number(row.terms), query: String(row.query) });
  }
  if (Number(row?.terms ?? 0) > VOCABULARY_MOST) {
    // Remembered (mostTerms): the vocabulary reads each trigram's whole list of cases to count
    // them (路: 41 ms), and the trigrams beginning with a term only grow as cases are written.
    if (mostTerms.size >= MOST_TERMS_KEPT) mostTerms.clear();
    mostTerms.add(folded);
    return { matches: null, breadth: 'most' };
  }
  const [n, from, ids] = JSON.parse(String(row?.found)) as [number, number | null, unknown[]];
  const found = { query: String(row?.query), ids: JSON.stringify(ids), from: from ?? 0, to: Number(row?.to ?? 0) };
  if (street !== undefined && typeof row?.street === 'string') {
    const [k, first, own] = JSON.parse(row.street) as [number, number | null, unknown[]];
    // Under SEARCH_MANY_FROM these are all the street's matches; past it, the district's as above.
    if (k < SEARCH_MANY_FROM)
      return { matches: null, breadth: 'few', found: { ...found, ids: JSON.stringify(own), from: first ?? 0, street } };
  }
  // (A count: a number, or a bigint as the driver may give integers.)
  const streetCount = row?.street;
  if (
    street !== undefined &&
    (typeof streetCount === 'number' || typeof streetCount === 'bigint') &&
    n >= SEARCH_MANY_FROM
  )
    return {
      matches: null,
      breadth: 'many',
      found: { ...found, streetMatches: { id: street.id, atLeast: Number(streetCount) } },
    };
  return n < SEARCH_MANY_FROM ? { matches: n, breadth: 'few', found } : { matches: null, breadth: 'many', found };
}

/** A term of one or two characters as caseTextMatches last looked it up (per client). */
export interface KnownTrigrams {
  /** the index's structure record then (hex) */
  structure: string;
  /** how many trigrams begin with the term (VOCABULARY_MOST + 1 at most) */
  terms: number;
  query: string;
}

/**
 * A term's matches as caseTextMatches read them for one request (SQLite), so that the request's
 * later statements find them from these instead of the index and its vocabulary again: its FTS5
 * query; the ids of its newest matches (a JSON array), every match under SEARCH_MANY_FROM, else
 * the SEARCH_MANY_FROM newest (those from `from` on); `to`, the newest case then.
 */
export interface FoundTerm {
  query: string;
  ids: string;
  from: number;
  to: number;
  /**
   * Set: `ids` are every match within this street (caseTextMatches' `street`), not the district's,
   * and the cases outside it that the list may show are `elsewhere` (conditions on the case table
   * `c`: a team lead's own reports and followed cases), whose matches are found with LIKE
   * (caseTextSearchSql).
   */
  street?: { id: number; elsewhere: { text: string; params: Array<string | number> } };
  /**
   * A common word's (the district's matches past SEARCH_MANY_FROM, `ids` theirs): how many of its
   * matches this street holds, counted up to SEARCH_TOTAL_CAP + 1 (caseTextMatches' `street`), so
   * that a team lead's capped total needs no count (listCases).
   */
  streetMatches?: { id: number; atLeast: number };
}

/**
 * PostgreSQL: the share of the cases expected to hold a term, which caseTextMatches makes 'most'
 * (PG_MOST_FROM), 'many' (PG_MANY_FROM) or 'few' (and which listCases weighs), from the
 * statistics ANALYZE keeps of the two search indexes (statistics target 1000,
 * migrations-postgres/*_case_search_trgm and *_case_search_chars), read once per PG_SAMPLE_USES
 * searches: the share of cases holding each character and pair of characters (the commonest
 * 2,800 of them, counted over 300,000 cases), and 1,001 cases (the histogram of the joined
 * columns). A term of one or two characters is its element's share. A longer one is the
 * histogram's share, but never more than that of its rarest pair: the histogram alone said 1.1%
 * and 1.7% for words in 0.7% of the cases (家禽家畜, 飞线充电), and a team lead's list walked
 * 29,000 of the street's cases for them; the pairs alone would say 3% for 垃圾噪声, in no case.
 * 'many' searches with the plain LIKE (caseTextSearchSql): a count (capped) or a page walks the
 * cases and meets enough matches in a few thousand (垃圾, 5% of 1M: 201 in ~4,000, 2 ms), where
 * the index built the bitmap of every match first (50,000: 28 ms), and where the planner, unable
 * to see through "case_search_like", chose that bitmap. No statistics (a new database): 'few'.
 */
export interface PgTermSample {
  values: string[];
  elements: Map<string, number>;
  uses: number;
}
async function pgSearchBreadth(
  read: (sql: string, ...args: string[]) => Promise<Array<Record<string, unknown>>>,
  term: string,
  sample: PgTermSample,
): Promise<number> {
  if (sample.uses++ % PG_SAMPLE_USES === 0 || sample.values.length < PG_SAMPLE_MIN) {
    const stats = (index: string) => `p."schemaname" = current_schema() AND p."tablename" = '${index}'`;
    const rows = await read(
      `SELECT s."v" AS "v", CAST(NULL AS real) AS "f" FROM pg_stats p CROSS JOIN unnest(CAST(CAST(p."histogram_bounds" AS text) AS text[])) AS s("v") WHERE ${stats('Case_search_trgm_idx')}
      UNION ALL SELECT u."e", u."f" FROM pg_stats p CROSS JOIN unnest(CAST(CAST(p."most_common_elems" AS text) AS text[]), p."most_common_elem_freqs") AS u("e", "f") WHERE ${stats('Case_search_chars_idx')} AND u."e" IS NOT NULL`,
    );
    sample.values = rows.filter((r) => r.f === null).map((r) => String(r.v));
    sample.elements = new Map(rows.filter((r) => r.f !== null).map((r) => [String(r.v), Number(r.f)]));
  }
  if (sample.values.length < PG_SAMPLE_MIN) return 0;
  const chars = [...term];
  // An element not among the commonest is rarer than any of them: 'few'.
  const elementShare = (element: string) => sample.elements.get(element) ?? 0;
  return chars.length < 3
    ? elementShare(term)
    : Math.min(
        sample.values.filter((v) => v.includes(term)).length / sample.values.length,
        ...chars.slice(1).map((ch, i) => elementShare(chars[i]! + ch)),
      );
}
/**
 * 10%: 'most' walks within a street too (唐家墩路, 14%: 201 of a team lead's matches in 8 ms); a
 * 'many' term walks a team lead's own street through its index (pgWalkArms), and keeps the
 * index of the search within a street filter or a department (listPlan), where the walk meets
 * the street's cases among all the others (广告, 2.2%: 110,000 cases walked for 201, 0.3 s).
 */
const PG_MOST_FROM = 0.1;
/** 1.5%: a rare word (露天烧烤, 烤: 0.7% of the cases) keeps the index; 广告 (2.2%) walks. */
const PG_MANY_FROM = 0.015;
const PG_SAMPLE_USES = 1000;
/** Fewer values say too little (a small table's histogram holds each of its rows). */
const PG_SAMPLE_MIN = 500;

const SENTINEL = '\u0001';

/**
 * The "street" column of "CaseSearch" holds char(1), this code point + streetId, char(1)
 * (migrations/*_case_search_street): the two must agree.
 */
const STREET_TOKEN_BASE = 0xf0000;

/** See caseTextMatches: a street's matches are asked for where about this many are expected, or fewer. */
const STREET_FEW_EXPECTED = 1500;

/** Sparse matches (caseTextSearchSql): the newest SEARCH_MANY_FROM span more case ids than this (under one in 30). */
const SPARSE_SPAN = 30 * SEARCH_MANY_FROM;

/** See caseTextMatches. */
const VOCABULARY_MOST = 64;
/** How many 'most' terms caseTextMatches remembers at most (one or two characters each). */
const MOST_TERMS_KEPT = 4096;

/** The trigrams of "CaseSearchTerm" (alias t) that begin with a term: vocabularyParams(term). */
const VOCABULARY_RANGE = `t."term" >= ? AND t."term" < ? AND substr(t."term", 1, length(?)) = ?`;
const vocabularyParams = (term: string) => {
  const folded = asciiLower(term);
  return [folded, `${folded}\u{10FFFF}`, folded, folded];
};

/** LIKE's pattern for a substring: its own wildcards and the escape character escaped. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** SQLite's lower() and LIKE fold ASCII letters only (no ICU): so must the term. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

/** An FTS5 phrase: the text in double quotes, its own double quotes doubled; nothing else is special there. */
const phrase = (text: string) => `"${text.replace(/"/g, '""')}"`;
