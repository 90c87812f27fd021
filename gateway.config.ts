import { defineConfig } from './src/config';

/**
 * The operator's configuration. Every option has a documented default (README, "Options"), so
 * an empty config runs the embedded demo: both backends in-process on free loopback ports.
 * Environment variables override this file: PORT, HOST, NODE_ENV, LOOPGATE_PETSTORE_URL,
 * LOOPGATE_REVIEWS_URL.
 */
export default defineConfig({
  server: { port: 4000 },
  upstream: { timeoutMs: 10_000 },
});
