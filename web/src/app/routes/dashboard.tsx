import { LiveDashboard } from '../../features/dashboard/components/live-dashboard';
import { IngestStatusTile } from '../../features/ingest/components/ingest-status-tile';
import { PanelErrorBoundary } from '../../components/error-boundary';

export function DashboardRoute() {
  return (
    <div className="page dashboard-page">
      <h1 className="page-title">Dashboard</h1>
      <PanelErrorBoundary label="Dashboard">
        <LiveDashboard
          extraTiles={
            <PanelErrorBoundary label="Ingest status">
              <IngestStatusTile />
            </PanelErrorBoundary>
          }
        />
      </PanelErrorBoundary>
    </div>
  );
}
