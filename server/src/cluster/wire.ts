import { PROCTOR_ACTIONS } from '@exam/shared';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { DomainEnvelope, DomainEventName, DomainEvents } from '../events.js';

/**
 * The domain events as they travel between nodes (issue 17). What arrives from Redis is data from
 * outside this process: each event is checked against its schema here, once, and one that does not
 * match is dropped and counted, never published.
 */
const Id = Type.Integer({ minimum: 0 });
const Ids = Type.Array(Id);
const Timing = Type.Object({
  state: Type.Union([
    Type.Literal('waiting'),
    Type.Literal('running'),
    Type.Literal('paused'),
    Type.Literal('submitted'),
    Type.Literal('expired'),
  ]),
  startedAt: Type.Union([Type.Number(), Type.Null()]),
  deadline: Type.Union([Type.Number(), Type.Null()]),
  remainingMs: Type.Union([Type.Number(), Type.Null()]),
  pausedMs: Type.Number(),
  extendedMs: Type.Number(),
  serverNow: Type.Number(),
});
const SubmitResult = Type.Object({
  attemptId: Id,
  submittedAt: Type.Number(),
  reason: Type.Union([
    Type.Literal('candidate'),
    Type.Literal('deadline'),
    Type.Literal('invigilator'),
    Type.Literal('suspended'),
  ]),
  result: Type.Union([
    Type.Object({
      correct: Type.Number(),
      total: Type.Number(),
      score: Type.Number(),
      scale: Type.Number(),
      passed: Type.Boolean(),
    }),
    Type.Null(),
  ]),
});
const Incident = Type.Object({
  id: Id,
  at: Type.Number(),
  sittingId: Id,
  roomId: Id,
  seatNo: Type.Union([Type.Integer(), Type.Null()]),
  candidateId: Type.Union([Id, Type.Null()]),
  candidateNumber: Type.Union([Type.String(), Type.Null()]),
  candidateName: Type.Union([Type.String(), Type.Null()]),
  action: Type.Union([...PROCTOR_ACTIONS.map((a) => Type.Literal(a)), Type.Literal('seal')]),
  reason: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  invigilator: Type.String(),
});

const schemas = {
  answerCommitted: Type.Object({ candidateId: Id, attemptId: Id }),
  attemptStarted: Type.Object({ candidateId: Id, attemptId: Id }),
  attemptSubmitted: Type.Object({ candidateId: Id, result: SubmitResult }),
  timingChanged: Type.Object({ candidateId: Id, attemptId: Id, timing: Timing }),
  deviceReplaced: Type.Object({ candidateId: Id }),
  deviceRefused: Type.Object({ candidateId: Id, ip: Type.String() }),
  candidateChanged: Type.Object({ candidateId: Id }),
  candidatesChanged: Type.Object({ sittingId: Id, candidateIds: Ids }),
  sittingStateChanged: Type.Object({
    sittingId: Id,
    roomId: Id,
    state: Type.String(),
    candidateIds: Ids,
    at: Type.Number(),
  }),
  roomMessage: Type.Union([
    Type.Object({
      candidateIds: Ids,
      event: Type.Literal('message'),
      payload: Type.Object({
        text: Type.String(),
        at: Type.Number(),
        kind: Type.Union([Type.Literal('info'), Type.Literal('warning')]),
      }),
    }),
    Type.Object({
      candidateIds: Ids,
      event: Type.Literal('suspended'),
      payload: Type.Object({ message: Type.String(), reason: Type.String() }),
    }),
  ]),
  incidentRecorded: Type.Object({ sittingId: Id, roomId: Id, incident: Incident }),
} satisfies Record<DomainEventName, TSchema>;
const eventNames = [
  'answerCommitted',
  'attemptStarted',
  'attemptSubmitted',
  'timingChanged',
  'deviceReplaced',
  'deviceRefused',
  'candidateChanged',
  'candidatesChanged',
  'sittingStateChanged',
  'roomMessage',
  'incidentRecorded',
] as const;

type Schemas = typeof schemas;
// every wire schema describes exactly what the bus carries: a field added to one side and not the
// other fails the type check here
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type WireEvent<K extends DomainEventName> = Static<Schemas[K]>;
type Wire = { [K in DomainEventName]: WireEvent<K> };
// never called: the two conversions compile only while every wire schema describes exactly what
// the bus carries (a field added on one side and not the other fails the type check here)
export const wireToBus = (w: Wire): DomainEvents => w;
export const busToWire = (d: DomainEvents): Wire => d;
// and no event is missing a schema
const named: Same<(typeof eventNames)[number], DomainEventName> = true;
void named;

const compiled = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, TypeCompiler.Compile(schema)]));
function isEventName(name: unknown): name is DomainEventName {
  return typeof name === 'string' && Object.hasOwn(schemas, name);
}

/** The envelope, if `name` is a domain event and `event` matches its schema; otherwise null. */
export function parseWireEvent(name: unknown, event: unknown): DomainEnvelope | null {
  if (!isEventName(name)) return null;
  const check = compiled[name];
  if (!check?.Check(event)) return null;
  return { name, event } as DomainEnvelope;
}
