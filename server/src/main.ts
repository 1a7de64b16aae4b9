import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { loadDemo } from './demo.js';
import { generatePassword } from './plugins/passwords.js';

const args = process.argv.slice(2);
const config = loadConfig();
const { app } = await buildApp(config, { logger: true });

const adminPassword = process.env.ADMIN_PASSWORD ?? generatePassword();
if (await app.users.ensureAdmin(adminPassword)) {
  console.log('\n================================================================');
  console.log(' Đã tạo tài khoản quản trị / Admin account created');
  console.log(`   Tên đăng nhập: admin`);
  console.log(`   Mật khẩu:      ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : adminPassword}`);
  if (!process.env.ADMIN_PASSWORD) console.log('   (Mật khẩu chỉ hiện một lần. Hãy ghi lại và đổi sau khi đăng nhập.)');
  console.log('================================================================\n');
}

if (args.includes('--demo')) {
  const demo = await loadDemo(app);
  console.log('\n================ DỮ LIỆU MẪU / DEMO ================');
  for (const line of demo.summary) console.log(` ${line}`);
  console.log(' Tài khoản mẫu / demo accounts (tên đăng nhập / mật khẩu):');
  for (const a of demo.accounts) console.log(`   ${a.username.padEnd(12)} ${a.password.padEnd(14)} ${a.role}`);
  console.log('=====================================================\n');
}

await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
console.log(`Máy chủ thi đang chạy tại http://${shown}:${port}  (dữ liệu: ${config.dbFile})`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    app.log.info(`${sig}: đang dừng máy chủ`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
