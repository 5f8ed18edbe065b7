import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Sankey,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ErrorMessage } from '../../../components/error-message';
import { Spinner } from '../../../components/spinner';
import { errorMessage } from '../../../lib/api-client';
import { formatNumber } from '../../../lib/format';
import { ProfileThenAndNow } from './profile-then-and-now';
import {
  useMigratedCustomers,
  useMigration,
  useSnapshotDays,
  useTakeSnapshot,
  useTrends,
  type MigrationAnswer,
  type MigrationDimension,
} from '../api/migration';

const palette = [
  '#2458d6',
  '#17a673',
  '#e0882b',
  '#c4364a',
  '#7b4fd0',
  '#1f9fb4',
  '#9a7b16',
  '#d45ca8',
  '#5a6b7d',
  '#3d8b2f',
];

type Cell = { fromLabel: string; toLabel: string };

/** Segment migration between two snapshot days: a matrix and a Sankey, each cell opening the list of its customers. */
export function MigrationView() {
  const days = useSnapshotDays();
  const take = useTakeSnapshot();
  const [backfill, setBackfill] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [dimension, setDimension] = useState<MigrationDimension>('segment');
  const [cell, setCell] = useState<Cell | null>(null);
  const [compared, setCompared] = useState<string | null>(null);
  const list = days.data?.items ?? [];
  useEffect(() => {
    if (list.length >= 2) {
      setFrom((f) => f ?? list[list.length - 2].date);
      setTo((t) => t ?? list[list.length - 1].date);
    }
  }, [list]);
  const migration = useMigration(from, to, dimension);
  const customers = useMigratedCustomers(
    cell && from && to ? { from, to, dimension, ...cell } : null,
  );

  return (
    <div className="migration">
      <div className="migration-controls">
        <label>
          from{' '}
          <select
            aria-label="From day"
            value={from ?? ''}
            onChange={(e) => {
              setFrom(e.target.value);
              setCell(null);
            }}
          >
            <option value="">—</option>
            {list.map((d) => (
              <option key={d.date} value={d.date}>
                {d.date} ({formatNumber(d.customers)})
              </option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select
            aria-label="To day"
            value={to ?? ''}
            onChange={(e) => {
              setTo(e.target.value);
              setCell(null);
            }}
          >
            <option value="">—</option>
            {list.map((d) => (
              <option key={d.date} value={d.date}>
                {d.date} ({formatNumber(d.customers)})
              </option>
            ))}
          </select>
        </label>
        <label>
          by{' '}
          <select
            aria-label="Dimension"
            value={dimension}
            onChange={(e) => {
              setDimension(e.target.value as MigrationDimension);
              setCell(null);
            }}
          >
            <option value="segment">CRM segment</option>
            <option value="segments">saved segments</option>
          </select>
        </label>
        <button
          type="button"
          className="button small"
          disabled={take.isPending}
          onClick={() => take.mutate(undefined)}
        >
          Snapshot today
        </button>
        <input
          type="date"
          aria-label="Backfill day"
          value={backfill}
          onChange={(e) => setBackfill(e.target.value)}
        />
        <button
          type="button"
          className="button small"
          disabled={!backfill || take.isPending}
          onClick={() => take.mutate(backfill)}
        >
          Snapshot that day
        </button>
        {take.isPending && <Spinner label="Taking snapshot" />}
        {take.isError && <span className="danger-text">{errorMessage(take.error)}</span>}
      </div>
      {list.length < 2 && (
        <p className="muted">
          Migration needs snapshots of two days: take one today, and one of a past day (folded again
          from the touchpoints).
        </p>
      )}
      {migration.isError && (
        <ErrorMessage
          error={migration.error}
          title="Migration could not be computed"
          onRetry={() => migration.refetch()}
        />
      )}
      {migration.data && (
        <>
          <p className="muted" data-testid="migration-summary">
            {formatNumber(migration.data.moved)} of {formatNumber(migration.data.customers)}{' '}
            customers changed between {migration.data.from} and {migration.data.to} ·{' '}
            {migration.data.tookMs} ms
          </p>
          <MigrationMatrix data={migration.data} selected={cell} onSelect={setCell} />
          <MigrationSankey data={migration.data} onSelect={setCell} />
        </>
      )}
      {cell && (
        <div className="migration-customers" aria-label="Customers that moved">
          <h3>
            {cell.fromLabel} → {cell.toLabel}
          </h3>
          {customers.isPending && <Spinner label="Loading customers" />}
          <ul>
            {customers.data?.items.map((c) => (
              <li key={c.id} data-testid="migrated-customer">
                <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name}</Link>{' '}
                <button
                  type="button"
                  className="link-button small"
                  onClick={() => setCompared(compared === c.id ? null : c.id)}
                >
                  {compared === c.id ? 'hide' : `as of ${from} and ${to}`}
                </button>
                {compared === c.id && from && to && (
                  <ProfileThenAndNow id={c.id} from={from} to={to} />
                )}
              </li>
            ))}
          </ul>
          {customers.data?.more && <p className="muted">First 100 shown.</p>}
        </div>
      )}
      <Trends dimension={dimension} />
    </div>
  );
}

function MigrationMatrix({
  data,
  selected,
  onSelect,
}: {
  data: MigrationAnswer;
  selected: Cell | null;
  onSelect: (cell: Cell) => void;
}) {
  const counts = new Map(data.flows.map((f) => [`${f.from}\u0000${f.to}`, f.count]));
  const fromLabels = data.labels.filter((l) => data.flows.some((f) => f.from === l));
  const toLabels = data.labels.filter((l) => data.flows.some((f) => f.to === l));
  return (
    <div className="table-scroll">
      <table className="data-table migration-matrix" aria-label="Migration matrix">
        <thead>
          <tr>
            <th>from \ to</th>
            {toLabels.map((l) => (
              <th key={l}>{l}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {fromLabels.map((a) => (
            <tr key={a}>
              <th scope="row">{a}</th>
              {toLabels.map((b) => {
                const n = counts.get(`${a}\u0000${b}`) ?? 0;
                const isSelected = selected?.fromLabel === a && selected?.toLabel === b;
                return (
                  <td key={b} className={`num${a === b ? ' diagonal' : ''}`}>
                    {n > 0 ? (
                      <button
                        type="button"
                        className={`link-button${isSelected ? ' selected' : ''}`}
                        data-testid="migration-cell"
                        data-from={a}
                        data-to={b}
                        onClick={() => onSelect({ fromLabel: a, toLabel: b })}
                      >
                        {formatNumber(n)}
                      </button>
                    ) : (
                      <span className="muted">·</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MigrationSankey({
  data,
  onSelect,
}: {
  data: MigrationAnswer;
  onSelect: (cell: Cell) => void;
}) {
  const graph = useMemo(() => {
    const fromLabels = [...new Set(data.flows.map((f) => f.from))];
    const toLabels = [...new Set(data.flows.map((f) => f.to))];
    const nodes = [
      ...fromLabels.map((l) => ({ name: `${l} (${data.from})`, label: l })),
      ...toLabels.map((l) => ({ name: `${l} (${data.to})`, label: l })),
    ];
    const links = data.flows.map((f) => ({
      source: fromLabels.indexOf(f.from),
      target: fromLabels.length + toLabels.indexOf(f.to),
      value: f.count,
    }));
    return { nodes, links, fromCount: fromLabels.length };
  }, [data]);
  if (graph.links.length === 0) return null;
  return (
    <div className="sankey" data-testid="migration-sankey" aria-label="Sankey of segment migration">
      <ResponsiveContainer width="100%" height={Math.max(220, graph.nodes.length * 28)}>
        <Sankey
          data={graph}
          nodePadding={24}
          margin={{ left: 8, right: 160, top: 8, bottom: 8 }}
          link={{ stroke: '#9fb3d9' }}
          node={<SankeyNode />}
          onClick={(item: unknown) => {
            const payload = (
              item as { payload?: { source?: { label?: string }; target?: { label?: string } } }
            ).payload;
            if (payload?.source?.label && payload?.target?.label)
              onSelect({ fromLabel: payload.source.label, toLabel: payload.target.label });
          }}
        >
          <Tooltip />
        </Sankey>
      </ResponsiveContainer>
    </div>
  );
}

/** A Sankey node with its label: the segment and the day. */
function SankeyNode(props: {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  index?: number;
  payload?: { name: string };
}) {
  const { x = 0, y = 0, width = 0, height = 0, index = 0, payload } = props;
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill={palette[index % palette.length]} />
      <text x={x + width + 6} y={y + height / 2} dy="0.35em" fontSize={12} fill="#1b2430">
        {payload?.name}
      </text>
    </g>
  );
}

function Trends({ dimension }: { dimension: MigrationDimension }) {
  const trends = useTrends(dimension);
  const days = trends.data?.days ?? [];
  if (days.length === 0) return null;
  const labels = [...new Set(days.flatMap((d) => Object.keys(d.segments)))].slice(0, 8);
  const rows = days.map((d) => ({
    date: d.date,
    arpu: d.arpu,
    cancellations: d.cancellations12m,
    ...d.segments,
  }));
  return (
    <div className="trends">
      <h3>Segment sizes, ARPU and cancellations over time</h3>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={rows} margin={{ right: 24 }}>
          <CartesianGrid stroke="#e6e9ee" />
          <XAxis dataKey="date" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis yAxisId="eur" orientation="right" tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {labels.map((l, i) => (
            <Line
              key={l}
              yAxisId="n"
              dataKey={l}
              stroke={palette[i % palette.length]}
              isAnimationActive={false}
            />
          ))}
          <Line
            yAxisId="eur"
            dataKey="arpu"
            name="ARPU"
            stroke="#000"
            strokeDasharray="4 4"
            isAnimationActive={false}
          />
          <Line
            yAxisId="n"
            dataKey="cancellations"
            name="cancellations 12m"
            stroke="#c4364a"
            strokeDasharray="2 2"
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
