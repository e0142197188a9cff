// Wires the domain services to the database. Called by main.ts (the composition root) and by
// tests, so both run exactly the same assembly; it creates nothing global.
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import { BOT_MESSAGES } from '../bot/bot-messages.ts';
import { SCHEDULE_MESSAGES } from '../core/schedule/schedule-messages.ts';
import { CASE_MESSAGES } from '../core/case/case-messages.ts';
import { createCaseServices, type CaseServices } from '../core/case/case-services.ts';
import { createReportService, type ReportService } from '../core/case/report-service.ts';
import { type HolidayCalendar } from '../core/deadlines/holiday-calendar.ts';
import { loadHolidayCalendarSync } from '../config/holiday-calendar-file.ts';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import type { Jurisdiction } from '../core/geo/geo-types.ts';
import { createPlaceMemory, type PlaceMemoryPort } from '../core/geo/place-memory.ts';
import type { TemplateCatalogue } from '../core/messaging/template-fns.ts';
import { loadPowerListFileSync } from '../config/power-list-file.ts';
import { defaultPowerListPath } from '../config/power-list-file.ts';
import { createRouter } from '../core/routing/router.ts';
import { createLlmAssist } from './create-llm-assist.ts';
import type { Router } from '../core/routing/routing-types.ts';
import { createPhotoEvidence, type PhotoEvidence } from '../core/evidence/photo-evidence.ts';
import type { FileStore } from '../core/evidence/file-store-port.ts';
import { openFileStore } from '../storage/file-store-from-config.ts';
import { createAttachmentStore } from '../db/attachment-store.ts';
import { createCaseStore } from '../db/case-store.ts';
import { loadPlaceCorrections } from '../db/place-correction-store.ts';
import { createOutboxStore, type OutboxStore } from '../db/outbox-store.ts';
import { activePowerList } from '../db/power-list-store.ts';
import type { Db } from '../db/prisma-client.ts';
import { createTemplateStore, type TemplateStore } from '../db/template-store.ts';
import { loadHotlineMappingSync } from '../config/hotline-mapping-file.ts';
import { createHotlineImportService, type HotlineImportService } from '../core/hotline/hotline-import-service.ts';
import type { HotlineMapping } from '../core/hotline/hotline-mapping.ts';
import { createHotlineStore } from '../db/hotline-store.ts';

export interface Domain {
  router: Router;
  jurisdiction: Jurisdiction;
  places: PlaceMemoryPort;
  cases: CaseServices;
  reports: ReportService;
  evidence: PhotoEvidence;
  /** Where photo and voice files live (FILES_STORE): routes stream from it. */
  files: FileStore;
  outbox: OutboxStore;
  templates: TemplateStore;
  messages: TemplateCatalogue;
  calendar: HolidayCalendar;
  clock: () => Date;
  /** 12345 work orders: the import and the layout (HOTLINE_MAPPING) exports are written in. */
  hotline: { imports: HotlineImportService; mapping: HotlineMapping };
}

export interface DomainOptions {
  db: Db;
  config: Config;
  logger: Logger;
  clock?: () => Date;
  /** Extra message defaults (bot texts, scheduler texts) editable like the case messages. */
  messageDefaults?: Record<string, string>;
}

export async function createDomain(opts: DomainOptions): Promise<Domain> {
  const { db, config, logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  // Route with the list the administrator made active; the bundled file only before any import.
  const powerList = (await activePowerList(db)) ?? loadPowerListFileSync(defaultPowerListPath());
  const jurisdiction = createBundledJurisdiction();
  // What staff confirmed about places, loaded once; each new confirmation is added as it commits.
  const places = createPlaceMemory(await loadPlaceCorrections(db), {
    codeOf: (s) => jurisdiction.resolveStreet(s)?.code ?? null,
  });
  const router = createRouter({ powerList, jurisdiction, classificationCache: 512, placeMemory: places });
  const templates = createTemplateStore(db, {
    ...CASE_MESSAGES,
    ...BOT_MESSAGES,
    ...SCHEDULE_MESSAGES,
    ...opts.messageDefaults,
  });
  const { ignored } = await templates.load();
  if (ignored.length) logger.warn({ ignored }, 'message template overrides ignored');
  const messages = templates.catalogue((p) => logger.warn({ template: p }, 'message template problem'));
  const calendar = loadHolidayCalendarSync();
  const outbox = createOutboxStore(db, { clock, leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 });
  const store = createCaseStore(db, (tx, ids, message, key, caseId) =>
    outbox.enqueueForPeople(tx, ids, message, key, caseId),
  );
  const cases = createCaseServices({
    store,
    clock,
    // Staff cards link the case's page, with its map and photos.
    messages: { t: (key, vars) => messages.t(key, vars), caseUrl: (n) => `${config.PUBLIC_URL}/cases/${n}` },
    calendar,
    places,
    verification: {
      withinWorkingHours: config.VERIFY_WITHIN_WORKING_HOURS,
      farM: config.VERIFY_FAR_M,
      jurisdiction,
    },
    settings: {
      casePrefix: config.CASE_NUMBER_PREFIX,
      duplicateRadiusM: config.DUPLICATE_RADIUS_M,
      duplicateWindowHours: config.DUPLICATE_WINDOW_HOURS,
      minConfidence: config.ROUTING_MIN_CONFIDENCE,
      reportsPerHour: { resident: config.REPORTS_PER_HOUR, staff: config.STAFF_REPORTS_PER_HOUR },
    },
  });
  const assisted = createLlmAssist(config, logger, { router, powerList, clock });
  if (assisted) logger.info({ model: config.LLM_MODEL }, 'LLM routing assistance on');
  const streetNames = new Map(
    (await db.street.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]),
  );
  const reports = createReportService({
    router,
    assisted,
    cases,
    minConfidence: config.ROUTING_MIN_CONFIDENCE,
    streetNameOf: (id) => streetNames.get(id) ?? null,
  });
  const { files } = await openFileStore(config);
  logger.info({ files: files.describe }, 'photo and voice files');
  const evidence = createPhotoEvidence({
    files,
    maxBytes: config.PHOTO_MAX_BYTES,
    store: createAttachmentStore(db),
    clock,
    logger,
  });
  const mapping = loadHotlineMappingSync(config.HOTLINE_MAPPING);
  const hotline = {
    mapping,
    imports: createHotlineImportService({
      intake: reports,
      store: createHotlineStore(db),
      clock,
      calendar,
      mapping,
    }),
  };
  return {
    router,
    jurisdiction,
    places,
    cases,
    reports,
    evidence,
    files,
    outbox,
    templates,
    messages,
    calendar,
    clock,
    hotline,
  };
}
