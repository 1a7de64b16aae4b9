const DEVICE_KEY = 'exam.deviceId';

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context (https or localhost); a lab server on plain http over the LAN is not one
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** This PC's id, kept in localStorage: the server binds a candidate to one device at a time. */
export function deviceId(): string {
  try {
    const v = localStorage.getItem(DEVICE_KEY);
    if (v && v.length >= 8) return v;
    const id = randomId();
    localStorage.setItem(DEVICE_KEY, id);
    return id;
  } catch {
    return randomId();
  }
}
