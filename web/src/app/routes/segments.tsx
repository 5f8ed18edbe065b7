import { Link } from 'react-router';
import '../../analytics.css';
import { Panel } from '../../components/panel';
import { drillDownPath } from '../../lib/drill-down';
import { MigrationView } from '../../features/segments/components/migration-view';
import { SegmentList } from '../../features/segments/components/segment-list';
import type { Filter } from '../../../../domain/src/analytics/query-schema';

export function SegmentsRoute() {
  return (
    <div className="page segments-page">
      <h1 className="page-title">Segments</h1>
      <nav className="tabs" aria-label="Explore views">
        <Link to="/explore">Quick facets</Link>
        <Link to="/explore/builder">Filter builder</Link>
        <Link to="/segments" aria-current="page">
          Segments
        </Link>
      </nav>
      <Panel title="Saved segments" testId="saved-segments">
        <SegmentList drillDownPath={(filter) => drillDownPath(filter as Filter)} />
      </Panel>
      <Panel title="Segment migration" testId="segment-migration">
        <MigrationView />
      </Panel>
    </div>
  );
}
