export type {
  AuditEvent,
  BudgetStore,
  ChargeRequest,
  ChargeResult,
  ClientBudgetState,
  ListClientsRequest,
  ListClientsResult,
  RefundResult,
  SignalReading,
  SignalSample,
  SignalWindow,
} from './types';
export { createMemoryStore, defaultMemoryStoreOptions, type MemoryStoreOptions } from './memory-store';
export { createRedisStore, defaultRedisStoreOptions, hashTag, redisKeys, type RedisStoreOptions } from './redis-store';
export {
  createResilientStore,
  defaultResilientStoreOptions,
  type ResilientStore,
  type ResilientStoreOptions,
  type StoreErrorEvent,
  type StoreFailureMode,
} from './resilient-store';
export { StoreUnavailableError, isStoreUnavailableError } from './errors';
