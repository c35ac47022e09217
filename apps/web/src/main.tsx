// First, before any module builds a zod schema.
import './lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ToastProvider } from './components/ui/Toasts';
import { router } from './router';
import { SessionProvider } from './lib/session';
import { applyTheme } from './lib/theme';
import './index.css';

// Before the first paint, so a dark-mode user never sees a white flash.
applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </SessionProvider>
  </StrictMode>,
);
