import type { ReactNode } from 'react';
import { SundialMark } from '../ui/SundialMark';

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-stone-200 bg-white/80 backdrop-blur dark:border-stone-800 dark:bg-stone-900/80">
        <div className="mx-auto flex h-16 max-w-5xl items-center gap-3 px-6">
          <SundialMark className="size-8" />
          <span className="text-lg font-semibold tracking-tight">Sundial</span>
          <span className="hidden text-sm text-stone-500 sm:inline dark:text-stone-400">Job scheduler</span>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-10">{children}</main>
    </div>
  );
}
