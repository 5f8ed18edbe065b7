import { Link } from 'react-router';
import { errorMessage } from '../../../lib/api-client';
import { useSession } from '../../../lib/auth-session';
import { canSee } from '../../../lib/authorization';
import { useDataQuality } from '../api/get-data-quality';
import { DuplicatesTrend } from './duplicates-trend';

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function DataQualityView() {
  const q = useDataQuality();
  const role = useSession()?.role;
  if (q.isPending) return <p>Loading data quality…</p>;
  if (q.isError) return <p role="alert">{errorMessage(q.error)}</p>;
  const d = q.data;
  const tiles: [string, string][] = [
    ['Profiles', d.profiles.toLocaleString()],
    ['Valid email', percent(d.validEmailShare)],
    ['Valid phone', percent(d.validPhoneShare)],
    ['Valid address', percent(d.validAddressShare)],
    ['Consent coverage', percent(d.consentCoverage)],
    ['Open suspected duplicates', d.openSuspectedDuplicates.toLocaleString()],
  ];
  return (
    <div className="data-quality">
      <dl className="kpi-strip" aria-label="Data quality figures">
        {tiles.map(([label, value]) => (
          <div
            key={label}
            className="kpi"
            data-testid={`dq-${label.toLowerCase().replace(/\s+/g, '-')}`}
          >
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>Suspected duplicates</h3>
      <p data-testid="dq-open-duplicates">
        <strong>{d.openSuspectedDuplicates.toLocaleString()}</strong> open{' '}
        {canSee(role, 'identity') && <Link to="/identity">review them</Link>}
      </p>
      {d.duplicatesTrend && d.duplicatesTrend.length > 0 && (
        <DuplicatesTrend days={d.duplicatesTrend} />
      )}
      <h3>Worst sources</h3>
      <table aria-label="Worst sources">
        <thead>
          <tr>
            <th>Source</th>
            <th>Profiles with invalid values</th>
            <th>Share of its profiles</th>
          </tr>
        </thead>
        <tbody>
          {d.worstSources.map((s) => (
            <tr key={s.source}>
              <td>{s.source}</td>
              <td>{s.profilesWithInvalidValues}</td>
              <td>{percent(s.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Profiles per source</h3>
      <table aria-label="Profiles per source">
        <tbody>
          {d.profilesPerSource.map((s) => (
            <tr key={s.value}>
              <td>{s.value}</td>
              <td>{s.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Updated {new Date(d.generatedAt).toLocaleTimeString()}</p>
    </div>
  );
}
