import '../../features/identity/identity.css';
import { useParams } from 'react-router';
import { Panel } from '../../components/panel';
import { CustomerIdentity } from '../../features/identity/components/customer-identity';
import { DuplicateQueue } from '../../features/identity/components/duplicate-queue';
import { IdentityActions } from '../../features/identity/components/identity-actions';
import { LabelsExport } from '../../features/identity/components/labels-export';
import { MatchingStatusView } from '../../features/identity/components/matching-status';

export function IdentityRoute() {
  return (
    <div className="page identity-page">
      <h1 className="page-title">Identity review</h1>
      <Panel title="Suspected duplicates" testId="suspected-duplicates" aside={<LabelsExport />}>
        <DuplicateQueue />
      </Panel>
      <Panel title="Probabilistic matching" testId="matching">
        <MatchingStatusView />
      </Panel>
      <Panel title="Recent identity actions" testId="identity-actions">
        <IdentityActions />
      </Panel>
    </div>
  );
}

export function IdentityCustomerRoute() {
  const { id = '' } = useParams();
  return (
    <div className="page identity-page">
      <h1 className="page-title">Identity of a customer</h1>
      <Panel title="Identity" testId="customer-identity">
        <CustomerIdentity key={id} id={id} />
      </Panel>
    </div>
  );
}
