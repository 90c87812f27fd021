import net from 'node:net';

// Ports handed to child processes (gateways, redis-server) are bound seconds later, after the
// child has started. A port from the OS's ephemeral range (32768-60999 on Linux) can be taken in
// that window by any socket another test opens with port 0 or by an outgoing connection, so
// these come from below that range, at random, and are each handed out once per process. Each
// vitest fork draws from its own slice, so two forks never hand out the same port either.
const rangeStart = 20_000;
const rangeEnd = 32_000;
const sliceSize = 1_000;
const handedOut = new Set<number>();

function slice(): { start: number; end: number } {
  const poolId = Number(process.env.VITEST_POOL_ID ?? 0);
  const slices = Math.floor((rangeEnd - rangeStart) / sliceSize);
  const start = rangeStart + (Number.isFinite(poolId) ? poolId % slices : 0) * sliceSize;
  return { start, end: start + sliceSize };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port outside the ephemeral range, for a server another process will bind. */
export async function freePort(): Promise<number> {
  const { start, end } = slice();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = start + Math.floor(Math.random() * (end - start));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free loopback port in ${start}-${end - 1}`);
}
