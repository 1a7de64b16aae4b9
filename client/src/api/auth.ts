import type { LoginBody, Me } from '@exam/shared';
import { http } from './http';

export const authApi = {
  me: () => http.get<Me>('/api/auth/me'),
  login: (body: LoginBody) => http.post<Me>('/api/auth/login', body),
  logout: () => http.post<{ ok: true }>('/api/auth/logout'),
};
