import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { PanelBucket, TrendPoint } from '../../../../../domain/src/analytics/dashboard-types';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';

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
const axis = { fontSize: 12, fill: '#5b6776' };

/** Bars of labelled values; a click opens the customers behind a bar. */
export function BucketBars({
  buckets,
  onDrill,
  valueName = 'Customers',
  money = false,
}: {
  buckets: PanelBucket[];
  onDrill: (filter: Filter | undefined) => void;
  valueName?: string;
  money?: boolean;
}) {
  if (buckets.length === 0) return <p className="muted">Nothing in this range.</p>;
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, buckets.length * 30 + 40)}>
      <BarChart data={buckets} layout="vertical" margin={{ left: 8, right: 24 }}>
        <CartesianGrid horizontal={false} stroke="#e6e9ee" />
        <XAxis type="number" tick={axis} allowDecimals={money} />
        <YAxis type="category" dataKey="label" tick={axis} width={110} />
        <Tooltip
          formatter={(v) =>
            money ? Number(v).toLocaleString(undefined, { maximumFractionDigits: 0 }) : v
          }
        />
        <Bar
          dataKey="value"
          name={valueName}
          isAnimationActive={false}
          cursor="pointer"
          onClick={(d: unknown) => onDrill((d as { payload?: PanelBucket }).payload?.drill)}
        >
          {buckets.map((b, i) => (
            <Cell key={b.label} fill={palette[i % palette.length]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export interface Series {
  key: string;
  label: string;
  type: 'bar' | 'line';
  axis?: 'left' | 'right';
}

function tick(interval: 'hour' | 'day' | 'week') {
  return (value: string) => {
    const d = new Date(value);
    return interval === 'hour'
      ? `${d.getDate()}. ${String(d.getHours()).padStart(2, '0')}h`
      : `${d.getDate()}.${d.getMonth() + 1}.`;
  };
}

/** A time series of bars and lines; a click opens the customers behind the panel. */
export function TrendChart({
  points,
  series,
  interval,
  onClick,
}: {
  points: TrendPoint[];
  series: Series[];
  interval: 'hour' | 'day' | 'week';
  onClick?: () => void;
}) {
  if (points.length === 0) return <p className="muted">Nothing in this range.</p>;
  const right = series.some((s) => s.axis === 'right');
  return (
    <ResponsiveContainer width="100%" height={220}>
      <ComposedChart
        data={points}
        margin={{ right: 16 }}
        onClick={onClick}
        style={onClick ? { cursor: 'pointer' } : undefined}
      >
        <CartesianGrid vertical={false} stroke="#e6e9ee" />
        <XAxis dataKey="at" tick={axis} tickFormatter={tick(interval)} minTickGap={24} />
        <YAxis yAxisId="left" tick={axis} allowDecimals={false} />
        {right && <YAxis yAxisId="right" orientation="right" tick={axis} />}
        <Tooltip labelFormatter={(v) => new Date(String(v)).toLocaleString()} />
        {series.length > 1 && <Legend />}
        {series.map((s, i) =>
          s.type === 'bar' ? (
            <Bar
              key={s.key}
              yAxisId={s.axis ?? 'left'}
              dataKey={s.key}
              name={s.label}
              fill={palette[i % palette.length]}
              isAnimationActive={false}
            />
          ) : (
            <Line
              key={s.key}
              yAxisId={s.axis ?? 'left'}
              dataKey={s.key}
              name={s.label}
              stroke={palette[i % palette.length]}
              dot={{ r: 3 }}
              connectNulls
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Contacts per channel: today, 7 days and 30 days side by side. */
export function ContactsChart({
  rows,
  onDrill,
}: {
  rows: { channel: string; today: number; last7d: number; last30d: number; drill: Filter }[];
  onDrill: (filter: Filter) => void;
}) {
  if (rows.length === 0) return <p className="muted">No contacts in the last 30 days.</p>;
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={rows} margin={{ right: 16 }}>
        <CartesianGrid vertical={false} stroke="#e6e9ee" />
        <XAxis dataKey="channel" tick={axis} />
        <YAxis tick={axis} allowDecimals={false} />
        <Tooltip />
        <Legend />
        {(['today', 'last7d', 'last30d'] as const).map((key, i) => (
          <Bar
            key={key}
            dataKey={key}
            name={{ today: 'today', last7d: '7 days', last30d: '30 days' }[key]}
            fill={palette[i]}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(d: unknown) => onDrill((d as { payload: { drill: Filter } }).payload.drill)}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
