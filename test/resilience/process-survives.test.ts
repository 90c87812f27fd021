import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeySource, tokenFor } from '../support/gateway';
import { writeConfigFile } from './support/config-file';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { send, sleep } from './support/load';

// Found by a hostile-input run: an argument the runtime refuses before calling the REST upstream
// (a malformed BigInt) left the runtime's upstream-timeout signal armed, and when it fired, one
// upstream timeout later, its rejection was unhandled and the whole process died. The gateway
// must survive every such request: same process, still answering, after the timeout has passed.

const upstreamTimeoutMs = 300;
let gateway: GatewayProcess;
let removeConfig = () => {};
let token: string;

beforeAll(async () => {
  const config = writeConfigFile({ auth: { keySources: [testKeySource] }, upstream: { timeoutMs: upstreamTimeoutMs } });
  removeConfig = config.remove;
  gateway = await startGatewayProcess({ LOOPGATE_CONFIG: config.path });
  token = await tokenFor({ sub: 'survivor', scope: 'pet:read pet:write store:read store:write user:read user:write' });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  removeConfig();
});

describe('requests refused by the runtime before any upstream call', () => {
  const refused = [
    { query: 'query($p: BigInt!) { getPetById(petId: $p) { name } }', variables: { p: 'abc' } },
    { query: 'query($p: BigInt!) { getPetById(petId: $p) { name } }', variables: { p: { a: 1 } } },
    { query: 'mutation { deleteOrder(orderId: "abc") }' },
    { query: '{ getOrderById(orderId: 1.5) { id } }' },
  ];

  it('leave the process alive and answering once the upstream timeout has passed', async () => {
    for (const body of refused) {
      const outcome = await send(gateway.graphqlUrl, body, { token });
      expect(outcome.status).toBeLessThan(500);
      expect(outcome.codes.length).toBeGreaterThan(0);
    }
    await sleep(upstreamTimeoutMs * 4);
    expect(gateway.process.exitCode).toBeNull();
    expect(gateway.process.signalCode).toBeNull();
    const after = await send(gateway.graphqlUrl, { query: '{ getPetById(petId: 1) { name } }' }, { token });
    expect(after.status).toBe(200);
    expect(after.body?.data).toEqual({ getPetById: { name: 'Rex' } });
    expect(gateway.stderr()).not.toMatch(/TimeoutError|unhandled/i);
  });
});
