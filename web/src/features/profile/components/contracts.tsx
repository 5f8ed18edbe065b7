import { CopyValue } from '../../../components/copy-value';
import { daysUntil, formatDate, formatMoney } from '../../../lib/format';
import type { ContractSummary } from '../../../lib/domain-types';
import { contractEndWarningDays } from '../utils/profile-flags';

export function Contracts({ contracts }: { contracts: ContractSummary[] }) {
  if (contracts.length === 0) return <p className="muted">No contracts.</p>;
  return (
    <table className="data-table" aria-label="Contracts table">
      <thead>
        <tr>
          <th>Contract</th>
          <th>Status</th>
          <th>Start</th>
          <th>End</th>
          <th className="num">Monthly</th>
        </tr>
      </thead>
      <tbody>
        {contracts.map((c) => {
          const days = daysUntil(c.endDate);
          const ending =
            c.status === 'active' && days !== null && days >= 0 && days <= contractEndWarningDays;
          return (
            <tr key={c.key} data-testid="contract">
              <td>
                <span className="mono">
                  <CopyValue value={c.contractNumber} />
                </span>
                <div>
                  <strong>{c.product}</strong>
                </div>
                {c.options.length > 0 && (
                  <div className="muted small">+ {c.options.join(', ')}</div>
                )}
              </td>
              <td>
                <span className={`badge status-${c.status}`}>{c.status}</span>
                {c.cancellationRequestedAt && (
                  <div className="small danger-text">
                    cancellation requested {formatDate(c.cancellationRequestedAt)}
                  </div>
                )}
              </td>
              <td className="nowrap">{formatDate(c.startDate)}</td>
              <td className={`nowrap${ending ? ' warning-text' : ''}`} data-testid="contract-end">
                {formatDate(c.endDate)}
                {ending && <div className="small">in {days} days</div>}
              </td>
              <td className="num">{formatMoney(c.monthlyFee, c.currency)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
