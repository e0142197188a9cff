import type { ItemScore } from '../classify/item-scoring-fns.ts';
import { createClassifier } from '../classify/classifier.ts';
import { createDefaultTokenizer } from '../classify/default-tokenizer.ts';
import { MAX_ANALYSED_CHARS } from '../classify/text-normalize-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';
import type { Tokenizer } from '../classify/tokenizer.ts';
import type { Jurisdiction } from '../geo/geo-types.ts';
import type { PlaceMemoryPort } from '../geo/place-memory.ts';
import type { PowerItem, PowerList } from '../power-list/power-list-types.ts';
import { classifyLetter } from '../classify/letter-classify-fns.ts';
import { readLetter } from '../classify/letter-fns.ts';
import { decide } from './decision-fns.ts';
import { letterDecision } from './letter-decision-fns.ts';
import { createLruCache } from './lru-cache.ts';
import type { RoutedItem, Router, RoutingCandidate } from './routing-types.ts';
import { urgentAdvice } from './urgent-advice-fns.ts';
import { locateStreet } from './street-locate-fns.ts';

export interface RouterOptions {
  powerList: PowerList;
  jurisdiction: Jurisdiction;
  /** Defaults to jieba with its bundled dictionary plus the list's words. */
  tokenizer?: Tokenizer;
  /**
   * Texts whose classification is kept (default none). A chat routes the same words again as
   * the draft grows and once more when it is filed, so the app keeps some; the routing
   * benchmark and the eval measure the classifier itself.
   */
  classificationCache?: number;
  /** What staff confirmed about places (core/geo/place-memory.ts); consulted before the street areas. */
  placeMemory?: PlaceMemoryPort | null;
}

const CANDIDATES = 5;

export function toRoutedItem(item: PowerItem, version: string): RoutedItem {
  const { code, name, post, department, level, legalBasis, responseHours, handlingHours, timeBasis, urgent, mode721 } =
    item;
  return {
    code,
    name,
    version,
    post,
    department,
    level,
    legalBasis,
    responseHours,
    handlingHours,
    timeBasis,
    urgent,
    mode721,
  };
}

function toCandidate(lexicon: Lexicon, s: ItemScore): RoutingCandidate {
  const item = lexicon.items[s.index]!.item;
  return { code: item.code, name: item.name, score: Math.round(s.score * 100) / 100, evidence: s.evidence };
}

export function createRouter(options: RouterOptions): Router {
  const { powerList, jurisdiction } = options;
  const tokenizer = options.tokenizer ?? createDefaultTokenizer(powerList);
  const classifier = createClassifier({ powerList, tokenizer });
  const { lexicon } = classifier;
  const cacheSize = options.classificationCache ?? 0;
  const classified = createLruCache<ReturnType<typeof classifier.classify>>(cacheSize);
  const classify = (text: string) => {
    if (cacheSize === 0) return classifier.classify(text);
    let c = classified.get(text);
    if (!c) classified.set(text, (c = classifier.classify(text)));
    return c;
  };
  return {
    version: powerList.version,
    route(input) {
      const body = typeof input.text === 'string' ? input.text : '';
      const text = input.title ? `${input.title}。\n${body}` : body;
      // Letters (a title, formulae, numbered matters) are read as an official reads them: core/classify/letter-fns.ts.
      const letter = readLetter(input.title, body);
      const c = letter.isLetter ? classifyLetter(classify, letter) : classify(text);
      const d = letter.isLetter
        ? letterDecision(lexicon, decide(lexicon, c, input.reporter), letter, classify)
        : decide(lexicon, c, input.reporter);
      // Place names in a letter come early; reading all of a huge text only costs time.
      const placeText = text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS) : text;
      const where = placeText === input.text ? input : { ...input, text: placeText };
      const street = locateStreet(jurisdiction, where, options.placeMemory);
      const reasons = [...d.reasons];
      if (street.reason) reasons.push(street.reason);
      return {
        handling: d.handling,
        post: d.post,
        department: d.department,
        item: d.item ? toRoutedItem(d.item, powerList.version) : null,
        confidence: d.confidence,
        urgent: d.urgent,
        urgentAdvice: d.urgent ? urgentAdvice(d.urgencyKind) : null,
        street,
        candidates: d.ranked.slice(0, CANDIDATES).map((s) => toCandidate(lexicon, s)),
        needsTriage: d.needsTriage,
        reasons,
      };
    },
  };
}
