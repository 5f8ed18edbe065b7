import { Forbidden } from '../../components/error-message';
import { AuditLog } from '../../features/audit/components/audit-log';
import { useSession } from '../../lib/auth-session';
import { canSee } from '../../lib/authorization';

export function AuditRoute() {
  const role = useSession()?.role;
  if (!canSee(role, 'audit')) return <Forbidden role={role} />;
  return (
    <div className="page audit-page">
      <h1 className="page-title">Audit log</h1>
      <AuditLog />
    </div>
  );
}
