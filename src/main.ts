import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoopgateConfig } from './config';
import { startGateway } from './server';

/** `npm start`: loads gateway.config.ts (or LOOPGATE_CONFIG), starts, exits cleanly on one signal. */
async function main(): Promise<void> {
  const configPath = resolve(process.env.LOOPGATE_CONFIG ?? 'gateway.config.ts');
  const config: LoopgateConfig = existsSync(configPath)
    ? ((await import(pathToFileURL(configPath).href)) as { default: LoopgateConfig }).default
    : {};
  const gateway = await startGateway({ config, env: process.env });
  const embedded = Object.keys(gateway.sources.embedded);
  process.stdout.write(
    `loopgate: GraphQL endpoint ${gateway.graphqlUrl}` +
      (embedded.length ? ` (embedded demo backends: ${embedded.join(', ')})` : '') +
      '\n',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`loopgate: ${signal} received, shutting down\n`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // A promise some dependency forgot to handle must not take every client down with it (Node
  // exits on an unhandled rejection). It is logged with its kind, never its whole text.
  process.on('unhandledRejection', (reason: unknown) => {
    const name = reason instanceof Error ? reason.name : typeof reason;
    const message = reason instanceof Error ? reason.message.slice(0, 200) : '';
    process.stderr.write(`${JSON.stringify({ level: 'error', message: 'unhandled promise rejection; still serving', error: name, detail: message })}\n`);
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`loopgate: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
