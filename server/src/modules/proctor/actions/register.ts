import { admitLate } from './admit-late.js';
import { allowMove } from './allow-move.js';
import { pause, resume } from './clock.js';
import { closeRoom } from './close-room.js';
import { extend } from './extend.js';
import { forceSubmit } from './force-submit.js';
import { message } from './message.js';
import { openSitting } from './open-sitting.js';
import { sanction } from './sanction.js';
import type { ProctorAction, ProctorActionName } from './types.js';
import { unlockFocus } from './unlock-focus.js';
import { unlockSignin } from './unlock-signin.js';

/**
 * Every invigilator action, registered once (docs/ARCHITECTURE.md, "Adding an invigilator action"):
 * a new action is a file in this folder, its name in PROCTOR_ACTIONS (shared/src/contracts/proctor.ts)
 * and its line here; the type below refuses a name left out.
 */
export const PROCTOR_ACTION_TABLE: { readonly [N in ProctorActionName]: ProctorAction<N> } = {
  open_sitting: openSitting,
  close_room: closeRoom,
  pause: pause,
  resume: resume,
  extend: extend,
  admit_late: admitLate,
  allow_move: allowMove,
  sanction: sanction,
  force_submit: forceSubmit,
  unlock_signin: unlockSignin,
  unlock_focus: unlockFocus,
  message: message,
};
