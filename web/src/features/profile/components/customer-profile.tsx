import { useEffect } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { PanelErrorBoundary } from '../../../components/error-boundary';
import type { Profile } from '../../../lib/domain-types';
import { useCustomer } from '../api/get-customer';
import { AddNote } from './add-note';
import { Consents } from './consents';
import { Contracts } from './contracts';
import { Identities } from './identities';
import { IdentityLinks } from './identity-links';
import { KpiStrip } from './kpi-strip';
import { NextBestAction } from './next-best-action';
import { OpenTickets } from './open-tickets';
import { PinnedNotes } from './pinned-notes';
import { ProfileHeader } from './profile-header';
import { RecentOrders } from './recent-orders';
import { Timeline } from './timeline';

interface CustomerProfileProps {
  customerId: string;
  /** Called when the server answered with another profile (the id was merged into it). */
  onResolvedTo?: (profile: Profile) => void;
  /** Called once the profile is shown (e.g. to remember it as a recent lookup). */
  onLoaded?: (profile: Profile) => void;
}

/** The 360 view: everything about one customer on one screen. */
export function CustomerProfile({ customerId, onResolvedTo, onLoaded }: CustomerProfileProps) {
  const customer = useCustomer(customerId);
  const resolved = customer.data;
  useEffect(() => {
    if (resolved && resolved.id !== customerId) onResolvedTo?.(resolved);
  }, [resolved, customerId, onResolvedTo]);
  useEffect(() => {
    if (resolved && resolved.id === customerId) onLoaded?.(resolved);
  }, [resolved, customerId, onLoaded]);

  if (customer.isPending) {
    return (
      <div className="profile" aria-busy="true">
        <Skeleton lines={2} label="Loading profile" />
        <div className="profile-grid">
          <Skeleton lines={6} />
          <Skeleton lines={6} />
          <Skeleton lines={6} />
        </div>
      </div>
    );
  }
  if (customer.isError) {
    return (
      <ErrorMessage
        error={customer.error}
        title="Profile could not be loaded"
        onRetry={() => customer.refetch()}
      />
    );
  }

  const profile = customer.data;
  return (
    <article className="profile" data-testid="profile" data-customer-id={profile.id}>
      <PanelErrorBoundary label="Header">
        <ProfileHeader profile={profile} />
      </PanelErrorBoundary>
      <PanelErrorBoundary label="Pinned notes">
        <PinnedNotes notes={profile.pinnedNotes} />
      </PanelErrorBoundary>
      <PanelErrorBoundary label="Key figures">
        <KpiStrip kpis={profile.kpis} />
      </PanelErrorBoundary>
      <div className="profile-grid">
        <div className="profile-column">
          <Panel title="Next best action" testId="next-best-action">
            <NextBestAction profile={profile} />
          </Panel>
          <Panel title="Identities" testId="identities">
            <Identities profile={profile} />
          </Panel>
          <Panel title="Why these records are one customer" testId="identity-links">
            <IdentityLinks profile={profile} />
          </Panel>
          <Panel title="Consents" testId="consents">
            <Consents consents={profile.consents} />
          </Panel>
        </div>
        <div className="profile-column">
          <Panel
            title="Open tickets"
            testId="open-tickets"
            aside={<span className="count">{profile.openTickets.length}</span>}
          >
            <OpenTickets tickets={profile.openTickets} />
          </Panel>
          <Panel title="Recent orders" testId="recent-orders">
            <RecentOrders orders={profile.recentOrders} />
          </Panel>
          <Panel title="Contracts" testId="contracts">
            <Contracts contracts={profile.contracts} />
          </Panel>
        </div>
        <div className="profile-column timeline-column">
          <Panel title="Add a note" testId="note-panel">
            <AddNote customerId={profile.id} />
          </Panel>
          <Panel
            title="Timeline"
            testId="timeline"
            aside={<span className="count">{profile.kpis.touchpointCount} touchpoints</span>}
          >
            <Timeline key={profile.id} customerId={profile.id} />
          </Panel>
        </div>
      </div>
    </article>
  );
}
