import { daysUntil, formatDate, formatMoney, formatNumber } from '../../../lib/format';
import type { Kpis } from '../../../lib/domain-types';
import { contractEndWarningDays } from '../utils/profile-flags';

interface Tile {
  key: string;
  label: string;
  value: string;
  hint?: string;
  tone?: 'danger' | 'warning';
}

export function KpiStrip({ kpis }: { kpis: Kpis }) {
  const daysToEnd = daysUntil(kpis.nextContractEnd);
  const tiles: Tile[] = [
    {
      key: 'lifetime-value',
      label: 'Lifetime value',
      value: formatMoney(kpis.lifetimeValue, kpis.currency),
    },
    {
      key: 'orders',
      label: 'Orders',
      value: formatNumber(kpis.orderCount),
      hint: kpis.returnCount ? `${kpis.returnCount} returned` : undefined,
    },
    { key: 'aov', label: 'AOV', value: formatMoney(kpis.averageOrderValue, kpis.currency) },
    { key: 'last-order', label: 'Last order', value: formatDate(kpis.lastOrderAt) },
    {
      key: 'open-tickets',
      label: 'Open tickets',
      value: formatNumber(kpis.openTickets),
      tone: kpis.openTickets > 0 ? 'warning' : undefined,
    },
    {
      key: 'complaints-12m',
      label: 'Complaints 12m',
      value: formatNumber(kpis.complaints12m),
      tone: kpis.complaints12m > 0 ? 'danger' : undefined,
    },
    {
      key: 'active-contracts',
      label: 'Active contracts',
      value: formatNumber(kpis.activeContracts),
    },
    {
      key: 'next-contract-end',
      label: 'Next contract end',
      value: formatDate(kpis.nextContractEnd),
      hint: daysToEnd !== null && daysToEnd >= 0 ? `in ${daysToEnd} days` : undefined,
      tone:
        daysToEnd !== null && daysToEnd >= 0 && daysToEnd <= contractEndWarningDays
          ? 'warning'
          : undefined,
    },
    {
      key: 'monthly-revenue',
      label: 'Monthly revenue',
      value: formatMoney(kpis.monthlyRevenue, kpis.currency),
    },
    {
      key: 'last-nps',
      label: 'Last NPS',
      value: kpis.lastNps === null ? '—' : String(kpis.lastNps),
      hint: kpis.lastNpsComment ?? undefined,
      tone: kpis.lastNps !== null && kpis.lastNps <= 6 ? 'danger' : undefined,
    },
  ];
  return (
    <dl className="kpi-strip" aria-label="Key figures">
      {tiles.map((t) => (
        <div
          key={t.key}
          className={`kpi${t.tone ? ` ${t.tone}` : ''}`}
          data-testid={`kpi-${t.key}`}
        >
          <dt>{t.label}</dt>
          <dd>{t.value}</dd>
          {t.hint && (
            <dd className="kpi-hint" title={t.hint}>
              {t.hint}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
