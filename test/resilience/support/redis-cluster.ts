import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { freePort } from '../../support/free-port';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server';

export interface RedisClusterHandle {
  /** Seed nodes as 'host:port', the form `store.nodes` takes. */
  nodes: string[];
  stop(): Promise<void>;
}

/**
 * Starts a three-master Redis Cluster on loopback (no replicas, no persistence) and waits until
 * every slot is served. Needs redis-server and redis-cli on the PATH.
 */
export async function startRedisCluster(size = 3): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'loopgate-cluster-'));
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      servers.push(
        await startRedisServer({
          port,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
        }),
      );
    }
    const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    await waitForClusterOk(nodes);
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Slots are assigned at once but gossip takes a moment: wait until a client can write everywhere. */
async function waitForClusterOk(nodes: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const [host, port] = nodes[0]!.split(':');
  while (Date.now() < deadline) {
    const info = spawnSync('redis-cli', ['-h', host!, '-p', port!, 'cluster', 'info'], { encoding: 'utf8' }).stdout;
    if (/cluster_state:ok/.test(info)) {
      const client = new Cluster(nodes.map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) })), { lazyConnect: true });
      client.on('error', () => {});
      try {
        await client.connect();
        // One key per master, by hash tag, proves every node took its slots.
        await Promise.all(['{a}', '{b}', '{c}', '{d}', '{e}'].map((k) => client.set(`probe:${k}`, '1')));
        return;
      } catch {
        // not yet
      } finally {
        client.disconnect();
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the Redis Cluster did not reach cluster_state:ok in time');
}

