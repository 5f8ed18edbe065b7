import { useState } from 'react';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';
import { errorMessage } from '../../../lib/api-client';
import { useCreateSegment } from '../api/segments';

/** Saves the current filter as a named segment; membership is then kept on every profile rebuild. */
export function SaveSegment({ filter }: { filter: Filter | null }) {
  const [name, setName] = useState('');
  const create = useCreateSegment();
  return (
    <form
      className="save-segment"
      onSubmit={(e) => {
        e.preventDefault();
        if (filter && name.trim()) create.mutate({ name: name.trim(), filter });
      }}
    >
      <input aria-label="Segment name" placeholder="Segment name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
      <button type="submit" className="button small primary" disabled={!filter || !name.trim() || create.isPending}>
        Save as segment
      </button>
      {create.isSuccess && (
        <span className="success-text" data-testid="segment-saved">
          Saved “{create.data.segment.name}”: {create.data.queuedForEvaluation} customers are being evaluated.
        </span>
      )}
      {create.isError && <span className="danger-text">{errorMessage(create.error)}</span>}
    </form>
  );
}
