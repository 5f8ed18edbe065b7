import { useState, type ReactNode } from 'react';
import '../../../analytics.css';
import {
  dashboardRanges,
  type DashboardRange,
} from '../../../../../domain/src/analytics/dashboard-types';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { formatNumber, formatTime } from '../../../lib/format';
import { useLivePanels } from '../api/live-panels';
import { BucketBars, ContactsChart, TrendChart } from './panel-charts';

const rangeLabels: Record<DashboardRange, string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
  '365d': 'last 12 months',
};

/**
 * Managers' live view: panels pushed by the server when touchpoints were
 * indexed; every chart opens the customers behind it. `extraTiles` lets the
 * page add tiles from other features (ingest status); `onDrill` opens a filter.
 */
export function LiveDashboard({
  extraTiles,
  onDrill,
}: {
  extraTiles?: ReactNode;
  onDrill?: (filter: Filter | undefined) => void;
}) {
  const [range, setRange] = useState<DashboardRange>('7d');
  const live = useLivePanels(range);
  const drill = onDrill ?? (() => {});
  const data = live.panels;

  return (
    <div className="dashboard">
      <div className="dashboard-status">
        <label>
          Time range{' '}
          <select
            aria-label="Time range"
            value={range}
            onChange={(e) => setRange(e.target.value as DashboardRange)}
          >
            {dashboardRanges.map((r) => (
              <option key={r} value={r}>
                {rangeLabels[r]}
              </option>
            ))}
          </select>
        </label>
        <span
          className={live.connected ? 'live-dot on' : 'live-dot'}
          aria-label={live.connected ? 'live' : 'offline'}
        />
        <span data-testid="dashboard-updated">
          {live.receivedAt ? `updated ${formatTime(live.receivedAt)}` : 'connecting…'}
        </span>
        <span className="muted" data-testid="dashboard-pushes">
          · live ({live.pushes} {live.pushes === 1 ? 'update' : 'updates'})
        </span>
        {live.error && <span className="danger-text">{live.error}</span>}
        {extraTiles}
      </div>
      {!data ? (
        <Skeleton lines={8} label="Loading dashboard" />
      ) : (
        <>
          <dl className="totals">
            {[
              { key: 'customers', label: 'Customers', value: data.totals.customers },
              {
                key: 'touchpoints',
                label: `Touchpoints (${rangeLabels[range]})`,
                value: data.totals.touchpointsInRange,
              },
              { key: 'open-tickets', label: 'Open tickets', value: data.totals.openTickets },
              {
                key: 'contracts-ending',
                label: 'Contracts ending in 90 days',
                value: data.totals.contractsEnding90d,
              },
            ].map((t) => (
              <div key={t.key} className="total-tile" data-testid={`total-${t.key}`}>
                <dt>{t.label}</dt>
                <dd>{formatNumber(t.value)}</dd>
              </div>
            ))}
          </dl>
          <div className="dashboard-grid">
            <Panel title="Contacts per channel" testId="chart-contacts">
              <ContactsChart rows={data.contactsPerChannel} onDrill={drill} />
            </Panel>
            <Panel title="Inbound calls" testId="chart-calls">
              <TrendChart
                points={data.inboundCallsPerHour}
                interval={data.callInterval}
                series={[{ key: 'calls', label: 'inbound calls', type: 'bar' }]}
                onClick={() => drill({ kind: 'terms', field: 'channels', values: ['phone'] })}
              />
            </Panel>
            <Panel title="Open tickets by priority" testId="chart-priorities">
              <BucketBars
                buckets={data.openTicketsByPriority}
                onDrill={drill}
                valueName="Open tickets"
              />
            </Panel>
            <Panel title="Open tickets by age" testId="chart-ticket-age">
              <BucketBars
                buckets={data.openTicketsByAge}
                onDrill={drill}
                valueName="Open tickets"
              />
            </Panel>
            <Panel title="Complaints" testId="chart-complaints">
              <TrendChart
                points={data.complaintsTrend}
                interval={data.interval}
                series={[{ key: 'complaints', label: 'complaints', type: 'bar' }]}
                onClick={() => drill({ kind: 'range', field: 'kpis.complaints12m', gte: 1 })}
              />
            </Panel>
            <Panel title="Orders and returns" testId="chart-orders">
              <TrendChart
                points={data.ordersAndReturns}
                interval={data.interval}
                series={[
                  { key: 'orders', label: 'orders', type: 'bar' },
                  { key: 'returns', label: 'returns', type: 'bar' },
                  { key: 'revenue', label: 'revenue', type: 'line', axis: 'right' },
                ]}
                onClick={() =>
                  drill({
                    kind: 'dateRange',
                    field: 'kpis.lastOrderAt',
                    from: {
                      days: -{ '24h': 1, '7d': 7, '30d': 30, '90d': 90, '365d': 365 }[range],
                    },
                  })
                }
              />
            </Panel>
            <Panel title="Revenue (lifetime value) by segment" testId="chart-revenue-segment">
              <BucketBars
                buckets={data.revenueBySegment}
                onDrill={drill}
                valueName="Lifetime value"
                money
              />
            </Panel>
            <Panel title="Order revenue by sales channel" testId="chart-revenue-channel">
              <BucketBars
                buckets={data.revenueBySalesChannel}
                onDrill={drill}
                valueName="Revenue"
                money
              />
            </Panel>
            <Panel title="NPS and CSAT" testId="chart-satisfaction">
              <TrendChart
                points={data.satisfactionTrend}
                interval={data.interval}
                series={[
                  { key: 'nps', label: 'NPS', type: 'line' },
                  { key: 'csat', label: 'CSAT', type: 'line', axis: 'right' },
                ]}
                onClick={() => drill({ kind: 'exists', field: 'kpis.lastNps' })}
              />
            </Panel>
            <Panel title="Contract cancellations (churn)" testId="chart-cancellations">
              <TrendChart
                points={data.cancellationsTrend}
                interval={data.interval}
                series={[{ key: 'cancellations', label: 'cancellations', type: 'bar' }]}
                onClick={() => drill({ kind: 'range', field: 'kpis.cancellations12m', gte: 1 })}
              />
            </Panel>
            <Panel title="Contracts ending in the next 90 days" testId="chart-contracts-ending">
              <TrendChart
                points={data.contractsEndingByWeek}
                interval="week"
                series={[{ key: 'contracts', label: 'contracts', type: 'bar' }]}
                onClick={() =>
                  drill({
                    kind: 'dateRange',
                    field: 'kpis.nextContractEnd',
                    from: { days: 0 },
                    to: { days: 90 },
                  })
                }
              />
            </Panel>
            <Panel title="Customers by segment" testId="chart-segments">
              <BucketBars buckets={data.customersBySegment} onDrill={drill} />
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}
