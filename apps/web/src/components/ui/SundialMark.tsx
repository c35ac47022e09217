/** The product mark: a dial with its gnomon's shadow. Same drawing as public/favicon.svg. */
export function SundialMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-amber-500" />
      <path d="M7 21a9 9 0 0 1 18 0" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M16 21 21.5 12" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      <circle cx="16" cy="21" r="2" fill="#fff" />
    </svg>
  );
}
