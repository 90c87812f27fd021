import type { ClientBudgetState, ListClientsRequest, ListClientsResult } from './types';

/** Helpers both store implementations use, so they answer the same way. */

export const defaultListLimit = 50;
export const maxListLimit = 1000;

/** Offset and limit clamped to sane values. */
export function pageOf(request: ListClientsRequest): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const limit = Math.min(maxListLimit, Math.max(1, Math.floor(request.limit ?? defaultListLimit)));
  return { offset, limit };
}

/** 'cost': highest net cost first, ties by id; 'clientId': ascending by id. */
export function compareClients(sortBy: ListClientsRequest['sortBy']): (a: ClientBudgetState, b: ClientBudgetState) => number {
  const byId = (a: ClientBudgetState, b: ClientBudgetState) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0);
  if (sortBy === 'clientId') return byId;
  return (a, b) => b.totalCost - a.totalCost || byId(a, b);
}

export function sortAndPage(all: ClientBudgetState[], request: ListClientsRequest): ListClientsResult {
  const { offset, limit } = pageOf(request);
  all.sort(compareClients(request.sortBy));
  return { total: all.length, clients: all.slice(offset, offset + limit) };
}

export function checkMultiplier(multiplier: number): void {
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier <= 0) {
    throw new TypeError('multiplier must be a finite number > 0');
  }
}
