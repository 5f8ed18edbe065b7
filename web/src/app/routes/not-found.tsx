import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <div className="page">
      <h1 className="page-title">Page not found</h1>
      <p>
        There is no page here. <Link to="/">Go to the search</Link>.
      </p>
    </div>
  );
}
