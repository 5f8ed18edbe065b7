import { useCallback, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FilterExplorer } from '../../features/explore/components/filter-explorer';
import {
  decodeFilter,
  encodeFilter,
  rootOf,
  toFilter,
  type GroupNode,
} from '../../features/explore/utils/filter-editor';
import { SaveSegment } from '../../features/segments/components/save-segment';

/** The filter builder page; `?filter=` (from a dashboard drill-down or a shared link) sets the starting filter. */
export function ExploreBuilderRoute() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  // Only the first URL seeds the editor; later edits write the URL, not the other way round.
  const [initial] = useState(() => rootOf(decodeFilter(params.get('filter'))));
  const [root, setRoot] = useState<GroupNode>(initial);
  const onRootChange = useCallback(
    (next: GroupNode) => {
      setRoot(next);
      const encoded = encodeFilter(toFilter(next));
      setParams(encoded ? { filter: encoded } : {}, { replace: true });
    },
    [setParams],
  );
  const onOpen = useCallback(
    (id: string) => navigate(`/customers/${encodeURIComponent(id)}`),
    [navigate],
  );
  return (
    <div className="page explore-page">
      <h1 className="page-title">
        Explore <span className="muted">· filter builder</span>
      </h1>
      <nav className="tabs" aria-label="Explore views">
        <Link to="/explore">Quick facets</Link>
        <Link to="/explore/builder" aria-current="page">
          Filter builder
        </Link>
        <Link to="/segments">Segments</Link>
      </nav>
      <FilterExplorer
        root={root}
        onRootChange={onRootChange}
        onOpen={onOpen}
        actions={(filter) => <SaveSegment filter={filter} />}
      />
    </div>
  );
}
