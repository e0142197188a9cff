import { parseTerm } from '../power-list/keyword-syntax-fns.ts';
import type { PowerItem } from '../power-list/power-list-types.ts';

/** One GeoReport v2 service (GET services), element names as the specification orders them. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: Array<{ key: string; name: string }>;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

const LEVEL_LABELS: Record<PowerItem['level'], string> = {
  street: '街道承办',
  district: '区城市管理执法局承办',
  department: '移送相关部门',
};

/** How many keywords a service lists: enough for a client's search box, not the classifier's vocabulary. */
const MAX_KEYWORDS = 12;

/** The post (岗位) for street and district items, the department for referrals: what a client groups by. */
export function serviceGroup(item: Pick<PowerItem, 'post' | 'department' | 'level'>): string {
  return item.post ?? item.department ?? LEVEL_LABELS[item.level];
}

function deadlineText(item: PowerItem): string {
  const unit = item.timeBasis === 'working' ? '工作小时' : '小时';
  return `受理时限${item.responseHours}${unit}，办结时限${item.handlingHours}${unit}${item.urgent ? '（紧急事项）' : ''}`;
}

/**
 * Gridline files every report the moment it arrives and answers with the case number, so each
 * service is `realtime`. `metadata` is true: the definition tells a client the legal basis
 * and the deadlines (information-only attributes, `variable` false, as the spec provides).
 */
export function toOpen311Service(item: PowerItem): Open311Service {
  return {
    service_code: item.code,
    service_name: item.name,
    description: item.description ?? `${LEVEL_LABELS[item.level]}：${serviceGroup(item)}。${deadlineText(item)}`,
    metadata: true,
    type: 'realtime',
    keywords: item.keywords
      .map((k) => parseTerm(k).text)
      .filter(Boolean)
      .slice(0, MAX_KEYWORDS)
      .join(', '),
    group: serviceGroup(item),
  };
}

export function toServiceDefinition(item: PowerItem): Open311ServiceDefinition {
  const info = (order: number, code: string, description: string): Open311Attribute => ({
    variable: false,
    code,
    datatype: 'string',
    required: false,
    datatype_description: '',
    order,
    description,
    values: [],
  });
  return {
    service_code: item.code,
    attributes: [
      info(1, 'HANDLER', `${LEVEL_LABELS[item.level]}：${serviceGroup(item)}`),
      info(2, 'DEADLINE', deadlineText(item)),
      info(3, 'LEGAL_BASIS', `执法依据：${item.legalBasis}`),
    ],
  };
}
