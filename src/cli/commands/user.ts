/** `binku user add|list|passwd|disable` — accounts, without the web UI. */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { BinkuError } from '../../domain/errors.ts';
import { ROLES, ROLE_LABELS } from '../../auth/permissions.ts';
import { createUser, resetPassword } from '../../auth/service.ts';
import { generatePassword } from '../../auth/password.ts';
import { findUserByName, listUsers } from '../../auth/store.ts';
import { writeAudit } from '../../audit/store.ts';
import { printJson, withDb } from '../context.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('用户管理');

  user
    .command('add')
    .description('新建用户；不带 --password-stdin 时生成一次性密码（首次登录须修改）')
    .requiredOption('--username <name>', '用户名')
    .requiredOption('--role <role>', `角色: ${ROLES.join(' | ')}`)
    .option('--region <prefix>', '行政区划前缀（2/4/6/9/12 位；省级或全部留空）', '')
    .option('--department <name>', '部门联络员所属部门（医保、残联…）')
    .option('--display-name <name>', '姓名（显示用）')
    .option('--password-stdin', '从标准输入读取密码')
    .action(async (o: { username: string; role: string; region: string; department?: string; displayName?: string; passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      await withDb(async ({ db }) => {
        await createUser(db, {
          username: o.username,
          password,
          role: o.role,
          regionPrefix: o.region,
          department: o.department ?? null,
          displayName: o.displayName ?? null,
          mustChangePassword: !o.passwordStdin,
        });
        await writeAudit(db, { action: 'user_create', username: cliActor(), countyCode: o.region.slice(0, 6), targetType: 'user', targetId: o.username, details: { role: o.role, regionPrefix: o.region } });
      });
      const label = ROLE_LABELS[o.role as keyof typeof ROLE_LABELS];
      process.stdout.write(`已创建用户 ${o.username}（${label}，辖区 ${o.region || '全部'}）\n`);
      if (!o.passwordStdin) process.stdout.write(`一次性密码: ${password}\n首次登录后须修改密码。\n`);
    });

  user
    .command('list')
    .description('列出用户')
    .option('--region <prefix>', '只列此辖区', '')
    .option('--json', '输出 JSON')
    .action(async (o: { region: string; json?: boolean }) => {
      const r = await withDb(({ db }) => listUsers(db, o.region, 1, 100_000));
      const rows = r.items.map((u) => ({ username: u.username, role: u.role, regionPrefix: u.region_prefix, department: u.department, disabled: u.disabled, mustChangePassword: u.must_change_password }));
      if (o.json) return printJson(rows);
      for (const u of rows) {
        process.stdout.write(`${u.username}\t${ROLE_LABELS[u.role as keyof typeof ROLE_LABELS] ?? u.role}\t${u.regionPrefix || '全部'}${u.department ? `\t${u.department}` : ''}${u.disabled ? '\t(已停用)' : ''}\n`);
      }
    });

  user
    .command('passwd <username>')
    .description('重置密码（生成一次性密码，或 --password-stdin）；该用户所有会话作废')
    .option('--password-stdin', '从标准输入读取新密码')
    .action(async (username: string, o: { passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      await withDb(async ({ db }) => {
        const u = await findUserByName(db, username);
        if (!u) throw new BinkuError('BK_AUTH_USER_NOT_FOUND', `用户不存在: ${username}`, { status: 404, en: 'user not found' });
        await resetPassword(db, u.user_id, password);
        await writeAudit(db, { action: 'user_update', username: cliActor(), targetType: 'user', targetId: username, details: { password: '(reset)' } });
      });
      process.stdout.write(o.passwordStdin ? `已重置 ${username} 的密码（下次登录须修改）\n` : `一次性密码: ${password}\n下次登录后须修改。\n`);
    });

  user
    .command('disable <username>')
    .description('停用用户（会话立即作废）')
    .option('--enable', '重新启用')
    .action(async (username: string, o: { enable?: boolean }) => {
      await withDb(async ({ db }) => {
        const u = await findUserByName(db, username);
        if (!u) throw new BinkuError('BK_AUTH_USER_NOT_FOUND', `用户不存在: ${username}`, { status: 404, en: 'user not found' });
        await db.updateTable('app_user').set({ disabled: !o.enable }).where('user_id', '=', u.user_id).execute();
        if (!o.enable) await db.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', u.user_id).where('revoked_at', 'is', null).execute();
        await writeAudit(db, { action: 'user_update', username: cliActor(), targetType: 'user', targetId: username, details: { disabled: !o.enable } });
      });
      process.stdout.write(`${o.enable ? '已启用' : '已停用'} ${username}\n`);
    });
}
