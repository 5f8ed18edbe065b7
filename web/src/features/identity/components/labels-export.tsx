import { useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { downloadLabels, type LabelFormat } from '../api/download-labels';

/** Decided pairs as labels (match / non-match) with score and levels, no names: to measure the model. */
export function LabelsExport() {
  const [state, setState] = useState<{ busy: boolean; message: string; failed: boolean }>({
    busy: false,
    message: '',
    failed: false,
  });
  const run = async (format: LabelFormat) => {
    setState({ busy: true, message: '', failed: false });
    try {
      const file = await downloadLabels(format);
      setState({ busy: false, message: `Downloaded ${file}.`, failed: false });
    } catch (error) {
      setState({ busy: false, message: errorMessage(error), failed: true });
    }
  };
  return (
    <div className="labels-export" data-testid="labels-export">
      <span>Decisions as labels: </span>
      <button
        type="button"
        className="link-button"
        disabled={state.busy}
        onClick={() => run('csv')}
      >
        Download CSV
      </button>{' '}
      ·{' '}
      <button
        type="button"
        className="link-button"
        disabled={state.busy}
        onClick={() => run('json')}
      >
        Download JSON
      </button>{' '}
      {state.message && (
        <span
          className={state.failed ? 'danger-text' : 'muted'}
          role={state.failed ? 'alert' : 'status'}
        >
          {state.message}
        </span>
      )}
    </div>
  );
}
