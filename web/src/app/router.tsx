import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Skeleton } from '../components/spinner';
import { AppLayout } from './layout';
import { RequireAuth } from './require-auth';
import { CustomerRoute } from './routes/customer';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { SearchRoute } from './routes/search';

// Charts (recharts) are most of the bundle: the agent's search and profile load without them.
const DashboardRoute = lazy(() =>
  import('./routes/dashboard').then((m) => ({ default: m.DashboardRoute })),
);
const ExploreRoute = lazy(() =>
  import('./routes/explore').then((m) => ({ default: m.ExploreRoute })),
);
const ExploreBuilderRoute = lazy(() =>
  import('./routes/explore-builder').then((m) => ({ default: m.ExploreBuilderRoute })),
);
const SegmentsRoute = lazy(() =>
  import('./routes/segments').then((m) => ({ default: m.SegmentsRoute })),
);
const IdentityRoute = lazy(() =>
  import('./routes/identity').then((m) => ({ default: m.IdentityRoute })),
);
const IdentityCustomerRoute = lazy(() =>
  import('./routes/identity').then((m) => ({ default: m.IdentityCustomerRoute })),
);
const AuditRoute = lazy(() => import('./routes/audit').then((m) => ({ default: m.AuditRoute })));
const AdminRoute = lazy(() => import('./routes/admin').then((m) => ({ default: m.AdminRoute })));
const DataQualityRoute = lazy(() =>
  import('./routes/data-quality').then((m) => ({ default: m.DataQualityRoute })),
);

export function AppRouter() {
  return (
    <BrowserRouter>
      <Suspense fallback={<Skeleton lines={6} label="Loading page" />}>
        <Routes>
          <Route path="/login" element={<LoginRoute />} />
          <Route element={<RequireAuth />}>
            <Route element={<AppLayout />}>
              <Route index element={<SearchRoute />} />
              <Route path="customers/:id" element={<CustomerRoute />} />
              <Route path="dashboard" element={<DashboardRoute />} />
              <Route path="explore" element={<ExploreRoute />} />
              <Route path="explore/builder" element={<ExploreBuilderRoute />} />
              <Route path="segments" element={<SegmentsRoute />} />
              <Route path="identity" element={<IdentityRoute />} />
              <Route path="identity/customers/:id" element={<IdentityCustomerRoute />} />
              <Route path="data-quality" element={<DataQualityRoute />} />
              <Route path="audit" element={<AuditRoute />} />
              <Route path="admin" element={<AdminRoute />} />
              <Route path="*" element={<NotFoundRoute />} />
            </Route>
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
