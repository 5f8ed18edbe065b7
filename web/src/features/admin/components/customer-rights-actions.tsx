import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { errorMessage } from '../../../lib/api-client';
import { notify } from '../../../lib/notifications';
import { exportCustomer, useEraseCustomer } from '../api/customer-rights';

/** The data subject's rights on a profile (admin only): export everything, erase everything. */
export function CustomerRightsActions({ customerId }: { customerId: string }) {
  const navigate = useNavigate();
  const erase = useEraseCustomer();
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      const data = await exportCustomer(customerId);
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `customer-${customerId}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      notify(errorMessage(error));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Panel title="Personal data (admin)" testId="customer-rights">
      <div className="rights-actions">
        <button
          type="button"
          className="button small"
          onClick={() => void download()}
          disabled={exporting}
        >
          {exporting ? 'Exporting…' : 'Export all data (JSON)'}
        </button>
        {!confirming ? (
          <button
            type="button"
            className="button small danger-text"
            onClick={() => setConfirming(true)}
          >
            Erase this customer…
          </button>
        ) : (
          <span className="confirm-erase" role="alert">
            Erase the profile, every touchpoint, identity link and snapshot for good?{' '}
            <button
              type="button"
              className="button small danger-text"
              disabled={erase.isPending}
              onClick={() =>
                erase.mutate(customerId, {
                  onSuccess: (answer) => {
                    notify(
                      `Erased: ${answer.touchpoints} touchpoints, ${answer.links} identity links.`,
                      'info',
                    );
                    navigate('/', { replace: true });
                  },
                })
              }
            >
              {erase.isPending ? 'Erasing…' : 'Yes, erase'}
            </button>{' '}
            <button type="button" className="button small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {erase.isError && <ErrorMessage error={erase.error} />}
    </Panel>
  );
}
