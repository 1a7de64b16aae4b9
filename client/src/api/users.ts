import type { CreateUserBody, UpdateUserBody, UserDto } from '@exam/shared';
import { http } from './http';

export const usersApi = {
  list: () => http.get<UserDto[]>('/api/users'),
  create: (body: CreateUserBody) => http.post<UserDto>('/api/users', body),
  update: (id: number, body: UpdateUserBody) => http.patch<UserDto>(`/api/users/${id}`, body),
  signOutEverywhere: (id: number) => http.post<UserDto>(`/api/users/${id}/sign-out-everywhere`, {}),
};
