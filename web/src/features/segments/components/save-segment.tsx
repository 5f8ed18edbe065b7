import { useState } from 'react';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';
import {
  marketingChannels,
  type MarketingChannel,
} from '../../../../../domain/src/marketing-consent';
import { errorMessage } from '../../../lib/api-client';
import { formatNumber } from '../../../lib/format';
import { useConsentPreview, useCreateSegment } from '../api/segments';

/**
 * Saves the current filter as a named segment; membership is then kept on
 * every profile rebuild. A segment for marketing names the channels it will
 * use: customers without marketing consent on them are left out, and the
 * dialog says how many before and after saving.
 */
export function SaveSegment({ filter }: { filter: Filter | null }) {
  const [name, setName] = useState('');
  const [marketing, setMarketing] = useState(false);
  const [channels, setChannels] = useState<MarketingChannel[]>(['email']);
  const create = useCreateSegment();
  const preview = useConsentPreview(marketing ? filter : null, channels);
  const toggle = (channel: MarketingChannel, on: boolean) =>
    setChannels((current) =>
      on
        ? marketingChannels.filter((c) => c === channel || current.includes(c))
        : current.filter((c) => c !== channel),
    );
  const ready = Boolean(filter && name.trim()) && (!marketing || channels.length > 0);
  const saved = create.data?.segment;
  return (
    <form
      className="save-segment"
      onSubmit={(e) => {
        e.preventDefault();
        if (filter && ready)
          create.mutate({
            name: name.trim(),
            filter,
            ...(marketing ? { purpose: 'marketing' as const, consentChannels: channels } : {}),
          });
      }}
    >
      <input
        aria-label="Segment name"
        placeholder="Segment name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={80}
      />
      <select
        aria-label="Segment purpose"
        value={marketing ? 'marketing' : ''}
        onChange={(e) => setMarketing(e.target.value === 'marketing')}
      >
        <option value="">Any use</option>
        <option value="marketing">Marketing (needs consent)</option>
      </select>
      {marketing && (
        <fieldset className="consent-channels" aria-label="Consent needed on">
          {marketingChannels.map((channel) => (
            <label key={channel}>
              <input
                type="checkbox"
                aria-label={`Consent for ${channel}`}
                checked={channels.includes(channel)}
                onChange={(e) => toggle(channel, e.target.checked)}
              />{' '}
              {channel}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" className="button small primary" disabled={!ready || create.isPending}>
        Save as segment
      </button>
      {marketing && preview.data && !create.isSuccess && (
        <span className="muted" data-testid="segment-consent-preview">
          {formatNumber(preview.data.excludedWithoutConsent)} of{' '}
          {formatNumber(preview.data.matching)} lack consent and will be left out
        </span>
      )}
      {marketing && channels.length === 0 && (
        <span className="danger-text">Pick the channels the marketing will use.</span>
      )}
      {create.isSuccess && saved && (
        <span className="success-text" data-testid="segment-saved">
          Saved “{saved.name}”: {create.data.queuedForEvaluation} customers are being evaluated.
          {saved.excludedWithoutConsent !== undefined && (
            <>
              {' '}
              <span data-testid="segment-saved-excluded">
                {formatNumber(saved.excludedWithoutConsent)}
              </span>{' '}
              matching customers are left out for lacking consent.
            </>
          )}
        </span>
      )}
      {create.isError && <span className="danger-text">{errorMessage(create.error)}</span>}
    </form>
  );
}
