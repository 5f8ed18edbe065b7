/**
 * No oracles: what managers and analysts may ask, so that no answer tells
 * them more than the masked values they are shown (masking.ts).
 *
 * A masked field is safe in an answer only if it cannot be asked about
 * either. Searching "Schmidt" and getting one hit tells the name behind the
 * initials "A. S."; filtering `address.postalCode = 80331` and reading the
 * count tells the postal code behind "80***". So for these roles:
 *
 * - **No free text** (`q`) anywhere: customer search, timeline, analytics,
 *   export. Any word may be a name, an email, a phone, an order, ticket or
 *   contract number, or a word of a hidden note or ticket subject; telling
 *   them apart is guesswork (a surname is a word like any other), and the
 *   customer search matches names, streets, postal codes and emails by
 *   design. What stays: browsing by the facets that are shown (segment,
 *   city, product, …) and the analytics filters on shown fields.
 * - **Coarsened fields only as coarse as shown** (fields.ts
 *   `coarsenedFields`): the birth date by whole years (a `dateHistogram`
 *   by year, date ranges from 1 January to 31 December), never exact nor
 *   relative to today; the postal code and the company not at all (only
 *   whether there is one, `exists`), since their exact values would be the
 *   only use of a filter or a terms aggregation; no `stats`/`cardinality`
 *   on them, no sorting by them or by the masked name.
 *
 * Each guard does nothing for roles that see the data (admin, agent) and
 * throws 403 `forbidden` saying what is allowed instead.
 */
import type { Role } from '../../../domain/src/api';
import {
  coarsenedFields,
  maskedColumns,
  type ColumnName,
} from '../../../domain/src/analytics/fields';
import type {
  Aggregation,
  AnalyticsQuery,
  DateBound,
  Filter,
} from '../../../domain/src/analytics/query-schema';
import { AppError } from '../errors';
import { listExposure, shownSearchFacets } from './masking';

function masked(role: Role): boolean {
  return listExposure(role) === 'pseudonymized';
}

function refuse(message: string, path: string): never {
  throw new AppError(403, 'forbidden', message, [{ path, message: 'not allowed for your role' }]);
}

function refuseText(role: Role, where: string, path: string): never {
  refuse(
    `Your role (${role}) sees customers pseudonymized, so it cannot search ${where} by text: any word may be a name, an email, a phone or an order, ticket or contract number, or a word of hidden text. Leave ${path} empty and narrow with filters on shown fields instead.`,
    path,
  );
}

const isCoarsened = (field: string): field is keyof typeof coarsenedFields =>
  Object.hasOwn(coarsenedFields, field);

/** `GET /customers/search`: no `q`; only facet filters on shown fields. */
export function guardSearch(
  role: Role,
  query: { q: string; filters: Record<string, string[]> },
): void {
  if (!masked(role)) return;
  if (query.q.trim() !== '') refuseText(role, 'customers', 'q');
  for (const facet of Object.keys(query.filters)) {
    if (!shownSearchFacets.has(facet))
      refuse(
        `Your role (${role}) may filter the customer list only by ${[...shownSearchFacets].map((f) => `f.${f}`).join(', ')}.`,
        `f.${facet}`,
      );
  }
}

/** `GET /customers/{id}/timeline?q=`: no words, since the timeline's text is hidden from these roles. */
export function guardTimelineQuery(role: Role, q: string): void {
  if (!masked(role)) return;
  if (q.trim() !== '') refuseText(role, 'the timeline', 'q');
}

const yearStart = /^\d{4}-01-01$/;
const yearEnd = /^\d{4}-12-31$/;
const wholeYears = (field: string, role: Role) =>
  `Your role (${role}) sees ${field} as the year only: use whole years (from "YYYY-01-01", to "YYYY-12-31" in filters, to "YYYY-01-01" in dateRange aggregations), not exact or relative dates.`;

function checkYearBound(
  role: Role,
  field: string,
  bound: DateBound | undefined,
  pattern: RegExp,
  path: string,
): void {
  if (bound === undefined) return;
  if (typeof bound !== 'string' || !pattern.test(bound)) refuse(wholeYears(field, role), path);
}

function refuseCoarsened(role: Role, field: keyof typeof coarsenedFields, path: string): never {
  const allowed =
    coarsenedFields[field] === 'year'
      ? 'by whole years only (a dateHistogram by year, date ranges of whole years) or with exists'
      : 'only with exists (whether there is one)';
  refuse(
    `Your role (${role}) sees ${field} masked (${coarsenedFields[field]}); it may use it ${allowed}.`,
    path,
  );
}

function walkFilter(role: Role, filter: Filter, path: string): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      filter.filters.forEach((f, i) => walkFilter(role, f, `${path}.filters.${i}`));
      return;
    case 'not':
      walkFilter(role, filter.filter, `${path}.filter`);
      return;
    case 'terms':
    case 'range':
      if (isCoarsened(filter.field)) refuseCoarsened(role, filter.field, `${path}.field`);
      return;
    case 'dateRange':
      if (isCoarsened(filter.field)) {
        if (coarsenedFields[filter.field] !== 'year')
          refuseCoarsened(role, filter.field, `${path}.field`);
        checkYearBound(role, filter.field, filter.from, yearStart, `${path}.from`);
        checkYearBound(role, filter.field, filter.to, yearEnd, `${path}.to`);
      }
      return;
    case 'exists':
      return;
  }
}

/** A filter tree (segments, exports, analytics) and the optional text beside it. */
export function guardFilter(role: Role, filter: Filter | undefined, q?: string): void {
  if (!masked(role)) return;
  if (q !== undefined && q.trim() !== '') refuseText(role, 'customers', 'q');
  if (filter) walkFilter(role, filter, 'filter');
}

function walkAggregation(role: Role, agg: Aggregation, path: string): void {
  switch (agg.type) {
    case 'filter':
      walkFilter(role, agg.filter, `${path}.filter`);
      break;
    case 'dateHistogram':
      if (isCoarsened(agg.field) && agg.interval !== 'year')
        refuseCoarsened(role, agg.field, `${path}.interval`);
      break;
    case 'dateRange':
      if (isCoarsened(agg.field)) {
        if (coarsenedFields[agg.field] !== 'year')
          refuseCoarsened(role, agg.field, `${path}.field`);
        agg.ranges.forEach((r, i) => {
          checkYearBound(role, agg.field, r.from, yearStart, `${path}.ranges.${i}.from`);
          checkYearBound(role, agg.field, r.to, yearStart, `${path}.ranges.${i}.to`);
        });
      }
      break;
    default:
      // terms, histogram, range, stats, percentiles, cardinality: each would show or count exact values.
      if (isCoarsened(agg.field)) refuseCoarsened(role, agg.field, `${path}.field`);
  }
  if ('aggs' in agg && agg.aggs)
    for (const [name, sub] of Object.entries(agg.aggs))
      walkAggregation(role, sub, `${path}.aggs.${name}`);
}

/** `POST /analytics/query`: filter, text, aggregations and the sort of the page; columns are masked, never refused. */
export function guardAnalyticsQuery(role: Role, request: AnalyticsQuery): void {
  if (!masked(role)) return;
  guardFilter(role, request.filter, request.q);
  for (const [name, agg] of Object.entries(request.aggs ?? {}))
    walkAggregation(role, agg, `aggs.${name}`);
  (request.page?.sort ?? []).forEach((s, i) => {
    // The order of rows sorted by a masked column tells what the masked values hide (who comes before whom).
    if (maskedColumns.includes(s.field as ColumnName)) {
      refuse(
        `Your role (${role}) sees ${s.field} masked, so it cannot sort by it; sort by a shown field (segment, city, a KPI, a date).`,
        `page.sort.${i}.field`,
      );
    }
  });
}
