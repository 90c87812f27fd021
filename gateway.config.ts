import { defineConfig } from './src/config';

/**
 * The operator's configuration. Every option has a documented default (README.md, one options
 * table per concern: Authentication, Authorization, Cost and operation limits, Budgets...), so
 * an empty config runs the embedded demo: both backends in-process on free loopback ports,
 * tokens from the dev key (`npm run token`), budgets in memory.
 * Environment variables override this file: PORT, HOST, NODE_ENV, LOOPGATE_PETSTORE_URL,
 * LOOPGATE_REVIEWS_URL, LOOPGATE_REDIS_URL, LOOPGATE_REDIS_CLUSTER_NODES, LOOPGATE_ADMIN_TOKEN.
 */
export default defineConfig({
  // No CORS headers unless origins are listed: server.cors: { origins: ['https://app.example'] }.
  server: { port: 4000 },
  upstream: { timeoutMs: 10_000 },
  // The demo opts in to showing clients their cost and budget (both are off by default).
  responses: { costExtension: true, rateLimitHeaders: true },
});
