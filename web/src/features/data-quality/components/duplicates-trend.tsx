import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DuplicatesTrendDay } from '../api/get-data-quality';

const axis = { fontSize: 12, fill: '#5b6776' };

/** Suspected duplicates opened, merged and rejected per day over the last 30 days. */
export function DuplicatesTrend({ days }: { days: DuplicatesTrendDay[] }) {
  const totals = days.reduce(
    (t, d) => ({
      opened: t.opened + d.opened,
      merged: t.merged + d.merged,
      rejected: t.rejected + d.rejected,
    }),
    { opened: 0, merged: 0, rejected: 0 },
  );
  return (
    <div className="duplicates-trend" data-testid="duplicates-trend">
      <p data-testid="duplicates-trend-totals">
        Last {days.length} days: {totals.opened.toLocaleString()} opened,{' '}
        {totals.merged.toLocaleString()} merged, {totals.rejected.toLocaleString()} rejected (net{' '}
        {(totals.opened - totals.merged - totals.rejected).toLocaleString()}).
      </p>
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart data={days} margin={{ left: 0, right: 16, top: 8 }}>
          <CartesianGrid vertical={false} stroke="#e6e9ee" />
          <XAxis dataKey="day" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis tick={axis} allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar dataKey="opened" name="Opened" fill="#e0882b" isAnimationActive={false} />
          <Bar dataKey="merged" name="Merged" fill="#17a673" isAnimationActive={false} />
          <Bar dataKey="rejected" name="Rejected" fill="#c4364a" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
