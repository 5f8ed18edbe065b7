/**
 * OpenAPI entries of the analytics routes (analytics, segments, exports,
 * snapshots), generated from the same zod schemas that validate them.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  aggregationSchema,
  analyticsQuerySchema,
  filterSchema,
} from '../../../domain/src/analytics/query-schema';
import { customerExportSchema } from '../exports/routes';
import { createSegmentSchema, segmentEventsQuerySchema } from '../segments/routes';
import {
  migrationCustomersQuerySchema,
  migrationQuerySchema,
  takeSnapshotSchema,
  trendsQuerySchema,
} from '../snapshots/routes';
import { liveQuerySchema } from './live-stream';
import { panelsQuerySchema } from './query-routes';

type Response = { description: string; content?: Record<string, { schema: z.ZodType }> };

export function registerAnalyticsPaths(
  registry: OpenAPIRegistry,
  security: Record<string, string[]>[],
  errors: Record<number, Response>,
): void {
  const json = (description: string): Response => ({
    description,
    content: { 'application/json': { schema: z.object({}).loose() } },
  });
  const common = { 400: errors[400], 401: errors[401], 403: errors[403] };
  // The filter and aggregation trees are recursive, which zod-to-openapi cannot walk: they are
  // turned into JSON Schema by zod itself and registered as components that refer to themselves.
  const ids = z.registry<{ id: string }>();
  ids.add(filterSchema, { id: 'AnalyticsFilter' });
  ids.add(aggregationSchema, { id: 'AnalyticsAggregation' });
  const registered = new Set<string>();
  const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> => {
    const generated = z.toJSONSchema(schema, {
      metadata: ids,
      io: 'input',
      unrepresentable: 'any',
      cycles: 'ref',
    });
    // zod refers to its own `$defs`; in the OpenAPI document they live under components.
    const moved = JSON.parse(
      JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as Record<string, unknown> & {
      $defs?: Record<string, Record<string, unknown>>;
    };
    const { $defs, $schema: _draft, ...rest } = moved;
    for (const [id, def] of Object.entries($defs ?? {})) {
      if (registered.has(id)) continue;
      registered.add(id);
      registry.registerComponent('schemas', id, def as never);
    }
    return rest;
  };
  const body = (schema: z.ZodType) => ({
    body: { content: { 'application/json': { schema: jsonSchemaOf(schema) as never } } },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/v1/analytics/query',
    security,
    summary:
      'Analytics (analyst, manager): a boolean filter tree (and/or/not, terms, range, dateRange with {days} relative to now, exists) over whitelisted profile fields, aggregations (terms, histogram, dateHistogram, range, dateRange, filter, stats, percentiles, cardinality; nested `aggs`) and an optional page of rows. No Elasticsearch DSL is accepted.',
    request: body(analyticsQuerySchema),
    responses: { 200: json('total, tookMs, aggs (in the shape of the request), items'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/fields',
    security,
    summary: 'The whitelisted profile fields with their kind (keyword, number, date)',
    responses: { 200: json('fields') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/dashboard',
    security,
    summary:
      'Manager dashboard panels for a time range; every bucket carries its drill-down filter',
    request: { query: panelsQuerySchema },
    responses: {
      200: json('DashboardPanels (domain/src/analytics/dashboard-types.ts)'),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/dashboard/stream',
    summary:
      'Server-sent events: `panels` whenever profiles were rebuilt, at most once per second; `revoked` and the end of the stream when the caller lost access. EventSource sends no headers: pass ?ticket= from POST /api/v1/auth/stream-ticket (single use, 30 s); at most 5 open streams per caller',
    request: { query: liveQuerySchema },
    responses: { 200: { description: 'text/event-stream' }, ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/segments',
    security,
    summary:
      'Saved segments with their member counts; marketing segments also with excludedWithoutConsent',
    responses: { 200: json('items') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/segments',
    security,
    summary:
      'Save a filter as a named segment (analyst); membership is evaluated on every profile rebuild, existing matches at once. purpose "marketing" leaves out customers without marketing consent on consentChannels and counts them',
    request: body(createSegmentSchema),
    responses: {
      201: json('segment (with excludedWithoutConsent when for marketing), queuedForEvaluation'),
      409: json('a segment of that name exists'),
      ...common,
    },
  });
  const segmentId = z.object({ id: z.string() });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/segments/{id}',
    security,
    summary: 'One saved segment',
    request: { params: segmentId },
    responses: { 200: json('segment'), 404: json('unknown') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/segments/{id}',
    security,
    summary: 'Delete a segment; members exit on their next rebuild (queued at once)',
    request: { params: segmentId },
    responses: { 200: json('deleted'), 404: json('unknown') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/segments/{id}/events',
    security,
    summary: 'Entries into and exits from the segment, newest first',
    request: { params: segmentId, query: segmentEventsQuerySchema },
    responses: { 200: json('items: customerId, segment, kind, at') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/exports/customers',
    security,
    summary: 'CSV of all matching customers (analyst), streamed; X-Total-Count announces the rows',
    request: body(customerExportSchema),
    responses: { 200: { description: 'text/csv' }, ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/snapshots',
    security,
    summary:
      'Take the daily snapshot now (analyst); a past day is folded again from the touchpoints. 202 when it takes longer than waitMs',
    request: body(takeSnapshotSchema),
    responses: { 200: json('jobId, state, result'), 202: json('jobId, state'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/snapshots',
    security,
    summary: 'Days with a snapshot',
    responses: { 200: json('items: date, customers') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/migration',
    security,
    summary: 'How many customers moved from each segment to each other between two snapshot days',
    request: { query: migrationQuerySchema },
    responses: {
      200: json('labels, flows, customers, moved'),
      404: json('no snapshot of a day'),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/migration/customers',
    security,
    summary: 'The customers behind one cell of the migration matrix',
    request: { query: migrationCustomersQuerySchema },
    responses: { 200: json('items, more'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/analytics/trends',
    security,
    summary:
      'Per snapshot day: customers, segment sizes, ARPU of contract holders, cancellations in 12 months',
    request: { query: trendsQuerySchema },
    responses: { 200: json('days') },
  });
}
