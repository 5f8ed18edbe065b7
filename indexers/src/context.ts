import type { Replicas } from '../../infra/src/index-layout';
import type { Suppression } from '../../infra/src/suppression';
import type { StoreContext } from '../../store/src/context';

/** What every processor needs: the stores, plus what only ingestion checks. */
export interface IndexerContext extends StoreContext {
  /** The suppression list's pepper (the API's); absent or null: erased identifiers are not checked. */
  suppression?: Suppression | null;
  /** Replicas of the indices it creates (the daily snapshots; PANORAMA_ES_REPLICAS); default `auto`. */
  replicas?: Replicas;
}
