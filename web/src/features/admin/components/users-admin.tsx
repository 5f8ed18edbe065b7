import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { errorMessage } from '../../../lib/api-client';
import type { Role } from '../../../lib/domain-types';
import { notify } from '../../../lib/notifications';
import {
  useApiKeys,
  useCreateApiKey,
  useCreateUser,
  useDeleteApiKey,
  useDeleteUser,
  useUpdateUser,
  useUsers,
} from '../api/users';

const peopleRoles: Role[] = ['agent', 'manager', 'analyst', 'admin'];
const keyRoles: Role[] = ['ingest', ...peopleRoles];

/** Users and API keys, managed by an admin. A new password or key is shown once. */
export function UsersAdmin() {
  const users = useUsers();
  const keys = useApiKeys();
  const createUser = useCreateUser();
  const updateUser = useUpdateUser();
  const deleteUser = useDeleteUser();
  const createKey = useCreateApiKey();
  const deleteKey = useDeleteApiKey();
  const [newUser, setNewUser] = useState({ username: '', role: 'agent' as Role });
  const [newKey, setNewKey] = useState({ name: '', role: 'ingest' as Role });
  const [secret, setSecret] = useState<string | null>(null);

  const onError = (error: unknown) => notify(errorMessage(error));

  const addUser = (event: FormEvent) => {
    event.preventDefault();
    createUser.mutate(newUser, {
      onSuccess: (created) => {
        setSecret(
          created.password
            ? `Password of ${created.username} (shown once): ${created.password}`
            : null,
        );
        setNewUser({ username: '', role: 'agent' });
      },
    });
  };
  const addKey = (event: FormEvent) => {
    event.preventDefault();
    createKey.mutate(newKey, {
      onSuccess: (created) => {
        setSecret(`API key "${created.name}" (shown once): ${created.key}`);
        setNewKey({ name: '', role: 'ingest' });
      },
    });
  };
  const resetPassword = (username: string) => {
    const password = window.prompt(`New password for ${username} (at least 12 characters)`);
    if (password)
      updateUser.mutate(
        { username, password },
        { onSuccess: () => notify(`Password of ${username} changed.`, 'info'), onError },
      );
  };

  return (
    <div className="admin-grid">
      {secret && (
        <div className="secret-once" role="status" data-testid="secret-once">
          <span className="mono">{secret}</span>{' '}
          <button type="button" className="button small" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </div>
      )}
      <Panel title="Users" testId="users-admin">
        {users.isPending ? (
          <Skeleton lines={4} label="Loading users" />
        ) : users.isError ? (
          <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Username</th>
                <th>Role</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.username} data-testid="user-row">
                  <td>{u.username}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={u.role}
                      onChange={(e) =>
                        updateUser.mutate(
                          { username: u.username, role: e.target.value as Role },
                          { onError },
                        )
                      }
                    >
                      {peopleRoles.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => resetPassword(u.username)}
                    >
                      Set password
                    </button>{' '}
                    <button
                      type="button"
                      className="button small danger-text"
                      onClick={() =>
                        window.confirm(`Delete ${u.username}?`) &&
                        deleteUser.mutate(u.username, { onError })
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="inline-form" onSubmit={addUser} aria-label="Add a user">
          <input
            aria-label="New username"
            placeholder="username"
            value={newUser.username}
            onChange={(e) => setNewUser({ ...newUser, username: e.target.value })}
            required
          />
          <select
            aria-label="New user's role"
            value={newUser.role}
            onChange={(e) => setNewUser({ ...newUser, role: e.target.value as Role })}
          >
            {peopleRoles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" className="button primary small" disabled={createUser.isPending}>
            Add user
          </button>
        </form>
        {createUser.isError && <ErrorMessage error={createUser.error} />}
      </Panel>
      <Panel title="API keys" testId="api-keys-admin">
        {keys.isPending ? (
          <Skeleton lines={3} label="Loading API keys" />
        ) : keys.isError ? (
          <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Ends in</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.name} data-testid="api-key-row">
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td className="mono">…{k.hint}</td>
                  <td>
                    <button
                      type="button"
                      className="button small danger-text"
                      onClick={() =>
                        window.confirm(`Revoke ${k.name}?`) && deleteKey.mutate(k.name, { onError })
                      }
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="inline-form" onSubmit={addKey} aria-label="Add an API key">
          <input
            aria-label="New key name"
            placeholder="name, e.g. shop feed"
            value={newKey.name}
            onChange={(e) => setNewKey({ ...newKey, name: e.target.value })}
            required
          />
          <select
            aria-label="New key's role"
            value={newKey.role}
            onChange={(e) => setNewKey({ ...newKey, role: e.target.value as Role })}
          >
            {keyRoles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" className="button primary small" disabled={createKey.isPending}>
            Create key
          </button>
        </form>
        {createKey.isError && <ErrorMessage error={createKey.error} />}
      </Panel>
    </div>
  );
}
