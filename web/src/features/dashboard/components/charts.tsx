import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardAnswer, FacetBucket } from '../../../lib/domain-types';

/** Distinct, print-friendly colours; channels keep their colour across renders by name. */
const palette = ['#2458d6', '#17a673', '#e0882b', '#c4364a', '#7b4fd0', '#1f9fb4', '#9a7b16', '#d45ca8', '#5a6b7d', '#3d8b2f'];
const priorityColours: Record<string, string> = { urgent: '#c4364a', high: '#e0882b', normal: '#2458d6', low: '#8a99ab' };
const priorityOrder = ['urgent', 'high', 'normal', 'low'];

const axisStyle = { fontSize: 12, fill: '#5b6776' };

export function SegmentChart({ buckets }: { buckets: FacetBucket[] }) {
  if (buckets.length === 0) return <p className="muted">No customers yet.</p>;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={buckets} layout="vertical" margin={{ left: 8, right: 24 }}>
        <CartesianGrid horizontal={false} stroke="#e6e9ee" />
        <XAxis type="number" tick={axisStyle} allowDecimals={false} />
        <YAxis type="category" dataKey="value" tick={axisStyle} width={110} />
        <Tooltip />
        <Bar dataKey="count" name="Customers" isAnimationActive={false}>
          {buckets.map((b, i) => (
            <Cell key={b.value} fill={palette[i % palette.length]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export function PriorityChart({ buckets }: { buckets: FacetBucket[] }) {
  if (buckets.length === 0) return <p className="muted">No open tickets.</p>;
  const sorted = [...buckets].sort((a, b) => {
    const ia = priorityOrder.indexOf(a.value);
    const ib = priorityOrder.indexOf(b.value);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={sorted} margin={{ right: 16 }}>
        <CartesianGrid vertical={false} stroke="#e6e9ee" />
        <XAxis dataKey="value" tick={axisStyle} />
        <YAxis tick={axisStyle} allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="count" name="Open tickets" isAnimationActive={false}>
          {sorted.map((b) => (
            <Cell key={b.value} fill={priorityColours[b.value] ?? '#5a6b7d'} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export function ChannelChart({ days }: { days: DashboardAnswer['touchpointsPerChannelPerDay'] }) {
  const channels = [...new Set(days.flatMap((d) => Object.keys(d.counts)))].sort();
  if (days.length === 0 || channels.length === 0) return <p className="muted">No touchpoints in the last 30 days.</p>;
  const rows = days.map((d) => ({ date: d.date.slice(5, 10), ...Object.fromEntries(channels.map((c) => [c, d.counts[c] ?? 0])) }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <AreaChart data={rows} margin={{ right: 16 }}>
        <CartesianGrid vertical={false} stroke="#e6e9ee" />
        <XAxis dataKey="date" tick={axisStyle} interval="preserveStartEnd" minTickGap={16} />
        <YAxis tick={axisStyle} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {channels.map((c, i) => (
          <Area
            key={c}
            type="monotone"
            dataKey={c}
            stackId="channels"
            stroke={palette[i % palette.length]}
            fill={palette[i % palette.length]}
            fillOpacity={0.55}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    </ResponsiveContainer>
  );
}
