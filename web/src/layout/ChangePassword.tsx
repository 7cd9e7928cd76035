import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Typography } from 'antd';
import { api, errorText } from '../api/client.ts';
import { useSession } from '../auth.tsx';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

function PasswordForm({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<Values> layout="vertical" onFinish={onFinish} requiredMark={false}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item name="oldPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label="新密码" extra="至少 10 位，且包含两类字符（字母、数字、符号）" rules={[{ required: true, message: '请输入新密码' }, { min: 10, message: '新密码至少 10 位' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        修改密码
      </Button>
    </Form>
  );
}

/** Full-screen form shown at first login with a one-time password. */
export function ForcedPasswordChange() {
  const { refresh, logout } = useSession();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7fa', padding: 16 }}>
      <Card style={{ width: 420, maxWidth: '100%' }} title="首次登录：请修改密码">
        <Typography.Paragraph type="secondary">您正在使用一次性密码登录，修改密码后才能继续使用。</Typography.Paragraph>
        <PasswordForm onDone={() => void refresh()} />
        <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
          退出登录
        </Button>
      </Card>
    </div>
  );
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  return (
    <Modal open={open} title="修改密码" footer={null} onCancel={onClose} destroyOnHidden>
      <PasswordForm
        onDone={() => {
          message.success('密码已修改，下次登录请使用新密码');
          onClose();
        }}
      />
    </Modal>
  );
}
