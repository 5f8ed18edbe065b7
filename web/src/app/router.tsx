import { BrowserRouter, Route, Routes } from 'react-router';
import { AppLayout } from './layout';
import { RequireAuth } from './require-auth';
import { CustomerRoute } from './routes/customer';
import { DashboardRoute } from './routes/dashboard';
import { ExploreRoute } from './routes/explore';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { SearchRoute } from './routes/search';

export function AppRouter() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route element={<RequireAuth />}>
          <Route element={<AppLayout />}>
            <Route index element={<SearchRoute />} />
            <Route path="customers/:id" element={<CustomerRoute />} />
            <Route path="dashboard" element={<DashboardRoute />} />
            <Route path="explore" element={<ExploreRoute />} />
            <Route path="*" element={<NotFoundRoute />} />
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
