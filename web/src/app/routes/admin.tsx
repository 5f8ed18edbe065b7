import { Forbidden } from '../../components/error-message';
import { DeadLetters } from '../../features/admin/components/dead-letters';
import { ProfileRebuild } from '../../features/admin/components/profile-rebuild';
import { UsersAdmin } from '../../features/admin/components/users-admin';
import { useSession } from '../../lib/auth-session';
import { canSee } from '../../lib/authorization';

export function AdminRoute() {
  const role = useSession()?.role;
  if (!canSee(role, 'admin')) return <Forbidden role={role} />;
  return (
    <div className="page admin-page">
      <h1 className="page-title">Administration</h1>
      <UsersAdmin />
      <ProfileRebuild />
      <DeadLetters />
    </div>
  );
}
