export * from './options';
export * from './signals';
export * from './policy';
export * from './feedback-loop';
