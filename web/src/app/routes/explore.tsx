import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import '../../analytics.css';
import { ExploreView } from '../../features/explore/components/explore-view';
import {
  parseExploreParams,
  toExploreParams,
  type ExploreState,
} from '../../features/explore/utils/explore-params';

export function ExploreRoute() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const state = useMemo(() => parseExploreParams(params), [params]);
  const onChange = useCallback(
    (next: ExploreState) => setParams(toExploreParams(next)),
    [setParams],
  );
  const onOpen = useCallback(
    (id: string) => navigate(`/customers/${encodeURIComponent(id)}`),
    [navigate],
  );
  return (
    <div className="page explore-page">
      <h1 className="page-title">Explore</h1>
      <nav className="tabs" aria-label="Explore views">
        <Link to="/explore" aria-current="page">
          Quick facets
        </Link>
        <Link to="/explore/builder">Filter builder</Link>
        <Link to="/segments">Segments</Link>
      </nav>
      <ExploreView state={state} onChange={onChange} onOpen={onOpen} />
    </div>
  );
}
