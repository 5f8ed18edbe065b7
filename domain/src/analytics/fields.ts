/**
 * The profile fields analysts may filter, facet, sort and export by.
 * A whitelist: the analytics endpoint accepts no other field, so the browser
 * never reaches Elasticsearch fields it should not see (search keys, emails).
 */

export type FieldKind = 'keyword' | 'number' | 'date';

export interface AnalyticsField {
  kind: FieldKind;
  label: string;
}

export const analyticsFields = {
  segment: { kind: 'keyword', label: 'Segment' },
  segments: { kind: 'keyword', label: 'Saved segments' },
  status: { kind: 'keyword', label: 'Status' },
  language: { kind: 'keyword', label: 'Language' },
  tags: { kind: 'keyword', label: 'Tags' },
  channels: { kind: 'keyword', label: 'Channels' },
  products: { kind: 'keyword', label: 'Products' },
  categories: { kind: 'keyword', label: 'Categories' },
  preferredSalesChannel: { kind: 'keyword', label: 'Preferred sales channel' },
  sources: { kind: 'keyword', label: 'Sources' },
  company: { kind: 'keyword', label: 'Company' },
  consentGranted: { kind: 'keyword', label: 'Consent granted (channel or channel:purpose)' },
  openTicketPriorities: { kind: 'keyword', label: 'Open ticket priorities' },
  'address.city': { kind: 'keyword', label: 'City' },
  'address.postalCode': { kind: 'keyword', label: 'Postal code' },
  'address.country': { kind: 'keyword', label: 'Country' },
  'kpis.currency': { kind: 'keyword', label: 'Currency' },
  'kpis.lifetimeValue': { kind: 'number', label: 'Lifetime value' },
  'kpis.orderCount': { kind: 'number', label: 'Orders' },
  'kpis.averageOrderValue': { kind: 'number', label: 'Average order value' },
  'kpis.returnCount': { kind: 'number', label: 'Returns' },
  'kpis.openTickets': { kind: 'number', label: 'Open tickets' },
  'kpis.complaints12m': { kind: 'number', label: 'Complaints (12 months)' },
  'kpis.activeContracts': { kind: 'number', label: 'Active contracts' },
  'kpis.monthlyRevenue': { kind: 'number', label: 'Monthly revenue (ARPU)' },
  'kpis.cancellations12m': { kind: 'number', label: 'Cancellations (12 months)' },
  'kpis.lastNps': { kind: 'number', label: 'Last NPS' },
  'kpis.lastCsat': { kind: 'number', label: 'Last CSAT' },
  'kpis.touchpointCount': { kind: 'number', label: 'Touchpoints' },
  'kpis.firstOrderAt': { kind: 'date', label: 'First order' },
  'kpis.lastOrderAt': { kind: 'date', label: 'Last order' },
  'kpis.lastContactAt': { kind: 'date', label: 'Last contact' },
  'kpis.nextContractEnd': { kind: 'date', label: 'Next contract end' },
  birthDate: { kind: 'date', label: 'Birth date' },
  firstSeenAt: { kind: 'date', label: 'First seen' },
  lastSeenAt: { kind: 'date', label: 'Last seen' },
  updatedAt: { kind: 'date', label: 'Profile updated' },
} as const satisfies Record<string, AnalyticsField>;

export type AnalyticsFieldName = keyof typeof analyticsFields;

function fieldsOf(kind: FieldKind): [AnalyticsFieldName, ...AnalyticsFieldName[]] {
  return (Object.keys(analyticsFields) as AnalyticsFieldName[]).filter(
    (f) => analyticsFields[f].kind === kind,
  ) as [AnalyticsFieldName, ...AnalyticsFieldName[]];
}

export const keywordFields = fieldsOf('keyword');
export const numberFields = fieldsOf('number');
export const dateFields = fieldsOf('date');
export const allFields = Object.keys(analyticsFields) as [
  AnalyticsFieldName,
  ...AnalyticsFieldName[],
];

/** Columns of the results table and the CSV export: the fields plus the identity of the row. */
export const columnNames = [
  'id',
  'name',
  'email',
  'phone',
  'customerNumber',
  ...allFields,
] as const;
export type ColumnName = (typeof columnNames)[number];
export const defaultColumns: ColumnName[] = [
  'name',
  'customerNumber',
  'address.city',
  'segment',
  'kpis.lifetimeValue',
];

/**
 * Fields that managers and analysts see only coarsened (server/src/privacy/masking.ts):
 * the birth year, the postal region (first two characters), the initials of a
 * company. They may not filter, aggregate or sort by them any finer than that
 * (server/src/privacy/oracles.ts); the UI leaves them out of its facets for those roles.
 */
export const coarsenedFields = {
  birthDate: 'year',
  'address.postalCode': 'region',
  company: 'initials',
} as const satisfies Partial<Record<AnalyticsFieldName, string>>;

/** Columns that are personal data shown masked to managers and analysts; never a sort key for them. */
export const maskedColumns: readonly ColumnName[] = [
  'name',
  'email',
  'phone',
  'customerNumber',
  'birthDate',
  'address.postalCode',
  'company',
];
