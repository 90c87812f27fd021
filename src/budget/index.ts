export * from './bucket';
export * from './options';
export * from './resolve-limits';
export { createBudget, type Budget, type BudgetCharge } from './budget';
