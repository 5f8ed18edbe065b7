import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useLogin } from '../api/login';
import type { LoginAnswer } from '../../../lib/domain-types';

export function LoginForm({ onLoggedIn }: { onLoggedIn: (answer: LoginAnswer) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password }, { onSuccess: onLoggedIn });
  };

  const error = login.error;
  const message =
    error instanceof ApiError && (error.status === 401 || error.status === 403)
      ? 'Wrong username or password'
      : error
        ? errorMessage(error)
        : null;

  return (
    <form className="login-form" onSubmit={onSubmit} aria-label="Log in">
      <h1>Panorama</h1>
      <p className="muted">Customer 360 — log in to continue.</p>
      <label>
        Username
        <input
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {message && (
        <div className="error-box" role="alert" data-testid="login-error">
          {message}
        </div>
      )}
      <button type="submit" className="button primary" disabled={login.isPending}>
        {login.isPending ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
