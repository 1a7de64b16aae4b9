import { describe, expect, it } from 'vitest';
import { DomainEventBus, type DomainEventName } from '../src/events.js';

describe('DomainEventBus', () => {
  it('delivers each event to its subscribers in order, and a throwing listener does not stop the others', () => {
    const errors: DomainEventName[] = [];
    const bus = new DomainEventBus((name) => errors.push(name));
    const seen: string[] = [];
    bus.on('answerCommitted', (e) => seen.push(`first ${e.candidateId}/${e.attemptId}`));
    bus.on('answerCommitted', () => {
      throw new Error('dashboard broken');
    });
    const off = bus.on('answerCommitted', (e) => seen.push(`third ${e.candidateId}`));
    bus.on('deviceReplaced', (e) => seen.push(`replaced ${e.candidateId}`));
    bus.emit('answerCommitted', { candidateId: 7, attemptId: 3 });
    off();
    bus.emit('answerCommitted', { candidateId: 8, attemptId: 4 });
    bus.emit('deviceReplaced', { candidateId: 9 });
    expect(seen).toEqual(['first 7/3', 'third 7', 'first 8/4', 'replaced 9']);
    expect(errors).toEqual(['answerCommitted', 'answerCommitted']);
  });
});
