import '../../features/identity/identity.css';
import { Panel } from '../../components/panel';
import { DataQualityView } from '../../features/data-quality/components/data-quality-view';

export function DataQualityRoute() {
  return (
    <div className="page data-quality-page">
      <h1 className="page-title">Data quality</h1>
      <Panel title="Data quality" testId="data-quality">
        <DataQualityView />
      </Panel>
    </div>
  );
}
