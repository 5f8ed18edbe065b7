import type { ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton, Spinner } from '../../../components/spinner';
import { formatNumber, formatTime } from '../../../lib/format';
import { useDashboard } from '../api/get-dashboard';
import { ChannelChart, PriorityChart, SegmentChart } from './charts';

/** Managers' live view; `extraTiles` lets the page add tiles from other features (ingest status). */
export function LiveDashboard({ extraTiles }: { extraTiles?: ReactNode }) {
  const dashboard = useDashboard();

  if (dashboard.isPending) return <Skeleton lines={8} label="Loading dashboard" />;
  if (dashboard.isError && !dashboard.data) {
    return <ErrorMessage error={dashboard.error} title="Dashboard could not be loaded" onRetry={() => dashboard.refetch()} />;
  }
  const data = dashboard.data;
  const totals = [
    { key: 'customers', label: 'Customers', value: data.totals.customers },
    { key: 'touchpoints', label: 'Touchpoints', value: data.totals.touchpoints },
    { key: 'open-tickets', label: 'Open tickets', value: data.totals.openTickets },
    { key: 'complaints-12m', label: 'Complaints 12m', value: data.totals.complaints12m },
  ];
  return (
    <div className="dashboard">
      <div className="dashboard-status">
        <span data-testid="dashboard-updated">updated {formatTime(dashboard.dataUpdatedAt)}</span>
        {dashboard.isFetching && <Spinner label="Refreshing" />}
        {dashboard.isError && <span className="danger-text">refresh failed: {dashboard.error.message}</span>}
        <span className="muted">· refreshes every 5 s</span>
        {extraTiles}
      </div>
      <dl className="totals">
        {totals.map((t) => (
          <div key={t.key} className="total-tile" data-testid={`total-${t.key}`}>
            <dt>{t.label}</dt>
            <dd>{formatNumber(t.value)}</dd>
          </div>
        ))}
      </dl>
      <div className="dashboard-grid">
        <Panel title="Touchpoints per channel per day" className="wide" testId="chart-channels">
          <ChannelChart days={data.touchpointsPerChannelPerDay} />
        </Panel>
        <Panel title="Customers by segment" testId="chart-segments">
          <SegmentChart buckets={data.customersBySegment} />
        </Panel>
        <Panel title="Open tickets by priority" testId="chart-priorities">
          <PriorityChart buckets={data.openTicketsByPriority} />
        </Panel>
      </div>
    </div>
  );
}
