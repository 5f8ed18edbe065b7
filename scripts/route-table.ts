/**
 * Prints the route × role table of the README from the route policies
 * (`npm run routes:table`); a test fails when the README's copy differs.
 */
import { apiRoutes } from '../server/src/app';
import type { ServerContext } from '../server/src/context';
import { routeTable, routesOf } from '../server/src/privacy/route-policy';

// Building the routers does no I/O: a context is only read when a request comes.
console.log(routeTable(routesOf(apiRoutes({} as ServerContext))));
