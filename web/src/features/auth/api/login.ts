import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { setSession } from '../../../lib/auth-session';
import type { LoginAnswer } from '../../../lib/domain-types';

export interface LoginInput {
  username: string;
  password: string;
}

export function login(input: LoginInput): Promise<LoginAnswer> {
  // A 401 here means wrong credentials, not an ended session: no redirect. No old token either: the server would refuse it.
  return api.post<LoginAnswer>('/auth/login', input, { skipAuthRedirect: true, anonymous: true });
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    meta: { showsOwnError: true },
    onSuccess: (answer) =>
      setSession({ token: answer.token, role: answer.role, expiresAt: answer.expiresAt }),
  });
}
