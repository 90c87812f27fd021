import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServerHandle } from './redis-server';

let redis: RedisServerHandle | undefined;

/**
 * Starts one real redis-server on a free loopback port for the whole run and hands its
 * URL to the tests as `inject('redisUrl')`. Tests that need isolation use their own key prefix.
 */
export async function setup(project: TestProject): Promise<void> {
  // The gateway tests serve the composed demo supergraph: compose it when an input changed.
  const compose = spawnSync(process.execPath, ['--import', 'tsx', 'src/compose/cli.ts', '--if-stale'], { stdio: 'inherit' });
  if (compose.status !== 0) throw new Error('composition of the demo supergraph failed (see above)');
  redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
