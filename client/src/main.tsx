/**
 * The entry: decides which front-end this page is and loads only that one. A candidate on a lab
 * PC (/thi-sinh) never downloads the staff router, screens or strings; staff never download the
 * exam screen. Moving between the two is a full page load.
 */
const CANDIDATE_BASE = '/thi-sinh';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
const path = window.location.pathname;
const candidate = path === CANDIDATE_BASE || path.startsWith(`${CANDIDATE_BASE}/`);
const app = candidate ? import('./candidate/boot') : import('./staff');
void app.then((m) => m.boot(root));
