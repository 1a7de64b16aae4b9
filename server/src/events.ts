import type { AttemptTimingDto, CandidateServerToClient, IncidentDto, SubmitResultDto } from '@exam/shared';

/**
 * Typed domain events, in one place (issue 16). Services publish what happened; the socket layers
 * (the candidates' /candidate namespace, the invigilators' /proctor namespace) subscribe. Nothing
 * is assigned onto a service after construction, and the answer's path no longer runs
 * delivery → proctor → delivery: delivery publishes, the proctor's socket layer listens.
 *
 * This is also the seam where a cross-node transport plugs in (issue 17): a node publishes here,
 * and a subscriber that forwards to the other nodes is one more listener.
 */
export interface DomainEvents {
  /** an answer was committed (acked to the candidate): the invigilators' seat numbers move */
  answerCommitted: { candidateId: number; attemptId: number };
  /** a candidate's attempt began (the clock of the part runs) */
  attemptStarted: { candidateId: number; attemptId: number };
  /** an attempt was submitted, by the candidate, the deadline or an invigilator */
  attemptSubmitted: { candidateId: number; result: SubmitResultDto };
  /** an attempt's clock changed (pause, resume, extension, extra time): the candidate sees it at once */
  timingChanged: { candidateId: number; attemptId: number; timing: AttemptTimingDto };
  /** the candidate moved to another device: the old one is cut off */
  deviceReplaced: { candidateId: number };
  /** a sign-in from another PC was refused: the invigilators see a warning */
  deviceRefused: { candidateId: number; ip: string };
  /** something the invigilators see about a candidate changed (sign-in, rules, start, submit, clock) */
  candidateChanged: { candidateId: number };
  /** many candidates of one sitting changed at once (an opening started their parts): one event, not one per candidate */
  candidatesChanged: { sittingId: number; candidateIds: number[] };
  /** a room of a sitting changed state (opened, closed, sealed …) */
  sittingStateChanged: { sittingId: number; roomId: number; state: string; candidateIds: number[]; at: number };
  /** an invigilator's message or decision addressed to candidates' screens */
  roomMessage: {
    candidateIds: number[];
  } & (
    | { event: 'message'; payload: Parameters<CandidateServerToClient['message']>[0] }
    | { event: 'suspended'; payload: Parameters<CandidateServerToClient['suspended']>[0] }
  );
  /** an incident was recorded in a room's minutes */
  incidentRecorded: { sittingId: number; roomId: number; incident: IncidentDto };
}

export type DomainEventName = keyof DomainEvents;
type Listener<K extends DomainEventName> = (event: DomainEvents[K]) => void;
/** One event with its name, as it travels between nodes (issue 17). */
export type DomainEnvelope = { [K in DomainEventName]: { name: K; event: DomainEvents[K] } }[DomainEventName];
/** Where an event was published: on this node, or on another node and carried here by the cluster transport. */
export type EventOrigin = 'local' | 'remote';
type AnyListener = (envelope: DomainEnvelope, origin: EventOrigin) => void;

/**
 * One bus per app. Listeners run synchronously, in the order they subscribed, after the
 * publisher's state change is committed; a listener that throws is reported to `onError` and the
 * others still run (a broken dashboard must never undo or block a candidate's answer).
 */
export class DomainEventBus {
  private readonly listeners: { [K in DomainEventName]?: Listener<K>[] } = {};
  private readonly any: AnyListener[] = [];

  constructor(private readonly onError: (name: DomainEventName, err: unknown) => void = () => {}) {}

  on<K extends DomainEventName>(name: K, fn: Listener<K>): () => void {
    const list: Listener<K>[] = this.listeners[name] ?? [];
    list.push(fn);
    this.listeners[name] = list as { [P in DomainEventName]?: Listener<P>[] }[K];
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Every event, with its origin: the cluster transport forwards the local ones to the other nodes. */
  onAny(fn: AnyListener): () => void {
    this.any.push(fn);
    return () => {
      const i = this.any.indexOf(fn);
      if (i >= 0) this.any.splice(i, 1);
    };
  }

  emit<K extends DomainEventName>(name: K, event: DomainEvents[K], origin: EventOrigin = 'local'): void {
    const list: Listener<K>[] | undefined = this.listeners[name];
    for (const fn of list ? [...list] : []) {
      try {
        fn(event);
      } catch (err) {
        this.onError(name, err);
      }
    }
    if (this.any.length === 0) return;
    const envelope = { name, event } as DomainEnvelope;
    for (const fn of [...this.any]) {
      try {
        fn(envelope, origin);
      } catch (err) {
        this.onError(name, err);
      }
    }
  }

  /** Publishes an envelope that arrived from another node. */
  emitEnvelope(envelope: DomainEnvelope, origin: EventOrigin): void {
    this.emitNamed(envelope.name, envelope.event, origin);
  }

  private emitNamed<K extends DomainEventName>(name: K, event: DomainEvents[K], origin: EventOrigin): void {
    this.emit(name, event, origin);
  }
}
