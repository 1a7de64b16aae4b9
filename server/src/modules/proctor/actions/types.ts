import type { IncidentDto, ProctorActionBody, Role } from '@exam/shared';
import type { Actor } from '../../../db/audit.js';
import type { Db } from '../../../db/connection.js';
import type { DomainEventBus } from '../../../events.js';
import type { AuthUser } from '../../../plugins/auth.js';
import type { AppError } from '../../../plugins/errors.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { ExamService } from '../../exams/service.js';
import type { ProctorRepo } from '../repo.js';
import type { ProctorLockdown, ProctorService } from '../service.js';

export type ProctorActionName = ProctorActionBody['action'];

/** The sealed papers' side of an opening (delivery/sealed.ts): the room's waiting candidates get their keys. */
export interface RoomOpener {
  openRoom(sittingId: number, roomId: number, candidateIds: readonly number[]): Promise<number>;
}

/** What an invigilator action may use of the invigilation service (built once by ProctorService). */
export interface ActionHost {
  db: Db;
  repo: ProctorRepo;
  delivery: DeliveryService;
  exams: ExamService;
  bus: DomainEventBus;
  lockdown: ProctorLockdown | null;
  opening: RoomOpener | null;
  /** runs fn in one transaction (db/tx.ts): no I/O inside */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** writes one line of the minutes (incidents) and the audit log, inside transaction(); returns the incident's id */
  record(
    actor: Actor,
    sittingId: number,
    roomId: number,
    action: IncidentDto['action'],
    reason: string,
    candidateId: number | null,
    attemptId: number | null,
    details: Record<string, unknown>,
  ): Promise<number>;
  examId(sittingId: number): Promise<number>;
  roomRef: ProctorService['roomRef'];
  closing: ProctorService['closing'];
  /** forgets a refused sign-in from another PC (the move was allowed) */
  clearRefusal(candidateId: number): void;
}

/** One action on a room, as the service has checked it (room access, reason, candidates of the room). */
export interface ActionContext {
  user: AuthUser;
  actor: Actor;
  sittingId: number;
  roomId: number;
  /** the reason, trimmed, never empty */
  reason: string;
  body: ProctorActionBody;
  /** the room's candidates, in seat order */
  inRoom: readonly number[];
  /** the candidates the invigilator picked (empty: the whole room) */
  picked: readonly number[];
  /** picked, or the whole room */
  targets: readonly number[];
  /** the one picked candidate of a single-candidate action */
  one: number;
  /** the ids of the incidents the action recorded, in order */
  ids: number[];
}

/**
 * An invigilator action (style of excalidraw's actions/register.ts): its name, who may take it,
 * whether it needs a reason and exactly one candidate, and what it does. Registered once in
 * register.ts; ProctorService.act runs the checks every action shares and then `perform`.
 */
export interface ProctorAction<N extends ProctorActionName = ProctorActionName> {
  name: N;
  /** the roles that may take it (the route admits staff; this narrows) */
  roles: readonly Role[];
  /** the refusal for a role not in `roles` */
  forbidden?: () => AppError;
  /** a reason is written to the minutes */
  needsReason: boolean;
  /** exactly one candidate must be picked */
  single: boolean;
  /** does it; returns how many candidates it changed */
  perform(host: ActionHost, ctx: ActionContext): Promise<number>;
}
