import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../../lib/api-client';
import { useCustomerRecords, useDetach, useSplit } from '../api/identity-review';
import { CustomerMerges } from './identity-actions';

const kindLabels: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  cnum: 'customer number',
  ext: 'external id',
};

/**
 * Why a profile's records are together and where each value comes from, with
 * the repairs: split selected records out, detach one identifier, undo a
 * merge by score (shown with its field-by-field explanation).
 */
export function CustomerIdentity({ id }: { id: string }) {
  const data = useCustomerRecords(id);
  const split = useSplit();
  const detach = useDetach();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);
  if (data.isPending) return <p>Loading…</p>;
  if (data.isError) return <p role="alert">{errorMessage(data.error)}</p>;
  const { profile, records } = data.data;
  const toggle = (key: string) =>
    setSelected((s) => (s.includes(key) ? s.filter((k) => k !== key) : [...s, key]));
  const error = split.error ?? detach.error;
  return (
    <div className="customer-identity">
      <h2>
        <Link to={`/customers/${encodeURIComponent(profile.id)}`}>{profile.name}</Link>
      </h2>
      <section aria-label="Why these records are one customer">
        <h3>Links</h3>
        <ul>
          {(profile.identityLinks ?? []).map((l) => (
            <li
              key={`${l.kind}:${l.value}`}
              data-testid="identity-link"
              className={l.current ? 'current' : 'former'}
            >
              {kindLabels[l.kind] ?? l.kind} <strong>{l.value}</strong>
              {!l.current && <span className="badge muted-badge">former</span>} seen in{' '}
              {l.records.join(' and ')}{' '}
              {(l.kind === 'email' || l.kind === 'phone') && (
                <button
                  type="button"
                  className="button small secondary"
                  disabled={detach.isPending}
                  onClick={() =>
                    detach.mutate({ customerId: profile.id, identifier: `${l.kind}:${l.value}` })
                  }
                >
                  Detach
                </button>
              )}
            </li>
          ))}
          {(profile.identityLinks ?? []).length === 0 && <li>Only one record: nothing joined.</li>}
        </ul>
      </section>
      <CustomerMerges customerId={profile.id} />
      <section aria-label="Where the values come from">
        <h3>Values and their sources</h3>
        <ul>
          {Object.entries(profile.fieldSources ?? {}).map(([field, src]) => (
            <li key={field} data-testid="field-source">
              {field}: from {src.source} ({src.key}, {new Date(src.occurredAt).toLocaleDateString()}
              )
            </li>
          ))}
        </ul>
        {profile.quality && profile.quality.invalid.length > 0 && (
          <p className="warning" data-testid="invalid-values">
            Invalid values kept as sent: {profile.quality.invalid.join(', ')} (from{' '}
            {profile.quality.invalidSources.join(', ')})
          </p>
        )}
      </section>
      <section aria-label="Records">
        <h3>Records</h3>
        <ul className="record-list">
          {records.map((r) => (
            <li key={r.key}>
              <label>
                <input
                  type="checkbox"
                  checked={selected.includes(r.key)}
                  onChange={() => toggle(r.key)}
                />{' '}
                {r.key} · {r.type} ·{' '}
                {[r.customer.firstName, r.customer.lastName].filter(Boolean).join(' ')}{' '}
                {r.customer.email ?? ''} {r.customer.phone ?? ''}
              </label>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button"
          disabled={selected.length === 0 || split.isPending}
          onClick={() =>
            split.mutate(
              { customerId: profile.id, touchpoints: selected },
              {
                onSuccess: (action) =>
                  navigate(`/identity/customers/${encodeURIComponent(action.otherId)}?split=1`),
              },
            )
          }
        >
          Split selected into a new profile
        </button>
      </section>
      {detach.data && <p role="status">Detached into profile {detach.data.otherId}.</p>}
      {error && <p role="alert">{errorMessage(error)}</p>}
    </div>
  );
}
