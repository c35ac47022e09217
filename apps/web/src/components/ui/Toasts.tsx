// Short confirmations of what a mutation did ("Job paused"), and failures that have no better place to show.
// One polite live region announces them; they leave by themselves, or with their close button.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { cx } from '../../lib/cx';
import { AlertIcon, CheckIcon, InfoIcon, XIcon } from './icons';

export type ToastTone = 'success' | 'danger' | 'info';

export interface Toast {
  id: number;
  title: string;
  description?: string;
  tone: ToastTone;
}

type ShowToast = (toast: Omit<Toast, 'id' | 'tone'> & { tone?: ToastTone }) => void;

const ToastContext = createContext<ShowToast | null>(null);

// Failures stay longer: they are read, not glanced at.
const LIFETIME_MS: Record<ToastTone, number> = { success: 5000, info: 5000, danger: 9000 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);

  const show = useCallback<ShowToast>(
    ({ tone = 'success', ...toast }) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-3), { id, tone, ...toast }]);
      setTimeout(() => dismiss(id), LIFETIME_MS[tone]);
    },
    [dismiss],
  );

  const value = useMemo(() => show, [show]);

  return (
    <ToastContext value={value}>
      {children}
      <div
        aria-live="polite"
        aria-label="Notifications"
        role="region"
        className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            role={toast.tone === 'danger' ? 'alert' : 'status'}
            className="pointer-events-auto flex items-start gap-3 rounded-xl border border-stone-200 bg-white p-3.5 shadow-lg motion-safe:animate-[toast-in_150ms_ease-out] dark:border-stone-700 dark:bg-stone-900"
          >
            <span
              className={cx(
                'mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full [&>svg]:size-3.5',
                toast.tone === 'success' && 'bg-emerald-100 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-300',
                toast.tone === 'danger' && 'bg-red-100 text-red-700 dark:bg-red-500/15 dark:text-red-300',
                toast.tone === 'info' && 'bg-sky-100 text-sky-700 dark:bg-sky-500/15 dark:text-sky-300',
              )}
            >
              {toast.tone === 'success' ? <CheckIcon /> : toast.tone === 'danger' ? <AlertIcon /> : <InfoIcon />}
            </span>
            <div className="min-w-0 flex-1 text-sm">
              <p className="font-medium">{toast.title}</p>
              {toast.description && <p className="mt-0.5 break-words text-stone-500 dark:text-stone-400">{toast.description}</p>}
            </div>
            <button
              type="button"
              aria-label="Dismiss notification"
              onClick={() => dismiss(toast.id)}
              className="rounded p-0.5 text-stone-500 dark:text-stone-400 hover:text-stone-700 dark:hover:text-stone-200"
            >
              <XIcon className="size-4" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast needs a <ToastProvider> above it');
  return show;
}
