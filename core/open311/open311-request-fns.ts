import { coarseLocation, redactPersonalData } from '../case/anonymise-fns.ts';
import { handlerName } from '../case/case-format-fns.ts';
import { STATUS_LABELS, type CaseStatus, type Handling } from '../case/case-types.ts';
import { isPublishedCase } from '../case/case-visibility-fns.ts';
import { w3cDateTime } from './open311-date-fns.ts';
import { detailedStatus, open311Status, type DetailedStatus, type Open311Status } from './open311-status-fns.ts';

/**
 * What GET requests may know about a case: an allow-list, like db/public-case-queries.ts. No
 * report text, reporter, contact, chat id or exact address is ever selected.
 */
export interface Open311CaseRecord {
  number: string;
  status: CaseStatus;
  handling: Handling | null;
  itemCode: string | null;
  itemName: string | null;
  streetName: string | null;
  departmentName: string | null;
  lat: number | null;
  lng: number | null;
  /** The handler's outcome (办结情况), or for a rejected case the stated reason; redacted here. */
  note: string | null;
  mergedIntoNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  /** Ids of the handlers' EXIF-free photo copies (publishablePhoto), oldest first. */
  /** Public keys of the handler's published resolution photos (the public allow-list). */
  photoKeys: string[];
}

/** One request of GET requests, element names and order as in the GeoReport v2 specification. */
export interface Open311Request {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  extended_attributes: {
    /** mySociety's extended state (see open311-status-fns.ts). */
    detailed_status: DetailedStatus;
    /** Gridline's own status, as mySociety's updates carry the back end's code. */
    external_status_code: CaseStatus;
    status_label: string;
    duplicate_of: string | null;
  };
}

const DISTRICT = '武汉市江汉区';

export function toOpen311Request(rec: Open311CaseRecord, opts: { baseUrl: string }): Open311Request {
  const point = coarseLocation(rec.lat, rec.lng);
  const note = rec.mergedIntoNumber
    ? `与案件${rec.mergedIntoNumber}重复，已并入该案件办理`
    : rec.note
      ? redactPersonalData(rec.note)
      : null;
  // The public attachment route serves photos of published (closed) cases only.
  const photo = isPublishedCase(rec) ? rec.photoKeys[0] : undefined;
  return {
    service_request_id: rec.number,
    status: open311Status(rec.status),
    status_notes: note,
    service_name: rec.itemName,
    service_code: rec.itemCode,
    // The resident's own words can name people and places: the public view never carries them.
    description: null,
    agency_responsible: handlerName({
      handling: rec.handling,
      streetName: rec.streetName,
      departmentName: rec.departmentName,
    }),
    service_notice: null,
    requested_datetime: w3cDateTime(rec.createdAt),
    updated_datetime: w3cDateTime(rec.updatedAt),
    expected_datetime: rec.dueAt ? w3cDateTime(rec.dueAt) : null,
    // Street level only, as coarse as the ~100 m coordinates: an exact address could point at a home.
    address: rec.streetName ? `${DISTRICT}${rec.streetName}` : DISTRICT,
    address_id: null,
    zipcode: null,
    lat: point?.lat ?? null,
    long: point?.lng ?? null,
    media_url: photo !== undefined ? `${opts.baseUrl}/api/public/attachments/${photo}` : null,
    extended_attributes: {
      detailed_status: detailedStatus(rec),
      external_status_code: rec.status,
      status_label: STATUS_LABELS[rec.status],
      duplicate_of: rec.mergedIntoNumber,
    },
  };
}
