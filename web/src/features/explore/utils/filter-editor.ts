/**
 * The filter builder's editing model: a tree of groups (AND / OR, optionally
 * negated) and conditions, converted to the API's `Filter` (incomplete
 * conditions are left out, so counts follow every keystroke) and back (for
 * drill-down links that open the explorer with a filter).
 */
import {
  analyticsFields,
  type AnalyticsFieldName,
  type FieldKind,
} from '../../../../../domain/src/analytics/fields';
import type { DateBound, Filter } from '../../../../../domain/src/analytics/query-schema';

export type ConditionOp = 'terms' | 'range' | 'dateRange' | 'exists';

export interface ConditionNode {
  type: 'condition';
  id: string;
  negate: boolean;
  field: AnalyticsFieldName;
  op: ConditionOp;
  /** terms: comma-separated values as typed. */
  values: string;
  /** range: numbers as typed. */
  min: string;
  max: string;
  /** dateRange: days relative to today (e.g. -30, 60) or a day (2026-10-02), as typed. */
  from: string;
  to: string;
}

export interface GroupNode {
  type: 'group';
  id: string;
  negate: boolean;
  op: 'and' | 'or';
  children: EditorNode[];
}

export type EditorNode = ConditionNode | GroupNode;

let counter = 0;
export const newId = () => `n${++counter}`;

export function kindOf(field: AnalyticsFieldName): FieldKind {
  return analyticsFields[field].kind;
}

export function defaultOp(field: AnalyticsFieldName): ConditionOp {
  const kind = kindOf(field);
  return kind === 'keyword' ? 'terms' : kind === 'number' ? 'range' : 'dateRange';
}

export function newCondition(field: AnalyticsFieldName = 'segment', values = ''): ConditionNode {
  return {
    type: 'condition',
    id: newId(),
    negate: false,
    field,
    op: defaultOp(field),
    values,
    min: '',
    max: '',
    from: '',
    to: '',
  };
}

export function newGroup(op: 'and' | 'or' = 'and', children: EditorNode[] = []): GroupNode {
  return { type: 'group', id: newId(), negate: false, op, children };
}

function parseBound(text: string): DateBound | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (/^[+-]?\d+$/.test(t)) return { days: Number(t) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  return undefined;
}

const numberOrUndefined = (text: string) =>
  text.trim() === '' || !Number.isFinite(Number(text)) ? undefined : Number(text);

function conditionToFilter(c: ConditionNode): Filter | null {
  switch (c.op) {
    case 'terms': {
      const values = c.values
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      return values.length ? { kind: 'terms', field: c.field, values } : null;
    }
    case 'range': {
      const gte = numberOrUndefined(c.min);
      const lte = numberOrUndefined(c.max);
      return gte === undefined && lte === undefined
        ? null
        : { kind: 'range', field: c.field, gte, lte };
    }
    case 'dateRange': {
      const from = parseBound(c.from);
      const to = parseBound(c.to);
      return from === undefined && to === undefined
        ? null
        : { kind: 'dateRange', field: c.field, from, to };
    }
    case 'exists':
      return { kind: 'exists', field: c.field };
  }
}

/** The API filter of a node; null when nothing in it is complete yet. */
export function toFilter(node: EditorNode): Filter | null {
  let filter: Filter | null;
  if (node.type === 'condition') filter = conditionToFilter(node);
  else {
    const parts = node.children.map(toFilter).filter((f): f is Filter => f !== null);
    filter =
      parts.length === 0 ? null : parts.length === 1 ? parts[0] : { kind: node.op, filters: parts };
  }
  if (!filter) return null;
  return node.negate ? { kind: 'not', filter } : filter;
}

const boundText = (b: DateBound | undefined) =>
  b === undefined ? '' : typeof b === 'string' ? b.slice(0, 10) : String(b.days);

/** The editing model of an API filter (a drill-down link, a saved segment). */
export function fromFilter(filter: Filter, negate = false): EditorNode {
  switch (filter.kind) {
    case 'not':
      return fromFilter(filter.filter, !negate);
    case 'and':
    case 'or':
      return {
        ...newGroup(
          filter.kind,
          filter.filters.map((f) => fromFilter(f)),
        ),
        negate,
      };
    case 'terms':
      return {
        ...newCondition(filter.field as AnalyticsFieldName, filter.values.join(', ')),
        negate,
      };
    case 'range':
      return {
        ...newCondition(filter.field as AnalyticsFieldName),
        negate,
        min: String(filter.gte ?? filter.gt ?? ''),
        max: String(filter.lte ?? filter.lt ?? ''),
      };
    case 'dateRange':
      return {
        ...newCondition(filter.field as AnalyticsFieldName),
        negate,
        from: boundText(filter.from),
        to: boundText(filter.to),
      };
    case 'exists':
      return { ...newCondition(filter.field as AnalyticsFieldName), op: 'exists', negate };
  }
}

/** The root is always a group, so conditions can be added beside a drilled-down one. */
export function rootOf(filter: Filter | null): GroupNode {
  if (!filter) return newGroup('and');
  const node = fromFilter(filter);
  return node.type === 'group' && !node.negate ? node : newGroup('and', [node]);
}

export function updateNode(
  root: GroupNode,
  id: string,
  change: (node: EditorNode) => EditorNode | null,
): GroupNode {
  const walk = (node: EditorNode): EditorNode | null => {
    if (node.id === id) return change(node);
    if (node.type === 'group')
      return {
        ...node,
        children: node.children.map(walk).filter((n): n is EditorNode => n !== null),
      };
    return node;
  };
  return walk(root) as GroupNode;
}

export { decodeFilter, drillDownPath, encodeFilter } from '../../../lib/drill-down';
