import type { Command } from 'commander';
import { config } from '../../config.ts';
import { openConfiguredDatabase } from '../../db/index.ts';
import { buildApp } from '../../api/app.ts';
import { ensureFirstAdmin } from '../../auth/service.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动 HTTP API 与网页界面')
    .option('--port <port>', '端口')
    .option('--host <host>', '监听地址')
    .option('--demo', '数据库为空时载入示范县数据')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const c = config();
      const handle = await openConfiguredDatabase();
      if (opts.demo) {
        const { seedDemoIfEmpty } = await import('../../demo/seed-database.ts');
        await seedDemoIfEmpty(handle.db, { log: (l) => process.stdout.write(`${l}\n`) });
      }
      const app = await buildApp({ db: handle.db, dbKind: handle.kind, logger: true });
      const port = opts.port ? Number(opts.port) : c.port;
      const host = opts.host ?? c.host;
      await app.listen({ port, host });
      const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
      process.stdout.write(`binku 已启动: http://${shown}:${port}/  (数据库: ${handle.kind === 'pglite' ? `嵌入式 PGlite ${c.dataDir}` : 'PostgreSQL'})\n`);
      // First start with no users: create `admin` with a one-time password, shown once.
      const first = await ensureFirstAdmin(handle.db);
      if (first) {
        process.stdout.write(`\n首次启动：已创建管理员账号 ${first.username}，一次性密码: ${first.password}\n请登录后立即修改密码（本密码只显示这一次）。\n\n`);
      }
      const stop = async () => {
        await app.close();
        await handle.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
