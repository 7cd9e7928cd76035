import { createElement, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { ChangePasswordModal } from './ChangePassword.tsx';
import { useSession } from '../auth.tsx';
import type { PageDef } from '../pages/types.ts';

const { Header, Sider, Content } = Layout;

/** Menu key of the current location: the longest menu path that prefixes it. */
function selectedKey(pathname: string, menu: PageDef[]): string {
  let best = '';
  for (const p of menu) {
    const ok = p.path === '/' ? pathname === '/' : pathname === p.path || pathname.startsWith(p.path + '/');
    if (ok && p.path.length > best.length) best = p.path;
  }
  return best;
}

export function AppLayout({ pages, children }: { pages: PageDef[]; children: ReactNode }) {
  const { user, logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [pwOpen, setPwOpen] = useState(false);
  const [collapsed, setCollapsed] = useState<boolean | undefined>(undefined);
  const menuPages = pages.filter((p) => p.menu !== false);
  const isCollapsed = collapsed ?? narrow;

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selectedKey(location.pathname, menuPages)]}
      onClick={() => narrow && setCollapsed(true)}
      items={menuPages.map((p) => ({
        key: p.path,
        icon: p.icon ? createElement(p.icon) : undefined,
        label: <Link to={p.path}>{p.title}</Link>,
      }))}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        breakpoint="lg"
        collapsedWidth={narrow ? 0 : 64}
        collapsible
        trigger={narrow ? null : undefined}
        collapsed={isCollapsed}
        onCollapse={(c) => setCollapsed(c)}
        width={200}
        style={narrow ? { position: 'fixed', height: '100vh', zIndex: 20 } : undefined}
      >
        <div style={{ color: '#fff', fontWeight: 600, fontSize: 18, padding: '16px 20px', whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {isCollapsed && !narrow ? '并' : '并库 binku'}
        </div>
        {menu}
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: narrow ? '0 12px' : '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
          {narrow && <Button type="text" icon={<MenuOutlined />} aria-label="菜单" onClick={() => setCollapsed(!isCollapsed)} />}
          <Typography.Text strong ellipsis style={{ fontSize: 16 }}>
            防止返贫监测与低收入人口动态监测 · 并库比对
          </Typography.Text>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'who', label: `${user?.roleLabel ?? user?.role ?? ''}${user?.regionPrefix ? ` · 辖区 ${user.regionPrefix}` : ' · 全部辖区'}`, disabled: true },
                { type: 'divider' },
                { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
              ],
              onClick: async ({ key }) => {
                if (key === 'password') setPwOpen(true);
                if (key === 'logout') {
                  await logout();
                  navigate('/login');
                }
              },
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />
              <span>{user?.displayName || user?.username}</span>
            </Space>
          </Dropdown>
        </Header>
        <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
        <Content style={{ margin: narrow ? 8 : 16 }}>{children}</Content>
      </Layout>
    </Layout>
  );
}
