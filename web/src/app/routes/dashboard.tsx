import { LiveDashboard } from '../../features/dashboard/components/live-dashboard';
import { IngestStatusTile } from '../../features/ingest/components/ingest-status-tile';
import { PanelErrorBoundary } from '../../components/error-boundary';
import { useNavigate } from 'react-router';
import { drillDownPath } from '../../lib/drill-down';

export function DashboardRoute() {
  const navigate = useNavigate();
  return (
    <div className="page dashboard-page">
      <h1 className="page-title">Dashboard</h1>
      <PanelErrorBoundary label="Dashboard">
        <LiveDashboard
          onDrill={(filter) => navigate(drillDownPath(filter))}
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
