import { useState, type ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  /** Danger for what cannot be undone (delete, revoke). */
  tone?: 'danger' | 'primary';
  /** Runs the action; a thrown error or a returned message stays in the dialog so the user can retry. */
  onConfirm: () => Promise<string | null | void>;
}

export function ConfirmDialog({ open, onClose, title, children, confirmLabel, tone = 'danger', onConfirm }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const close = () => {
    setProblem(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const message = await onConfirm();
      if (message) setProblem(message);
      else close();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      size="sm"
      dismissible={!busy}
      footer={
        <>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button variant={tone} onClick={confirm} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm text-stone-600 dark:text-stone-300">
        {children}
        {problem && <Alert title="That did not work">{problem}</Alert>}
      </div>
    </Dialog>
  );
}
