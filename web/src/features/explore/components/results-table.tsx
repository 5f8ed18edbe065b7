import {
  analyticsFields,
  columnNames,
  maskedColumns,
  type ColumnName,
} from '../../../../../domain/src/analytics/fields';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import type { AnalyticsRow, AnalyticsSort } from '../../../../../domain/src/analytics/query-schema';
import { formatDateTime, formatNumber } from '../../../lib/format';

const identityLabels: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  customerNumber: 'Customer number',
};
export const columnLabel = (c: ColumnName) =>
  identityLabels[c] ?? analyticsFields[c as keyof typeof analyticsFields]?.label ?? c;
/** Pseudonymized roles may not sort by a masked column: the order would tell what the mask hides. */
const sortable = (c: ColumnName, pseudonymized: boolean) =>
  (c === 'name' || c in analyticsFields) && !(pseudonymized && maskedColumns.includes(c));

function cell(column: ColumnName, value: AnalyticsRow[string] | undefined) {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return '—';
  if (Array.isArray(value)) return value.join(', ');
  const kind = analyticsFields[column as keyof typeof analyticsFields]?.kind;
  if (kind === 'number' && typeof value === 'number') return formatNumber(value);
  if (kind === 'date' && typeof value === 'string')
    return value.length > 10 ? formatDateTime(value) : value;
  return String(value);
}

export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: ColumnName[];
  onChange: (columns: ColumnName[]) => void;
}) {
  return (
    <details className="column-chooser">
      <summary className="button small">Columns ({columns.length})</summary>
      <div className="column-list" role="group" aria-label="Columns">
        {columnNames.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={columns.includes(c)}
              onChange={(e) =>
                onChange(
                  e.target.checked
                    ? [...columns, c]
                    : columns.filter((x) => x !== c).length
                      ? columns.filter((x) => x !== c)
                      : columns,
                )
              }
            />
            {columnLabel(c)}
          </label>
        ))}
      </div>
    </details>
  );
}

interface ResultsTableProps {
  rows: AnalyticsRow[];
  columns: ColumnName[];
  sort: AnalyticsSort | null;
  stale: boolean;
  onSort: (sort: AnalyticsSort) => void;
  onOpen: (id: string) => void;
}

export function ResultsTable({ rows, columns, sort, stale, onSort, onOpen }: ResultsTableProps) {
  const pseudonymized = seesPseudonymized(useSession()?.role);
  return (
    <div className="table-scroll">
      <table
        className={`data-table explore-table${stale ? ' stale' : ''}`}
        aria-label="Matching customers"
      >
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.field === c;
              return (
                <th
                  key={c}
                  aria-sort={
                    active ? (sort!.order === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  {sortable(c, pseudonymized) ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        onSort({
                          field: c,
                          order: active && sort!.order === 'asc' ? 'desc' : 'asc',
                        })
                      }
                    >
                      {columnLabel(c)} {active ? (sort!.order === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  ) : (
                    columnLabel(c)
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="builder-row" data-customer-id={row.id}>
              {columns.map((c, i) => (
                <td
                  key={c}
                  className={
                    analyticsFields[c as keyof typeof analyticsFields]?.kind === 'number'
                      ? 'num'
                      : undefined
                  }
                >
                  {i === 0 ? (
                    <a
                      href={`/customers/${encodeURIComponent(row.id)}`}
                      onClick={(e) => {
                        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                        e.preventDefault();
                        onOpen(row.id);
                      }}
                    >
                      {cell(c, c === 'id' ? row.id : row[c])}
                    </a>
                  ) : (
                    cell(c, row[c])
                  )}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted">
                No customers match this filter.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
