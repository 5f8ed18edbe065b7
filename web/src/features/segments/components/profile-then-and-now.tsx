import { ErrorMessage } from '../../../components/error-message';
import { Spinner } from '../../../components/spinner';
import { formatNumber } from '../../../lib/format';
import { useProfileAsOf } from '../api/profile-as-of';

const rows: {
  label: string;
  value: (p: NonNullable<ReturnType<typeof useProfileAsOf>['data']>) => string;
}[] = [
  { label: 'Segment', value: (p) => p.segment ?? '—' },
  { label: 'Lifetime value', value: (p) => formatNumber(p.kpis.lifetimeValue) },
  { label: 'Orders', value: (p) => formatNumber(p.kpis.orderCount) },
  { label: 'Open tickets', value: (p) => formatNumber(p.kpis.openTickets) },
  { label: 'Active contracts', value: (p) => formatNumber(p.kpis.activeContracts) },
  { label: 'Monthly revenue', value: (p) => formatNumber(p.kpis.monthlyRevenue) },
  { label: 'Last NPS', value: (p) => (p.kpis.lastNps === null ? '—' : String(p.kpis.lastNps)) },
  { label: 'Touchpoints', value: (p) => formatNumber(p.kpis.touchpointCount) },
];

/** The customer as of two days, side by side: the fold of its touchpoints up to each. */
export function ProfileThenAndNow({ id, from, to }: { id: string; from: string; to: string }) {
  const then = useProfileAsOf(id, from);
  const now = useProfileAsOf(id, to);
  if (then.isPending || now.isPending)
    return <Spinner label="Folding the profile as of both days" />;
  if (now.isError)
    return <ErrorMessage error={now.error} title="The profile could not be folded" />;
  return (
    <table
      className="data-table compact"
      aria-label="Profile then and now"
      data-testid="profile-then-and-now"
    >
      <thead>
        <tr>
          <th />
          <th>{from}</th>
          <th>{to}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{then.data ? r.value(then.data) : 'not a customer yet'}</td>
            <td>{now.data ? r.value(now.data) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
