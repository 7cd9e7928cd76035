import { Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { useSession } from './auth.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { LoginPage } from './layout/LoginPage.tsx';
import { ForcedPasswordChange } from './layout/ChangePassword.tsx';
import { allowed, pages } from './pages/registry.ts';

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin tip="加载中…" size="large">
        <div style={{ height: 48 }} />
      </Spin>
    </div>
  );
}

export function App() {
  const { user, ready, can } = useSession();
  const location = useLocation();
  useEffect(() => {
    const p = pages.find((x) => x.path === location.pathname);
    document.title = p ? `${p.title} · 并库` : '并库';
  }, [location.pathname]);

  if (!ready) return <Loading />;
  if (!user) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }
  if (user.mustChangePassword) return <ForcedPasswordChange />;
  const visible = pages.filter((p) => allowed(p, can));
  const home = visible.find((p) => p.menu !== false)?.path ?? '/';
  return (
    <AppLayout pages={visible}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<Navigate to={home} replace />} />
          {pages.map((p) => (
            <Route
              key={p.path}
              path={p.path}
              element={allowed(p, can) ? <p.component /> : <Result status="403" title="没有权限" subTitle="您的角色无权访问此页面" />}
            />
          ))}
          <Route path="*" element={visible.some((p) => p.path === '/') ? <Result status="404" title="页面不存在" /> : <Navigate to={home} replace />} />
        </Routes>
      </Suspense>
    </AppLayout>
  );
}
