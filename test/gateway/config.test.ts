import { describe, expect, it } from 'vitest';
import { normalizeConfig, type LoopgateConfig } from '../../src/config';
import { startGateway } from '../../src/server';

// Config that cannot work is refused at start-up with a TypeError that names the key, before
// anything listens. The key in the message is the contract here (there is no error code).

interface Refusal {
  name: string;
  config: LoopgateConfig;
  env?: NodeJS.ProcessEnv;
  key: string;
}

const refusals: Refusal[] = [
  { name: 'an unknown top-level key', config: { sevrer: { port: 4000 } } as LoopgateConfig, key: 'sevrer' },
  { name: 'an unknown server key', config: { server: { prot: 4000 } } as LoopgateConfig, key: 'server.prot' },
  { name: 'server.port -1', config: { server: { port: -1 } }, key: 'server.port' },
  { name: 'server.port 65536', config: { server: { port: 65_536 } }, key: 'server.port' },
  { name: 'server.port 80.5', config: { server: { port: 80.5 } }, key: 'server.port' },
  { name: 'server.port as a string', config: { server: { port: '4000' } } as unknown as LoopgateConfig, key: 'server.port' },
  { name: 'server.maxBodyBytes 0', config: { server: { maxBodyBytes: 0 } }, key: 'server.maxBodyBytes' },
  { name: 'upstream.timeoutMs 0', config: { upstream: { timeoutMs: 0 } }, key: 'upstream.timeoutMs' },
  { name: "sources.reviews.url 'not a url'", config: { sources: { reviews: { url: 'not a url' } } }, key: 'sources.reviews.url' },
  { name: "sources.reviews.url 'ftp://x'", config: { sources: { reviews: { url: 'ftp://x' } } }, key: 'sources.reviews.url' },
  { name: 'an unknown source key', config: { sources: { reviews: { uri: 'http://127.0.0.1:1/graphql' } } } as LoopgateConfig, key: 'sources.reviews.uri' },
  { name: 'server.cors true', config: { server: { cors: true } } as unknown as LoopgateConfig, key: 'server.cors' },
  { name: 'server.cors without origins', config: { server: { cors: { origins: [] } } }, key: 'server.cors.origins' },
  { name: 'server.cors origin with a path', config: { server: { cors: { origins: ['https://app.example/'] } } }, key: 'server.cors.origins' },
  { name: 'server.cors origin not a URL', config: { server: { cors: { origins: ['app.example'] } } }, key: 'server.cors.origins' },
  { name: "server.cors '*' with credentials", config: { server: { cors: { origins: ['*'], credentials: true } } }, key: 'server.cors' },
  { name: 'an unknown server.cors key', config: { server: { cors: { origin: ['https://app.example'] } } } as unknown as LoopgateConfig, key: 'server.cors.origin' },
  { name: "PORT env 'abc'", config: {}, env: { PORT: 'abc' }, key: 'PORT' },
  { name: "PORT env '-1'", config: {}, env: { PORT: '-1' }, key: 'PORT' },
  { name: "PORT env '99999'", config: {}, env: { PORT: '99999' }, key: 'server.port' },
  { name: "LOOPGATE_REVIEWS_URL env 'nope'", config: {}, env: { LOOPGATE_REVIEWS_URL: 'nope' }, key: 'sources.reviews.url' },
];

function namesKey(key: string): RegExp {
  return new RegExp(`(^|[^\\w.])${key.replace(/\./g, '\\.')}([^\\w.]|$)`);
}

describe('normalizeConfig refuses config that cannot work', () => {
  it.each(refusals)('$name -> TypeError naming $key', ({ config, env, key }) => {
    let thrown: unknown;
    try {
      normalizeConfig(config, env ?? {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(namesKey(key));
  });
});

describe('startGateway refuses the same config before starting anything', () => {
  it.each(refusals)('$name -> rejects with a TypeError naming $key', async ({ config, env, key }) => {
    const started = startGateway({ config: { ...config, server: { port: 0, host: '127.0.0.1', ...config.server } }, env: env ?? {} });
    await expect(started).rejects.toBeInstanceOf(TypeError);
    await expect(started).rejects.toThrow(namesKey(key));
  });
});

describe('normalizeConfig accepts what can work', () => {
  it('takes PORT, HOST and source URLs from the environment over the file', () => {
    const config = normalizeConfig(
      { server: { port: 4000 }, sources: { reviews: { url: 'http://file.example/graphql' } } },
      { PORT: '8080', HOST: '0.0.0.0', LOOPGATE_REVIEWS_URL: 'https://env.example/graphql/' },
    );
    expect(config.server.port).toBe(8080);
    expect(config.server.host).toBe('0.0.0.0');
    // A trailing slash is dropped so that paths join cleanly.
    expect(config.sources.reviews).toEqual({ url: 'https://env.example/graphql' });
  });

  it('server.cors: the origins, credentials off unless asked for', () => {
    expect(normalizeConfig({ server: { cors: { origins: ['https://app.example', 'http://localhost:3000'] } } }).server.cors).toEqual({
      origins: ['https://app.example', 'http://localhost:3000'],
      credentials: false,
    });
  });

  it('an empty config gets the documented defaults', () => {
    const config = normalizeConfig({}, {});
    expect(config.server).toMatchObject({ port: 4000, host: '127.0.0.1', maxBodyBytes: 1_000_000, cors: false });
    expect(config.upstream).toMatchObject({ timeoutMs: 10_000 });
    expect(config.supergraphPath).toBe('mesh/supergraph.graphql');
  });
});
