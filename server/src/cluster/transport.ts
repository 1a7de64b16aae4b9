import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server as SocketServer } from 'socket.io';
import type { DomainEventBus } from '../events.js';
import { parseWireEvent } from './wire.js';

/** The server-side event name the domain events travel under between nodes. */
const WIRE_EVENT = 'exam:domain';

export interface ClusterTransport {
  /** events from other nodes dropped because they did not match their schema */
  readonly rejected: number;
  /** events this node forwarded to the others */
  readonly forwarded: number;
  close(): Promise<void>;
}

/**
 * Joins this node to the others through Redis (issue 17), with Socket.IO's own Redis Streams
 * adapter: a broadcast to a room (`io.of('/candidate').to(room).emit(…)`) reaches the sockets of
 * that room on every node, and the adapter keeps reading the stream across Redis disconnections.
 *
 * The typed domain events ride on the same adapter (`serverSideEmit`): each one published on this
 * node is forwarded once; each one from another node is checked against its wire schema and
 * published here with origin 'remote', so it is not forwarded again.
 */
export async function joinCluster(
  io: SocketServer,
  bus: DomainEventBus,
  redisUrl: string,
  onError: (err: unknown) => void = () => {},
): Promise<ClusterTransport> {
  const client = createClient({ url: redisUrl });
  // a Redis outage is reported and retried by the client, never an 'error' that ends the process
  client.on('error', onError);
  await client.connect();
  io.adapter(createAdapter(client));
  let rejected = 0;
  let forwarded = 0;
  const off = bus.onAny((envelope, origin) => {
    if (origin !== 'local') return;
    forwarded++;
    io.serverSideEmit(WIRE_EVENT, envelope.name, envelope.event);
  });
  const onWire = (name: unknown, event: unknown) => {
    const envelope = parseWireEvent(name, event);
    if (!envelope) {
      rejected++;
      return;
    }
    bus.emitEnvelope(envelope, 'remote');
  };
  io.on(WIRE_EVENT, onWire);
  return {
    get rejected() {
      return rejected;
    },
    get forwarded() {
      return forwarded;
    },
    close: async () => {
      off();
      io.off(WIRE_EVENT, onWire);
      await client.disconnect().catch(() => {});
    },
  };
}
